// Messages per conversation, as the core last reported them, plus the ones this page just sent.
// A conversation holds its newest page at first; older pages are added in front as the reader
// scrolls up (loadOlderMessages), down to seq 1. A refresh of the newest page keeps the older
// pages already loaded when the two meet, so a live message never drops the history in view.
import type { HostApi, MessageView } from '../../../shared/host-api'
import { HostError } from '../../../shared/errors'
import { createLogger } from '../../../shared/logger'
import { coalesceByKey } from './coalesce'
import { describeError, type ErrorInfo } from './errors'
import type { TackSlice } from './store'

const log = createLogger('messages')

/** How many messages one older page asks for. */
export const OLDER_PAGE_SIZE = 100

/** How many of its newest messages a conversation keeps once the reader has left it. */
export const KEPT_WHEN_LEFT = 100

export interface MessageHistory {
  /** A page before the oldest loaded message is on its way. */
  loadingOlder: boolean
  /** An older page came back empty: there is nothing before the oldest loaded message. */
  exhausted: boolean
  /** Why the last older page failed; cleared by the next try. */
  olderError: ErrorInfo | null
}

export interface MessagesState {
  /** Oldest first, as loadMessages returns them: confirmed ones by seq, then pending ones. */
  messagesByConversation: Record<string, MessageView[]>
  /** Paging state per conversation; absent means nothing older was ever asked for. */
  historyByConversation: Record<string, MessageHistory>
}

export interface MessagesActions {
  /** Fetches the newest page (or the page around the focused message) and merges it in. */
  loadMessages(conversationId: string): Promise<void>
  /** Fetches the page before the oldest loaded message, unless one is on its way or none is left. */
  loadOlderMessages(conversationId: string): Promise<void>
  /** Keeps only the newest messages of a conversation the reader has left, bounding memory. */
  trimMessages(conversationId: string): void
  /** Hands the text to the core's outbox; rejects with HostError if the core refused it. */
  sendMessage(
    conversationId: string,
    text: string,
    extras?: { replyToMessageId?: string; mentionIds?: string[] },
  ): Promise<void>
  /** Takes back my message (within two minutes of sending); rejects with HostError. */
  recallMessage(conversationId: string, messageId: string): Promise<void>
}

export type MessagesSlice = MessagesState & MessagesActions

export const initialMessagesState: MessagesState = {
  messagesByConversation: {},
  historyByConversation: {},
}

const FRESH_HISTORY: MessageHistory = { loadingOlder: false, exhausted: false, olderError: null }

