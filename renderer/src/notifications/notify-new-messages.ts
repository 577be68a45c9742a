// Desktop notifications (the Notification API, which Electron also serves) for new messages from
// others in a conversation that is not in front of the reader: not the open one of a visible
// page. Which messages notify, and what an attachment sent alone says, is the rule in
// shared/message-notice.ts that Electron's main process follows too. Clicking one brings the
// window forward and opens the conversation. The browser's permission is asked for only from a
// person's action (the settings switch).
import type { i18n as I18n, TFunction } from 'i18next'
import type { ConversationView, LastMessageView } from '../../../shared/host-api'
import {
  noticeBody,
  notifiesOf,
  takeRecalledNotices,
  type ShownNotice,
  type AttachmentWords,
  type NoticeReader,
} from '../../../shared/message-notice'
import { attachmentWords } from '../i18n/attachment-words'
import type { TackState, TackStore } from '../store/store'

const MAX_BODY_CHARS = 200

export interface MessageNotice {
  conversationId: string
  title: string
  body: string
  /** The message it tells of, to close it if that message is recalled. */
  message: LastMessageView
}

/** What a notice's body says that is not the message's own: the sender, an attachment. */
export interface NoticeWords {
  unknownSender: string
  attachments: AttachmentWords
}

export function noticeWords(t: TFunction): NoticeWords {
  return { unknownSender: t('chat.unknownSender'), attachments: attachmentWords(t) }
}

/** The conversations whose newest message, from someone else and unread, arrived in this change. */
export function noticesFor(
  previous: TackState,
  next: TackState,
  pageVisible: boolean,
  words: NoticeWords,
): MessageNotice[] {
  const me = next.session?.me.id
  if (!me || previous.session?.me.id !== me) return []
  // The first list after signing in is history, not news.
  if (!previous.conversationsLoaded) return []
  if (next.conversations === previous.conversations) return []

  const before = new Map(previous.conversations.map((c) => [c.id, c]))
  const reader: NoticeReader = {
    me,
    notificationsEnabled: next.preferences.notificationsEnabled,
    conversationInFront: pageVisible && next.view === 'chats' ? next.openConversationId : null,
  }
  return next.conversations
    .filter((conversation) =>
      notifiesOf(conversation, before.get(conversation.id)?.lastMessage, reader),
    )
    .map((conversation) => noticeOf(conversation, next, words))
}

function noticeOf(conversation: ConversationView, state: TackState, words: NoticeWords) {
  const message = conversation.lastMessage!
  const sender = state.peopleById[message.senderId]?.name ?? words.unknownSender
  return {
    conversationId: conversation.id,
    title: conversation.title,
    body: noticeBody(
      message,
      conversation.kind === 'group' ? sender : null,
      words.attachments,
      MAX_BODY_CHARS,
    ),
    message,
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
  // Conversation id → the notification on screen for it (one per conversation: its tag) and the
  // message it shows, so a recall of that message can close it.
  const shown = new Map<string, ShownNotice<Notification>>()
  return store.subscribe((state, previous) => {
    // Under Electron the main process notifies natively (report-attention.ts tells it when).
    if (state.hostInfo?.nativeNotifications) return
    if (state.conversations !== previous.conversations) {
      for (const notification of takeRecalledNotices(shown, state.conversations)) {
        notification.close()
      }
    }
    if (!notificationsSupported(page) || page.Notification.permission !== 'granted') return
    const visible = page.document.visibilityState === 'visible'
    for (const notice of noticesFor(previous, state, visible, noticeWords(i18n.t))) {
      // The body is plain text: the Notification API never renders markup.
      const notification = new page.Notification(notice.title, {
        body: notice.body,
        tag: notice.conversationId,
      })
      shown.set(notice.conversationId, { notification, message: notice.message })
      notification.onclick = () => {
        page.focus()
        store.getState().openConversation(notice.conversationId)
        notification.close()
      }
      notification.onclose = () => {
        if (shown.get(notice.conversationId)?.notification === notification) {
          shown.delete(notice.conversationId)
        }
      }
    }
  })
}
