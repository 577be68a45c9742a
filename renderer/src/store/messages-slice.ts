// Messages per conversation, as the core last reported them, plus the ones this page just sent.
import type { HostApi, MessageView } from '../../../shared/host-api'
import { HostError } from '../../../shared/errors'
import { createLogger } from '../../../shared/logger'
import { coalesceByKey } from './coalesce'
import type { TackSlice } from './store'

const log = createLogger('messages')

export interface MessagesState {
  /** Oldest first, as loadMessages returns them. */
  messagesByConversation: Record<string, MessageView[]>
}

export interface MessagesActions {
  // TODO(#7): older pages (beforeSeq) as the list scrolls up, in a virtualized list.
  loadMessages(conversationId: string): Promise<void>
  /** Hands the text to the core's outbox; rejects with HostError if the core refused it. */
  sendMessage(conversationId: string, text: string): Promise<void>
  /** Takes back my message (within two minutes of sending); rejects with HostError. */
  recallMessage(conversationId: string, messageId: string): Promise<void>
}

export type MessagesSlice = MessagesState & MessagesActions

export const initialMessagesState: MessagesState = {
  messagesByConversation: {},
}

export function createMessagesSlice(host: HostApi): TackSlice<MessagesSlice> {
  return (set, get) => {
    function setMessages(
      conversationId: string,
      change: (messages: MessageView[]) => MessageView[],
    ): void {
      set((state) => ({
        messagesByConversation: {
          ...state.messagesByConversation,
          [conversationId]: change(state.messagesByConversation[conversationId] ?? []),
        },
      }))
    }

    const loadMessages = coalesceByKey(async (conversationId: string) => {
      const account = get().session?.me.id
      const focus = get().focusedMessage
      const aroundSeq = focus?.conversationId === conversationId ? focus.seq : undefined
      try {
        const messages = await host.loadMessages(
          aroundSeq === undefined ? { conversationId } : { conversationId, aroundSeq },
        )
        if (get().session?.me.id !== account) return
        setMessages(conversationId, () => messages)
      } catch (error) {
        log.warn({ err: error, conversationId }, 'loadMessages failed')
      }
    })

    return {
      ...initialMessagesState,

      loadMessages,

      async sendMessage(conversationId, text) {
        const trimmed = text.trim()
        if (!trimmed) return
        const message = await host.sendMessage({ conversationId, text: trimmed })
        setMessages(conversationId, (messages) => upsertMessage(messages, message))
        // Sending returns from a search hit to the latest messages, where the new one is.
        if (get().focusedMessage?.conversationId === conversationId) get().clearFocus()
      },

      async recallMessage(conversationId, messageId) {
        if (!host.recallMessage)
          throw new HostError('UNKNOWN_METHOD', 'this host has no recallMessage')
        await host.recallMessage({ conversationId, messageId })
        await get().loadMessages(conversationId)
      },
    }
  }
}

/** Replaces the message with the same client message id, or appends it. */
export function upsertMessage(messages: MessageView[], message: MessageView): MessageView[] {
  const index = messages.findIndex((item) => item.clientMessageId === message.clientMessageId)
  if (index === -1) return [...messages, message]
  return messages.map((item, at) => (at === index ? message : item))
}
