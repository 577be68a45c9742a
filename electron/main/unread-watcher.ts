// Watches the core for what the shell shows outside the window: the total unread count (tray,
// dock or taskbar badge), muted conversations left out, and each newly arrived message worth a
// native notification, by the rule browser mode's page follows too (shared/message-notice.ts):
// the reader wants notifications, the message is from someone else and not in the conversation
// in front of them, and a muted conversation only for a message that @-mentions them. It reads
// only the HostApi: events say something changed, listConversations says what. No 'electron'
// import.
import type {
  ConversationView,
  HostEventListener,
  HostHandlers,
  LastMessageView,
} from '../../shared/host-api'
import { createLogger } from '../../shared/logger'
import { notifiesOf, type NoticeReader } from '../../shared/message-notice'

const log = createLogger('unread')

export type UnreadCore = Pick<HostHandlers, 'getState' | 'listConversations'> & {
  onEvent(listener: HostEventListener): () => void
}

export interface ArrivedMessage {
  conversationId: string
  conversationTitle: string
  /** A group's notification names the sender before the text. */
  group: boolean
  message: LastMessageView
}

export interface UnreadSink {
  unreadChanged(total: number): void
  messageArrived(arrival: ArrivedMessage): void
  /** The conversations as they are now, so a notification whose message was recalled closes. */
  conversationsSeen(conversations: readonly ConversationView[]): void
  /** Whether the reader wants notifications and which conversation is in front of them, now. */
  reader(): Omit<NoticeReader, 'me'>
}

/** Starts watching; the returned function stops. */
export function watchUnread(core: UnreadCore, sink: UnreadSink): () => void {
  let seen: Map<string, ConversationView> | null = null
  let lastTotal = -1
  let running: Promise<void> | null = null
  let again = false

  const report = (total: number): void => {
    if (total === lastTotal) return
    lastTotal = total
    sink.unreadChanged(total)
  }

  const refreshOnce = async (): Promise<void> => {
    const state = await core.getState({})
    const me = state.session?.me.id ?? null
    if (!me) {
      seen = null
      report(0)
      return
    }
    const conversations = await core.listConversations({})
    if (seen) {
      sink.conversationsSeen(conversations)
      const reader = { ...sink.reader(), me }
      for (const arrival of arrivals(seen, conversations, reader)) sink.messageArrived(arrival)
    }
    seen = new Map(conversations.map((conversation) => [conversation.id, conversation]))
    report(
      conversations.reduce(
        (total, conversation) => total + (conversation.muted ? 0 : conversation.unreadCount),
        0,
      ),
    )
  }

  // One refresh at a time; events during one ask for one more after it.
  const refresh = (): void => {
    if (running) {
      again = true
      return
    }
    running = refreshOnce()
      .catch((error: unknown) => log.debug({ err: error }, 'unread count not refreshed'))
      .finally(() => {
        running = null
        if (again) {
          again = false
          refresh()
        }
      })
  }

  const stop = core.onEvent((name) => {
    if (name === 'session' || name === 'conversationsChanged' || name === 'messagesChanged') {
      refresh()
    }
  })
  refresh()
  return stop
}

/** What the renderer last said (setAttention): notifications wanted, the conversation in front. */
export interface ReaderAttention {
  notificationsEnabled: boolean
  openConversationId: string | null
}

/** Conversations whose newest message, new since the last look, is worth a notification. */
function arrivals(
  before: ReadonlyMap<string, ConversationView>,
  after: readonly ConversationView[],
  reader: NoticeReader,
): ArrivedMessage[] {
  return after
    .filter((conversation) =>
      notifiesOf(conversation, before.get(conversation.id)?.lastMessage, reader),
    )
    .map((conversation) => ({
      conversationId: conversation.id,
      conversationTitle: conversation.title,
      group: conversation.kind === 'group',
      message: conversation.lastMessage!,
    }))
}
