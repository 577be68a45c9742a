// Selectors shared by several views. Each returns a value already in the state (or a constant),
// so a view re-renders only when that value changes.
import type { ConversationView, MessageView } from '../../../shared/host-api'
import type { MessageHistory } from './messages-slice'
import type { TackState } from './store'

const NO_MESSAGES: MessageView[] = []
const NO_HISTORY: MessageHistory = { loadingOlder: false, exhausted: false, olderError: null }

export const selectMe = (state: TackState) => state.session?.me ?? null

let openOf: {
  conversations: ConversationView[]
  id: string | null
  open: ConversationView | null
} | null = null

/** The open conversation; looked up again only when the list or the open id changes. */
export const selectOpenConversation = (state: TackState): ConversationView | null => {
  const { conversations, openConversationId: id } = state
  if (openOf?.conversations !== conversations || openOf.id !== id) {
    const open = conversations.find((conversation) => conversation.id === id) ?? null
    openOf = { conversations, id, open }
  }
  return openOf.open
}

export const selectMessagesOf =
  (conversationId: string | null) =>
  (state: TackState): MessageView[] =>
    (conversationId && state.messagesByConversation[conversationId]) || NO_MESSAGES

export const selectHistoryOf =
  (conversationId: string | null) =>
  (state: TackState): MessageHistory =>
    (conversationId && state.historyByConversation[conversationId]) || NO_HISTORY

/** Whether messages older than the loaded ones may exist: the oldest loaded is not seq 1. */
export const selectHasOlder =
  (conversationId: string | null) =>
  (state: TackState): boolean => {
    if (!conversationId || state.historyByConversation[conversationId]?.exhausted) return false
    const oldest = state.messagesByConversation[conversationId]?.find((m) => m.seq !== null)
    return oldest !== undefined && oldest.seq! > 1
  }

// Each store change runs every subscribed selector; with 20,000 conversations the sum is worth
// keeping until the list itself changes.
let unreadOf: { conversations: ConversationView[]; total: number } | null = null

/** Unread messages in conversations I have not muted (muted ones show their own count only). */
export const selectTotalUnread = (state: TackState): number => {
  if (unreadOf?.conversations !== state.conversations) {
    const total = state.conversations.reduce(
      (sum, conversation) => sum + (conversation.muted ? 0 : conversation.unreadCount),
      0,
    )
    unreadOf = { conversations: state.conversations, total }
  }
  return unreadOf.total
}
