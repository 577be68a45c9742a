// Watches the core for what the shell shows outside the window: the total unread count (tray,
// dock or taskbar badge) and each newly arrived message from someone else (a native
// notification). Muted conversations count for neither, as in the renderer. It reads only the
// HostApi: events say something changed, listConversations says what. No 'electron' import.
import type {
  ConversationView,
  HostEventListener,
  HostHandlers,
  LastMessageView,
} from '../../shared/host-api'
import { createLogger } from '../../shared/logger'

const log = createLogger('unread')

export type UnreadCore = Pick<HostHandlers, 'getState' | 'listConversations'> & {
  onEvent(listener: HostEventListener): () => void
}

export interface ArrivedMessage {
  conversationId: string
  conversationTitle: string
  message: LastMessageView
}

export interface UnreadSink {
  unreadChanged(total: number): void
  messageArrived(arrival: ArrivedMessage): void
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
    if (seen) for (const arrival of arrivals(seen, conversations, me)) sink.messageArrived(arrival)
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

/**
 * Whether an arrived message gets a native notification: the reader wants them, and it is not
 * for the conversation they are looking at (open in a focused window).
 */
export function shouldNotify(
  attention: ReaderAttention,
  windowFocused: boolean,
  conversationId: string,
): boolean {
  if (!attention.notificationsEnabled) return false
  return !(windowFocused && attention.openConversationId === conversationId)
}

/** Conversations whose unread count rose with a new last message from someone else. */
function arrivals(
  before: ReadonlyMap<string, ConversationView>,
  after: readonly ConversationView[],
  me: string,
): ArrivedMessage[] {
  const found: ArrivedMessage[] = []
  for (const conversation of after) {
    const message = conversation.lastMessage
    if (!message || message.senderId === me || conversation.muted) continue
    const previous = before.get(conversation.id)
    const rose = conversation.unreadCount > (previous?.unreadCount ?? 0)
    const newer = !previous?.lastMessage || message.sentAt > previous.lastMessage.sentAt
    if (rose && newer) {
      found.push({
        conversationId: conversation.id,
        conversationTitle: conversation.title,
        message,
      })
    }
  }
  return found
}
