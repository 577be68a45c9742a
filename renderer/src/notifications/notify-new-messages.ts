// Desktop notifications (the Notification API, which Electron also serves) for new messages from
// others in a conversation that is not in front of the reader: not the open one of a visible
// page. Clicking one brings the window forward and opens the conversation. The browser's
// permission is asked for only from a person's action (the settings switch).
import type { i18n as I18n } from 'i18next'
import type { ConversationView } from '../../../shared/host-api'
import type { TackState, TackStore } from '../store/store'

const MAX_BODY_CHARS = 200

export interface MessageNotice {
  conversationId: string
  title: string
  body: string
}

/** The conversations whose newest message, from someone else and unread, arrived in this change. */
export function noticesFor(
  previous: TackState,
  next: TackState,
  pageVisible: boolean,
  unknownSender: string,
): MessageNotice[] {
  const me = next.session?.me.id
  if (!me || previous.session?.me.id !== me || !next.preferences.notificationsEnabled) return []
  // The first list after signing in is history, not news.
  if (!previous.conversationsLoaded) return []
  if (next.conversations === previous.conversations) return []

  const before = new Map(previous.conversations.map((c) => [c.id, c]))
  const inFront = (id: string) =>
    pageVisible && next.view === 'chats' && next.openConversationId === id
  return next.conversations
    .filter((conversation) => {
      const message = conversation.lastMessage
      if (!message || message.senderId === me || conversation.unreadCount === 0) return false
      // Muting silences a conversation, except for a message that @-mentions me.
      if (inFront(conversation.id) || (conversation.muted && !conversation.mentionsMe)) return false
      const earlier = before.get(conversation.id)?.lastMessage
      return !earlier || message.sentAt > earlier.sentAt
    })
    .map((conversation) => noticeOf(conversation, next, unknownSender))
}

function noticeOf(conversation: ConversationView, state: TackState, unknownSender: string) {
  const message = conversation.lastMessage!
  const text = message.text.replace(/\s+/g, ' ').slice(0, MAX_BODY_CHARS)
  const sender = state.peopleById[message.senderId]?.name ?? unknownSender
  return {
    conversationId: conversation.id,
    title: conversation.title,
    body: conversation.kind === 'group' ? `${sender}: ${text}` : text,
  }
}

export function notificationsSupported(page: Window & typeof globalThis): boolean {
  return typeof page.Notification === 'function'
}

export function notifyNewMessages(
  store: TackStore,
  i18n: I18n,
  page: Window & typeof globalThis,
): () => void {
  return store.subscribe((state, previous) => {
    // Under Electron the main process notifies natively (report-attention.ts tells it when).
    if (state.hostInfo?.nativeNotifications) return
    if (!notificationsSupported(page) || page.Notification.permission !== 'granted') return
    const visible = page.document.visibilityState === 'visible'
    for (const notice of noticesFor(previous, state, visible, i18n.t('chat.unknownSender'))) {
      // The body is plain text: the Notification API never renders markup.
      const notification = new page.Notification(notice.title, {
        body: notice.body,
        tag: notice.conversationId,
      })
      notification.onclick = () => {
        page.focus()
        store.getState().openConversation(notice.conversationId)
        notification.close()
      }
    }
  })
}
