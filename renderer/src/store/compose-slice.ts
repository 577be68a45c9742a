// What the composer sends besides its text, per conversation: the message it answers (the quote
// bar above the box) and the people picked with @ (kept while their "@Name" stays in the text).
// A reply target recalled since it was picked (seen in the loaded page, or told by the core when
// sending) is sent without its quote. Account data: signing out clears it.
import type { HostApi, MessageView, ReadReceiptsView } from '../../../shared/host-api'
import type { TackSlice, TackState } from './store'

export interface PickedMention {
  userId: string
  /** The name inserted after the @, as it stands in the text. */
  name: string
}

export interface ComposeState {
  /** Conversation id → the message the next one answers. */
  replyTargets: Record<string, MessageView>
  /** Conversation id → the people picked with @ for the draft. */
  pickedMentions: Record<string, PickedMention[]>
}

export interface ComposeActions {
  /** Starts a reply to the message: the composer shows its quote. */
  startReply(message: MessageView): void
  cancelReply(conversationId: string): void
  /** The core said the reply target was recalled (QUOTE_RECALLED): keep it, without its text. */
  markReplyRecalled(conversationId: string): void
  pickMention(conversationId: string, mention: PickedMention): void
  /** Forgets the reply and mentions of a conversation (its message was sent). */
  clearCompose(conversationId: string): void
  /** Who has read my message and who has not; rejects with HostError. */
  loadReadReceipts(conversationId: string, messageId: string): Promise<ReadReceiptsView>
}

export type ComposeSlice = ComposeState & ComposeActions

export const initialComposeState: ComposeState = {
  replyTargets: {},
  pickedMentions: {},
}

/** The picked people whose "@Name" is still in the text, each once (the first pick of them). */
export function mentionsKept(text: string, picked: readonly PickedMention[]): PickedMention[] {
  const kept = new Map<string, PickedMention>()
  for (const { userId, name } of picked) {
    if (text.includes(`@${name}`) && !kept.has(userId)) kept.set(userId, { userId, name })
  }
  return [...kept.values()]
}

/** The ids of the picked people whose "@Name" is still in the text, each once. */
export function mentionIdsIn(text: string, picked: readonly PickedMention[]): string[] {
  return mentionsKept(text, picked).map((mention) => mention.userId)
}

/**
 * The message the next one in the conversation answers, as it is now: a recall since the reply
 * was started shows in the loaded page before anything is sent.
 */
export function replyTargetOf(state: TackState, conversationId: string): MessageView | undefined {
  const target = state.replyTargets[conversationId]
  if (!target || target.recalled) return target
  const loaded = state.messagesByConversation[conversationId]?.find((m) => m.id === target.id)
  return loaded?.recalled ? loaded : target
}

/** What sendMessage carries besides the text of a conversation's draft. */
export function composeExtras(
  state: TackState,
  conversationId: string,
  text: string,
): { replyToMessageId?: string; mentionIds: string[] } {
  const target = replyTargetOf(state, conversationId)
  // A recalled message cannot be quoted: the reply goes without the quote.
  const replyTo = target?.recalled ? undefined : target?.id
  const mentionIds = mentionIdsIn(text, state.pickedMentions[conversationId] ?? [])
  return replyTo ? { replyToMessageId: replyTo, mentionIds } : { mentionIds }
}

export function createComposeSlice(host: HostApi): TackSlice<ComposeSlice> {
  return (set) => ({
    ...initialComposeState,

    startReply(message) {
      set((state) => ({
        replyTargets: { ...state.replyTargets, [message.conversationId]: message },
      }))
    },

    cancelReply(conversationId) {
      set((state) => ({ replyTargets: without(state.replyTargets, conversationId) }))
    },

    markReplyRecalled(conversationId) {
      set((state) => {
        const target = state.replyTargets[conversationId]
        if (!target) return {}
        const recalled = { ...target, text: '', recalled: true }
        return { replyTargets: { ...state.replyTargets, [conversationId]: recalled } }
      })
    },

    pickMention(conversationId, mention) {
      set((state) => ({
        pickedMentions: {
          ...state.pickedMentions,
          [conversationId]: [...(state.pickedMentions[conversationId] ?? []), mention],
        },
      }))
    },

    clearCompose(conversationId) {
      set((state) => ({
        replyTargets: without(state.replyTargets, conversationId),
        pickedMentions: without(state.pickedMentions, conversationId),
      }))
    },

    async loadReadReceipts(conversationId, messageId) {
      return host.getReadReceipts({ conversationId, messageId })
    },
  })
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record
  const copy = { ...record }
  delete copy[key]
  return copy
}
