// When a new message gets a desktop notification, and the words a message stands for when it has
// none of its own (a file, image or voice recording sent alone). Browser mode's page and
// Electron's main process both notify; this is the one rule both follow, so they cannot drift.
import type { ConversationView, LastMessageView } from './host-api'

/** Who is reading and what they have said they want. */
export interface NoticeReader {
  me: string
  /** The switch in Settings. */
  notificationsEnabled: boolean
  /** The conversation open in front of the reader (visible page, focused window), if any. */
  conversationInFront: string | null
}

/**
 * Whether the conversation's newest message is news to notify of. The newest is by the time it
 * was sent, an unsent or failed message of mine included at its own time (the core's
 * `lastMessage`), so a message of mine still waiting never silences what others write after it;
 * one of mine written after theirs means I have answered. It is news when the reader wants
 * notifications, it is from someone else, unread, newer than `earlier` (the newest message
 * known before), not in the conversation in front of the reader, and the conversation is not
 * muted, unless an unread message in it @-mentions the reader. A note of a group change never is.
 */
export function notifiesOf(
  conversation: ConversationView,
  earlier: LastMessageView | null | undefined,
  reader: NoticeReader,
): boolean {
  if (!reader.notificationsEnabled) return false
  const message = conversation.lastMessage
  if (!message || message.senderId === reader.me || conversation.unreadCount === 0) return false
  if (message.notice) return false
  if (conversation.id === reader.conversationInFront) return false
  // Muting silences a conversation, except for a message that @-mentions me.
  if (conversation.muted && !conversation.mentionsMe) return false
  return !earlier || message.sentAt > earlier.sentAt
}

/** A notification on screen for a conversation, with the message it tells of. */
export interface ShownNotice<N> {
  notification: N
  message: LastMessageView
}

/**
 * Takes out of `shown` (conversation id → the notification on screen for it) those whose message
 * has since been recalled, and returns their notifications for the caller to close: the
 * conversation's newest message is still that one (same sender, same time) and it is recalled. A
 * recall takes the text away everywhere, the notification's body included.
 */
export function takeRecalledNotices<N>(
  shown: Map<string, ShownNotice<N>>,
  conversations: readonly ConversationView[],
): N[] {
  if (shown.size === 0) return []
  const byId = new Map(conversations.map((c) => [c.id, c]))
  const recalled: N[] = []
  for (const [conversationId, { notification, message: notified }] of shown) {
    const message = byId.get(conversationId)?.lastMessage
    if (
      !message?.recalled ||
      message.senderId !== notified.senderId ||
      message.sentAt !== notified.sentAt
    ) {
      continue
    }
    shown.delete(conversationId)
    recalled.push(notification)
  }
  return recalled
}

/** Each side's words for an attachment sent without text, in the reader's language. */
export interface AttachmentWords {
  image: string
  voice: string
  /** "[Voice message] 0:07" */
  voiceOfLength(length: string): string
  file(name: string): string
}

/** The message's text, or, for an attachment sent alone, words saying what it is. */
export function messagePreview(message: LastMessageView, words: AttachmentWords): string {
  const attachment = message.attachment
  if (!attachment || message.text) return message.text
  if (attachment.kind === 'image') return words.image
  if (attachment.kind === 'voice') {
    const ms = attachment.durationMs ?? 0
    return ms > 0 ? words.voiceOfLength(formatDuration(ms)) : words.voice
  }
  return words.file(attachment.name)
}

/**
 * A notification's body: the message's preview on one line, cut to `maxChars`, after the sender's
 * name in a group ("王爱丽: 好的"); `sender` is null for a direct conversation.
 */
export function noticeBody(
  message: LastMessageView,
  sender: string | null,
  words: AttachmentWords,
  maxChars: number,
): string {
  const text = messagePreview(message, words).replace(/\s+/g, ' ').slice(0, maxChars)
  return sender === null ? text : `${sender}: ${text}`
}

/** 0:07, 1:25 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
