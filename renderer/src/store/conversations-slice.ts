// The conversation list (newest activity first), which conversation is open (and at which
// message, when opened from a search hit), and the search over messages and contacts.
import type { ConversationView, HostApi, MessageSearchHit, Person } from '../../../shared/host-api'
import { HostError } from '../../../shared/errors'
import { createLogger } from '../../../shared/logger'
import { coalesce } from './coalesce'
import type { TackSlice } from './store'

const log = createLogger('conversations')

export interface SearchResults {
  query: string
  messages: MessageSearchHit[]
  contacts: Person[]
}

export interface ConversationsState {
  /** Pinned ones first, then by lastActivityAt, newest first (sortConversations). */
  conversations: ConversationView[]
  /** Whether the account's list has been fetched at least once (before that it is not news). */
  conversationsLoaded: boolean
  openConversationId: string | null
  /** The message a search hit opened the conversation at: shown centred and highlighted. */
  focusedMessage: { conversationId: string; seq: number } | null
  searchQuery: string
  /** Results of the latest search that finished; null while the query is empty. */
  searchResults: SearchResults | null
}

export interface ConversationsActions {
  /**
   * Fetches the conversations again: all of them, or only those named (a change event's), which
   * are then moved into place in the sorted list. Overlapping calls share one follow-up fetch.
   */
  refreshConversations(conversationIds?: readonly string[]): Promise<void>
  /** Opens a conversation in the Chats view and loads its messages. */
  openConversation(conversationId: string): void
  /** Finds or starts the direct conversation with a person, and opens it. */
  openDirectConversation(peerId: string): Promise<void>
  /** Creates a group conversation, and opens it. */
  createGroup(title: string, memberIds: string[]): Promise<void>
  markRead(conversationId: string): Promise<void>
  /** Pins or mutes a conversation for me, on all my devices; rejects with HostError. */
  setConversationFlags(
    conversationId: string,
    flags: { pinned?: boolean; muted?: boolean },
  ): Promise<void>
  /** Renames a group or changes its members (removing myself leaves it); rejects with HostError. */
  changeGroup(conversationId: string, change: GroupChange): Promise<void>
  /** Opens a conversation at one message (from a search hit), its neighbours around it. */
  openConversationAt(conversationId: string, seq: number): void
  /** Forgets the focused message, so the conversation shows its latest messages again. */
  clearFocus(): void
  /** What the search box holds; emptying it ends the search. */
  setSearchQuery(query: string): void
  /** Searches messages and contacts; a result for other than the current query is dropped. */
  search(query: string): Promise<void>
  /** Runs the current search again (messages arrived), at most one at a time plus one after. */
  refreshSearch(): Promise<void>
  clearSearch(): void
}

export interface GroupChange {
  title?: string
  addMemberIds?: string[]
  removeMemberIds?: string[]
}

export type ConversationsSlice = ConversationsState & ConversationsActions

export const initialConversationsState: ConversationsState = {
  conversations: [],
  conversationsLoaded: false,
  openConversationId: null,
  focusedMessage: null,
  searchQuery: '',
  searchResults: null,
}

