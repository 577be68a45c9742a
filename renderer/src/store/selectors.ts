// Selectors shared by several views. Each returns a value already in the state (or a constant),
// so a view re-renders only when that value changes.
import type { ConversationView, MessageView } from '../../../shared/host-api'
import type { TackState } from './store'

const NO_MESSAGES: MessageView[] = []

export const selectMe = (state: TackState) => state.session?.me ?? null

export const selectOpenConversation = (state: TackState): ConversationView | null =>
  state.conversations.find((conversation) => conversation.id === state.openConversationId) ?? null

export const selectMessagesOf =
  (conversationId: string | null) =>
  (state: TackState): MessageView[] =>
    (conversationId && state.messagesByConversation[conversationId]) || NO_MESSAGES

/** Unread messages in conversations I have not muted (muted ones show their own count only). */
export const selectTotalUnread = (state: TackState): number =>
  state.conversations.reduce(
    (total, conversation) => total + (conversation.muted ? 0 : conversation.unreadCount),
    0,
  )
