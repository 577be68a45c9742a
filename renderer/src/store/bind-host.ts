// Connects a store to its host: the host's events update the slices, the state is fetched at
// start, and fetched again whenever the link to the host comes back after dropping.
import type { HostEventName, HostEvents } from '../../../shared/host-api'
import type { HostConnection } from '../host/host-connection'
import type { TackStore } from './store'

type EventHandlers = { [E in HostEventName]: (payload: HostEvents[E]) => void }

export function bindHost(store: TackStore, connection: HostConnection): () => void {
  const state = () => store.getState()

  const handlers: EventHandlers = {
    connection: (connectionState) => state().setConnection(connectionState),
    session: ({ session, reason, code }) => state().applySession(session, reason, code),
    conversationsChanged: ({ conversationIds }) =>
      void state().refreshConversations(conversationIds),
    messagesChanged: ({ conversationId }) => {
      if (state().openConversationId === conversationId) void state().loadMessages(conversationId)
      void state().refreshConversations([conversationId])
      if (state().searchResults) void state().refreshSearch()
    },
    contactsChanged: () => void state().refreshContacts(),
    devicesChanged: () => void state().refreshDevices(),
    openConversation: ({ conversationId }) => state().openConversation(conversationId),
    openMicroApp: ({ agentId, path }) => void state().openMicroAppLink(agentId, path),
    uploadProgress: (event) => state().applyUploadProgress(event),
    downloadProgress: (event) => state().applyDownloadProgress(event),
  }

  const stopEvents = connection.api.onEvent((name, payload) => {
    const handler = handlers[name] as ((payload: unknown) => void) | undefined
    handler?.(payload)
  })

  let linkWasDown = false
  const stopLink = connection.onLinkChange((link) => {
    state().setHostLink(link)
    if (link === 'down') linkWasDown = true
    if (link === 'up' && linkWasDown) {
      linkWasDown = false
      void state().loadState()
    }
  })

  void state().loadState()

  return () => {
    stopEvents()
    stopLink()
  }
}