export function createConversationsSlice(host: HostApi): TackSlice<ConversationsSlice> {
  return (set, get) => {
    const markingRead = new Set<string>()
    // What the next fetch must cover: every conversation, or these.
    let wanted: Set<string> | 'all' = new Set()

    const fetchWanted = coalesce(async () => {
      const asked = wanted
      wanted = new Set()
      if (asked !== 'all' && asked.size === 0) return
      const account = get().session?.me.id
      const everything = asked === 'all'
      try {
        const conversations = everything
          ? await host.listConversations({})
          : await listInSlices(host, [...asked])
        if (get().session?.me.id !== account) return
        if (everything) {
          // The drafts kept on this device come back once, with the account's first listing: a
          // later one could carry a draft the page has since emptied and not yet saved.
          if (!get().conversationsLoaded) get().restoreDrafts(conversations)
          set({ conversations: sortConversations(conversations), conversationsLoaded: true })
        } else {
          set((state) => ({
            conversations: replaceConversations(state.conversations, asked, conversations),
          }))
        }
      } catch (error) {
        log.warn({ err: error }, 'listConversations failed')
      }
    })

    function refreshConversations(conversationIds?: readonly string[]): Promise<void> {
      if (!conversationIds) wanted = 'all'
      else if (wanted !== 'all') for (const id of conversationIds) wanted.add(id)
      return fetchWanted()
    }

    function keepConversation(conversation: ConversationView): void {
      set((state) => ({
        conversations: replaceConversations(state.conversations, new Set([conversation.id]), [
          conversation,
        ]),
      }))
    }

    /** Leaving a conversation for another keeps only its newest messages in memory. */
    function leave(nextId: string): void {
      const previous = get().openConversationId
      if (previous && previous !== nextId) get().trimMessages(previous)
    }

    function showConversation(conversation: ConversationView): void {
      keepConversation(conversation)
      get().openConversation(conversation.id)
    }

    const refreshSearch = coalesce(async () => {
      const query = get().searchQuery
      if (query.trim() !== '') await get().search(query)
    })

    return {
      ...initialConversationsState,

      refreshConversations,

      refreshSearch,

      openConversation(conversationId) {
        leave(conversationId)
        set({ openConversationId: conversationId, view: 'chats', focusedMessage: null })
        void get().loadMessages(conversationId)
      },

      openConversationAt(conversationId, seq) {
        leave(conversationId)
        set({
          openConversationId: conversationId,
          view: 'chats',
          focusedMessage: { conversationId, seq },
        })
        void get().loadMessages(conversationId)
      },

      clearFocus() {
        const focus = get().focusedMessage
        if (!focus) return
        set({ focusedMessage: null })
        void get().loadMessages(focus.conversationId)
      },

      setSearchQuery(query) {
        set(
          query.trim() === ''
            ? { searchQuery: query, searchResults: null }
            : { searchQuery: query },
        )
      },

      async search(query) {
        const trimmed = query.trim()
        if (!trimmed) return
        const account = get().session?.me.id
        try {
          const [messages, contacts] = await Promise.all([
            host.searchMessages({ query: trimmed, limit: 50 }),
            host.searchContacts({ query: trimmed, limit: 10 }),
          ])
          if (get().session?.me.id !== account || get().searchQuery !== query) return
          set({ searchResults: { query: trimmed, messages, contacts } })
        } catch (error) {
          log.warn({ err: error }, 'search failed')
        }
      },

      clearSearch() {
        set({ searchQuery: '', searchResults: null })
      },

      async openDirectConversation(peerId) {
        showConversation(await host.openDirectConversation({ peerId }))
      },

      async createGroup(title, memberIds) {
        showConversation(await host.createGroup({ title, memberIds }))
      },

      async setConversationFlags(conversationId, flags) {
        if (!host.updateConversation)
          throw new HostError('UNKNOWN_METHOD', 'this host has no updateConversation')
        keepConversation(await host.updateConversation({ conversationId, ...flags }))
      },

      async changeGroup(conversationId, change) {
        if (!host.updateConversation)
          throw new HostError('UNKNOWN_METHOD', 'this host has no updateConversation')
        keepConversation(await host.updateConversation({ conversationId, ...change }))
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

/** The most conversation ids one listConversations request may name. */
const MAX_IDS_PER_FETCH = 1000

/** The named conversations, a slice of ids per request (a sync packet may name thousands). */
async function listInSlices(host: HostApi, ids: string[]): Promise<ConversationView[]> {
  const found: ConversationView[] = []
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_FETCH) {
    const conversationIds = ids.slice(start, start + MAX_IDS_PER_FETCH)
    found.push(...(await host.listConversations({ conversationIds })))
  }
  return found
}

/** Pinned first, then newest activity first; ties by id, so the order never flickers. */
export function compareConversations(a: ConversationView, b: ConversationView): number {
  return (
    Number(b.pinned ?? false) - Number(a.pinned ?? false) ||
    b.lastActivityAt - a.lastActivityAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

export function sortConversations(conversations: readonly ConversationView[]): ConversationView[] {
  return [...conversations].sort(compareConversations)
}

/**
 * The sorted list with the conversations named in `asked` replaced by `fresh` (those of them the
 * core still has; one it no longer lists is gone). One pass over the list and a merge, so a
 * change to a few of 20,000 conversations costs no sort of them all.
 */
export function replaceConversations(
  sorted: readonly ConversationView[],
  asked: ReadonlySet<string>,
  fresh: readonly ConversationView[],
): ConversationView[] {
  const incoming = sortConversations(fresh.filter((conversation) => asked.has(conversation.id)))
  const merged: ConversationView[] = []
  let next = 0
  for (const conversation of sorted) {
    if (asked.has(conversation.id)) continue
    while (next < incoming.length && compareConversations(incoming[next]!, conversation) < 0) {
      merged.push(incoming[next]!)
      next += 1
    }
    merged.push(conversation)
  }
  while (next < incoming.length) merged.push(incoming[next++]!)
  return merged
}
