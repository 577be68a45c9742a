// What the composer holds for each conversation, so switching away and back keeps a half-written
// message, and the core keeps it on this device so it outlasts a restart too: each change is
// saved after a short pause in typing, and at once when the page goes away or I sign out. The
// first listing of an account's conversations gives the kept drafts back. Account data: signing
// out clears it from memory.
import type { ConversationView, DraftView, HostApi } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { mentionsKept } from './compose-slice'
import type { TackSlice } from './store'

const log = createLogger('drafts')

/** How long typing pauses before the draft is saved. */
export const DRAFT_SAVE_DELAY_MS = 500

/** The most people picked with @ that a saved draft keeps (the core takes no more). */
const MAX_SAVED_MENTIONS = 100

export interface DraftsState {
  /** Conversation id → the composer's text; absent when empty. */
  drafts: Record<string, string>
}

export interface DraftsActions {
  setDraft(conversationId: string, text: string): void
  /** Saves every draft changed since it was last saved, now (the page is going away). */
  flushDrafts(): Promise<void>
  /** Takes the drafts the core kept from a listing, where this page has none of its own. */
  restoreDrafts(conversations: readonly ConversationView[]): void
}

export type DraftsSlice = DraftsState & DraftsActions

export const initialDraftsState: DraftsState = {
  drafts: {},
}

export function createDraftsSlice(host: HostApi): TackSlice<DraftsSlice> {
  return (set, get) => {
    // Conversation id → the timer of its unsaved change, and the account it belongs to.
    const unsaved = new Map<string, { timer: ReturnType<typeof setTimeout>; account: string }>()

    async function save(conversationId: string, account: string): Promise<void> {
      const pending = unsaved.get(conversationId)
      if (pending) clearTimeout(pending.timer)
      unsaved.delete(conversationId)
      // Signed out or another account since: the draft went with the old account's data.
      if (get().session?.me.id !== account) return
      const text = get().drafts[conversationId] ?? ''
      const draft: DraftView = {
        text,
        mentions: mentionsKept(text, get().pickedMentions[conversationId] ?? []).slice(
          0,
          MAX_SAVED_MENTIONS,
        ),
      }
      try {
        await host.saveDraft({ conversationId, ...draft })
      } catch (error) {
        // Still in memory: only a restart before the next change would lose it.
        log.warn({ err: error, conversationId }, 'draft not saved')
      }
    }

    return {
      ...initialDraftsState,

      setDraft(conversationId, text) {
        set((state) => {
          const drafts = { ...state.drafts }
          if (text === '') delete drafts[conversationId]
          else drafts[conversationId] = text
          return { drafts }
        })
        const account = get().session?.me.id
        if (!account) return
        const pending = unsaved.get(conversationId)
        if (pending) clearTimeout(pending.timer)
        const timer = setTimeout(() => void save(conversationId, account), DRAFT_SAVE_DELAY_MS)
        unsaved.set(conversationId, { timer, account })
      },

      async flushDrafts() {
        await Promise.all(
          [...unsaved].map(([conversationId, { account }]) => save(conversationId, account)),
        )
      },

      restoreDrafts(conversations) {
        set((state) => {
          const drafts = { ...state.drafts }
          const pickedMentions = { ...state.pickedMentions }
          for (const { id, draft } of conversations) {
            if (!draft || id in drafts || unsaved.has(id)) continue
            drafts[id] = draft.text
            if (!pickedMentions[id] && draft.mentions.length > 0)
              pickedMentions[id] = draft.mentions
          }
          return { drafts, pickedMentions }
        })
      },
    }
  }
}