export function createMessagesSlice(host: HostApi): TackSlice<MessagesSlice> {
  return (set, get) => {
    function setMessages(
      conversationId: string,
      change: (messages: MessageView[]) => MessageView[],
    ): void {
      set((state) => ({
        messagesByConversation: {
          ...state.messagesByConversation,
          [conversationId]: change(state.messagesByConversation[conversationId] ?? []),
        },
      }))
    }

    function setHistory(conversationId: string, change: Partial<MessageHistory>): void {
      set((state) => ({
        historyByConversation: {
          ...state.historyByConversation,
          [conversationId]: {
            ...(state.historyByConversation[conversationId] ?? FRESH_HISTORY),
            ...change,
          },
        },
      }))
    }

    const loadMessages = coalesceByKey(async (conversationId: string) => {
      const account = get().session?.me.id
      const focus = get().focusedMessage
      const aroundSeq = focus?.conversationId === conversationId ? focus.seq : undefined
      try {
        const page = await host.loadMessages(
          aroundSeq === undefined ? { conversationId } : { conversationId, aroundSeq },
        )
        if (get().session?.me.id !== account) return
        setMessages(conversationId, (current) =>
          aroundSeq === undefined ? mergeNewestPage(current, page) : page,
        )
      } catch (error) {
        log.warn({ err: error, conversationId }, 'loadMessages failed')
      }
    })

    async function loadOlderMessages(conversationId: string): Promise<void> {
      const state = get()
      const history = state.historyByConversation[conversationId] ?? FRESH_HISTORY
      const oldest = oldestConfirmed(state.messagesByConversation[conversationId] ?? [])
      if (history.loadingOlder || history.exhausted || !oldest || oldest.seq! <= 1) return
      const account = state.session?.me.id
      setHistory(conversationId, { loadingOlder: true, olderError: null })
      try {
        const page = await host.loadMessages({
          conversationId,
          beforeSeq: oldest.seq!,
          limit: OLDER_PAGE_SIZE,
        })
        if (get().session?.me.id !== account) return
        setMessages(conversationId, (current) => prependOlderPage(current, page, oldest.seq!))
        setHistory(conversationId, { loadingOlder: false, exhausted: page.length === 0 })
      } catch (error) {
        log.warn({ err: error, conversationId }, 'loading older messages failed')
        if (get().session?.me.id !== account) return
        setHistory(conversationId, { loadingOlder: false, olderError: describeError(error) })
      }
    }

    return {
      ...initialMessagesState,

      loadMessages,

      loadOlderMessages,

      trimMessages(conversationId) {
        const messages = get().messagesByConversation[conversationId]
        if (!messages || messages.length <= KEPT_WHEN_LEFT) return
        setMessages(conversationId, (current) => current.slice(-KEPT_WHEN_LEFT))
        setHistory(conversationId, FRESH_HISTORY)
      },

      async sendMessage(conversationId, text, extras = {}) {
        const trimmed = text.trim()
        if (!trimmed) return
        const { replyToMessageId, mentionIds } = extras
        const message = await host.sendMessage({
          conversationId,
          text: trimmed,
          ...(replyToMessageId ? { replyToMessageId } : {}),
          ...(mentionIds?.length ? { mentionIds } : {}),
        })
        setMessages(conversationId, (messages) => upsertMessage(messages, message))
        // Sending returns from a search hit to the latest messages, where the new one is.
        if (get().focusedMessage?.conversationId === conversationId) get().clearFocus()
      },

      async recallMessage(conversationId, messageId) {
        if (!host.recallMessage)
          throw new HostError('UNKNOWN_METHOD', 'this host has no recallMessage')
        await host.recallMessage({ conversationId, messageId })
        await get().loadMessages(conversationId)
      },
    }
  }
}

/** Replaces the message with the same client message id, or appends it. */
export function upsertMessage(messages: MessageView[], message: MessageView): MessageView[] {
  const index = messages.findIndex((item) => item.clientMessageId === message.clientMessageId)
  if (index === -1) return [...messages, message]
  return messages.map((item, at) => (at === index ? message : item))
}

function oldestConfirmed(messages: MessageView[]): MessageView | undefined {
  return messages.find((message) => message.seq !== null)
}

/**
 * The newest page as the core has it now, behind the older messages already loaded when they
 * reach it (no gap in seq between them). A gap means more arrived than one page holds: the older
 * ones are dropped then, and scrolling up loads them again.
 */
export function mergeNewestPage(current: MessageView[], page: MessageView[]): MessageView[] {
  const pageOldest = oldestConfirmed(page)
  if (!pageOldest) return page
  const older = current.filter((message) => message.seq !== null && message.seq < pageOldest.seq!)
  if (older.length === 0 || older.at(-1)!.seq! < pageOldest.seq! - 1) return page
  return [...older, ...page]
}

/**
 * An older page, asked for before `beforeSeq`, in front of what is loaded: only its messages
 * older than the oldest loaded one, so nothing is doubled. Dropped if the loaded messages no
 * longer start at `beforeSeq` (the newest page replaced them while it was on its way).
 */
export function prependOlderPage(
  current: MessageView[],
  page: MessageView[],
  beforeSeq: number,
): MessageView[] {
  if (oldestConfirmed(current)?.seq !== beforeSeq) return current
  const older = page.filter((message) => message.seq !== null && message.seq < beforeSeq)
  return older.length === 0 ? current : [...older, ...current]
}
