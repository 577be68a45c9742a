// The conversation list (newest activity first) and which conversation is open.
import type { ConversationView, HostApi } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { coalesce } from './coalesce'
import type { TackSlice } from './store'

const log = createLogger('conversations')

export interface ConversationsState {
  /** Sorted by lastActivityAt, newest first. */
  conversations: ConversationView[]
  openConversationId: string | null
}

export interface ConversationsActions {
  refreshConversations(): Promise<void>
  /** Opens a conversation in the Chats view and loads its messages. */
  openConversation(conversationId: string): void
  /** Finds or starts the direct conversation with a person, and opens it. */
  openDirectConversation(peerId: string): Promise<void>
  /** Creates a group conversation, and opens it. */
  createGroup(title: string, memberIds: string[]): Promise<void>
  markRead(conversationId: string): Promise<void>
}

export type ConversationsSlice = ConversationsState & ConversationsActions

export const initialConversationsState: ConversationsState = {
  conversations: [],
  openConversationId: null,
}

export function createConversationsSlice(host: HostApi): TackSlice<ConversationsSlice> {
  return (set, get) => {
    const markingRead = new Set<string>()

    const refreshConversations = coalesce(async () => {
      const account = get().session?.me.id
      try {
        const conversations = await host.listConversations({})
        if (get().session?.me.id !== account) return
        set({ conversations: sortByActivity(conversations) })
      } catch (error) {
        log.warn({ err: error }, 'listConversations failed')
      }
    })

    function showConversation(conversation: ConversationView): void {
      set((state) => ({
        conversations: sortByActivity(upsert(state.conversations, conversation)),
      }))
      get().openConversation(conversation.id)
    }

    return {
      ...initialConversationsState,

      refreshConversations,

      openConversation(conversationId) {
        set({ openConversationId: conversationId, view: 'chats' })
        void get().loadMessages(conversationId)
      },

      async openDirectConversation(peerId) {
        showConversation(await host.openDirectConversation({ peerId }))
      },

      async createGroup(title, memberIds) {
        showConversation(await host.createGroup({ title, memberIds }))
      },

      async markRead(conversationId) {
        if (markingRead.has(conversationId)) return
        markingRead.add(conversationId)
        // Shown as read at once; the core's conversationsChanged brings the settled count.
        set((state) => ({
          conversations: state.conversations.map((conversation) =>
            conversation.id === conversationId ? { ...conversation, unreadCount: 0 } : conversation,
          ),
        }))
        try {
          await host.markRead({ conversationId })
        } catch (error) {
          log.warn({ err: error, conversationId }, 'markRead failed')
        } finally {
          markingRead.delete(conversationId)
        }
      },
    }
  }
}

export function sortByActivity(conversations: ConversationView[]): ConversationView[] {
  return [...conversations].sort((a, b) => b.lastActivityAt - a.lastActivityAt)
}

function upsert(list: ConversationView[], conversation: ConversationView): ConversationView[] {
  const others = list.filter((item) => item.id !== conversation.id)
  return [...others, conversation]
}
