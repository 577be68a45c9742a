import { describe, expect, it, vi } from 'vitest'
import type { HostApi, MessageView } from '../../../shared/host-api'
import { OLDER_PAGE_SIZE } from './messages-slice'
import { selectHasOlder, selectHistoryOf } from './selectors'
import { createTackStore } from './store'

const CONVERSATION = 'c-1'

function message(seq: number | null, clientMessageId = `cm-${seq}`): MessageView {
  return {
    conversationId: CONVERSATION,
    clientMessageId,
    id: seq === null ? null : `m-${seq}`,
    seq,
    senderId: 'u-peer',
    text: `message ${seq ?? clientMessageId}`,
    sentAt: 1_000 + (seq ?? 10_000),
    state: seq === null ? 'sending' : 'sent',
  }
}

/** Seqs from..to, oldest first. */
function range(from: number, to: number): MessageView[] {
  return Array.from({ length: to - from + 1 }, (_, index) => message(from + index))
}

/**
 * A core holding messages 1..total: the newest page without beforeSeq, else the page before it,
 * as the real store answers. `gate` holds an answer back until the test lets it go.
 */
function pagingHost(total: number) {
  let all = range(1, total)
  let gate: Promise<void> | null = null
  const loadMessages = vi.fn(
    async (params: { conversationId: string; beforeSeq?: number; limit?: number }) => {
      if (gate && params.beforeSeq !== undefined) await gate
      const limit = params.limit ?? 100
      const before = all.filter((m) => m.seq! < (params.beforeSeq ?? Number.MAX_SAFE_INTEGER))
      return before.slice(-limit)
    },
  )
  return {
    host: { loadMessages } as unknown as HostApi,
    loadMessages,
    arrive(seq: number) {
      all = [...all, message(seq)]
    },
    hold(): () => void {
      let release!: () => void
      gate = new Promise((done) => (release = done))
      return () => {
        gate = null
        release()
      }
    },
  }
}

const seqsOf = (store: ReturnType<typeof createTackStore>) =>
  store.getState().messagesByConversation[CONVERSATION]!.map((m) => m.seq)

describe('paging older messages', () => {
  it('puts the page before the oldest loaded message in front, asking by beforeSeq', async () => {
    const core = pagingHost(250)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    expect(seqsOf(store)).toEqual(range(151, 250).map((m) => m.seq))
    expect(selectHasOlder(CONVERSATION)(store.getState())).toBe(true)

    await store.getState().loadOlderMessages(CONVERSATION)
    expect(core.loadMessages).toHaveBeenLastCalledWith({
      conversationId: CONVERSATION,
      beforeSeq: 151,
      limit: OLDER_PAGE_SIZE,
    })
    expect(seqsOf(store)).toEqual(range(51, 250).map((m) => m.seq))
  })

  it('stops at seq 1: no request once the first message is loaded', async () => {
    const core = pagingHost(150)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    expect(seqsOf(store)[0]).toBe(1)
    expect(seqsOf(store)).toHaveLength(150)
    expect(selectHasOlder(CONVERSATION)(store.getState())).toBe(false)

    core.loadMessages.mockClear()
    await store.getState().loadOlderMessages(CONVERSATION)
    expect(core.loadMessages).not.toHaveBeenCalled()
  })

  it('asks once while a page is on its way, and shows that it is loading', async () => {
    const core = pagingHost(300)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    const release = core.hold()
    const first = store.getState().loadOlderMessages(CONVERSATION)
    const second = store.getState().loadOlderMessages(CONVERSATION)
    expect(selectHistoryOf(CONVERSATION)(store.getState()).loadingOlder).toBe(true)
    release()
    await Promise.all([first, second])
    expect(core.loadMessages.mock.calls.filter(([p]) => p.beforeSeq !== undefined)).toHaveLength(1)
    expect(selectHistoryOf(CONVERSATION)(store.getState()).loadingOlder).toBe(false)
    expect(seqsOf(store)).toHaveLength(200)
  })

  it('doubles nothing when a live message arrives while an older page loads', async () => {
    const core = pagingHost(200)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    const release = core.hold()
    const older = store.getState().loadOlderMessages(CONVERSATION)

    core.arrive(201)
    await store.getState().loadMessages(CONVERSATION)
    release()
    await older

    const seqs = seqsOf(store)
    expect(seqs).toEqual(range(1, 201).map((m) => m.seq))
    expect(
      new Set(store.getState().messagesByConversation[CONVERSATION]!.map((m) => m.clientMessageId))
        .size,
    ).toBe(201)
  })

  it('keeps the older pages when the newest page is fetched again after a new message', async () => {
    const core = pagingHost(300)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    core.arrive(301)
    await store.getState().loadMessages(CONVERSATION)
    expect(seqsOf(store)).toEqual(range(101, 301).map((m) => m.seq))
  })

  it('drops the older pages when more arrived than a page holds, leaving no gap', async () => {
    const core = pagingHost(300)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    for (let seq = 301; seq <= 450; seq += 1) core.arrive(seq)
    await store.getState().loadMessages(CONVERSATION)
    expect(seqsOf(store)).toEqual(range(351, 450).map((m) => m.seq))
  })

  it('keeps a pending message after the confirmed ones through paging', async () => {
    const core = pagingHost(150)
    const pending = message(null, 'cm-pending')
    core.loadMessages.mockImplementationOnce(async () => [...range(51, 150), pending])
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    const messages = store.getState().messagesByConversation[CONVERSATION]!
    expect(messages).toHaveLength(151)
    expect(messages.at(-1)?.clientMessageId).toBe('cm-pending')
    expect(messages[0]?.seq).toBe(1)
  })

  it('says why an older page failed, and tries again when asked', async () => {
    const core = pagingHost(200)
    const store = createTackStore(core.host)
    await store.getState().loadMessages(CONVERSATION)
    core.loadMessages.mockRejectedValueOnce(new Error('offline'))
    await store.getState().loadOlderMessages(CONVERSATION)
    expect(selectHistoryOf(CONVERSATION)(store.getState()).olderError).toMatchObject({
      code: 'INTERNAL',
      message: 'offline',
    })
    expect(seqsOf(store)).toHaveLength(100)

    await store.getState().loadOlderMessages(CONVERSATION)
    expect(selectHistoryOf(CONVERSATION)(store.getState()).olderError).toBeNull()
    expect(seqsOf(store)).toHaveLength(200)
  })

  it('keeps only the newest page of a conversation the reader left', async () => {
    const core = pagingHost(500)
    const store = createTackStore(core.host)
    store.getState().openConversation(CONVERSATION)
    await store.getState().loadMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    await store.getState().loadOlderMessages(CONVERSATION)
    expect(seqsOf(store)).toHaveLength(300)

    store.getState().openConversation('c-2')
    expect(seqsOf(store)).toEqual(range(401, 500).map((m) => m.seq))
  })
})
