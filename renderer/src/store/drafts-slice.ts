// What the composer holds for each conversation, so switching away and back keeps a half-written
// message. Account data: signing out clears it.
import type { TackSlice } from './store'

export interface DraftsState {
  /** Conversation id → the composer's text; absent when empty. */
  drafts: Record<string, string>
}

export interface DraftsActions {
  setDraft(conversationId: string, text: string): void
}

export type DraftsSlice = DraftsState & DraftsActions

export const initialDraftsState: DraftsState = {
  drafts: {},
}

export function createDraftsSlice(): TackSlice<DraftsSlice> {
  return (set) => ({
    ...initialDraftsState,

    setDraft(conversationId, text) {
      set((state) => {
        const drafts = { ...state.drafts }
        if (text === '') delete drafts[conversationId]
        else drafts[conversationId] = text
        return { drafts }
      })
    },
  })
}
