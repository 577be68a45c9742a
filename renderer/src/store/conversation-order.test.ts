import { describe, expect, it, vi } from 'vitest'
import type { ConversationView, HostApi } from '../../../shared/host-api'
import { replaceConversations, sortConversations } from './conversations-slice'
import { selectTotalUnread } from './selectors'
import { createTackStore } from './store'

function conversation(id: string, lastActivityAt: number, extra: Partial<ConversationView> = {}) {
  return {
    id,
    kind: 'direct',
    title: id,
    memberIds: [],
    peerId: null,
    lastMessage: null,
    unreadCount: 0,
    lastActivityAt,
    ...extra,
  } satisfies ConversationView
}

describe('conversation order and totals', () => {
  it('puts pinned conversations first, each group newest first', () => {
    const sorted = sortConversations([
      conversation('old', 1),
      conversation('old-pinned', 2, { pinned: true }),
      conversation('new', 4),
      conversation('new-pinned', 3, { pinned: true }),
    ])
    expect(sorted.map((c) => c.id)).toEqual(['new-pinned', 'old-pinned', 'new', 'old'])
  })

  it('leaves muted conversations out of the unread total', () => {
    // Only state is read, so a host with no methods will do.
    const store = createTackStore({} as HostApi)
    store.setState({
      conversations: [
        conversation('a', 1, { unreadCount: 2 }),
        conversation('b', 2, { unreadCount: 5, muted: true }),
      ],
    })
    expect(selectTotalUnread(store.getState())).toBe(2)
  })

  it('reports a host without updateConversation as an unknown method', async () => {
    const store = createTackStore({} as HostApi)
    await expect(store.getState().setConversationFlags('a', { muted: true })).rejects.toMatchObject(
      { code: 'UNKNOWN_METHOD' },
    )
  })

  it('moves changed conversations into place without touching the others', () => {
    const sorted = sortConversations([
      conversation('p', 1, { pinned: true }),
      conversation('a', 40),
      conversation('b', 30),
      conversation('c', 20),
      conversation('d', 10),
    ])
    const next = replaceConversations(sorted, new Set(['c', 'b', 'gone']), [
      conversation('c', 50),
      conversation('b', 15),
      // Not asked for: a host answering with more than asked changes nothing else.
      conversation('d', 99),
    ])
    expect(next.map((c) => c.id)).toEqual(['p', 'c', 'a', 'b', 'd'])
    expect(next.find((c) => c.id === 'd')?.lastActivityAt).toBe(10)
    // A conversation asked for and not returned (left, say) is gone.
    expect(replaceConversations(next, new Set(['a']), []).map((c) => c.id)).toEqual([
      'p',
      'c',
      'b',
      'd',
    ])
  })

  it('fetches only the conversations a change names, once the list is loaded', async () => {
    const all = Array.from({ length: 20_000 }, (_, index) => conversation(`c${index}`, index))
    const listConversations = vi.fn(async (params: { conversationIds?: string[] }) =>
      params.conversationIds
        ? [conversation(params.conversationIds[0]!, 1_000_000, { unreadCount: 1 })]
        : all,
    )
    const store = createTackStore({ listConversations } as unknown as HostApi)
    await store.getState().refreshConversations()
    expect(store.getState().conversations[0]?.id).toBe('c19999')

    await store.getState().refreshConversations(['c5'])
    expect(listConversations).toHaveBeenLastCalledWith({ conversationIds: ['c5'] })
    const { conversations } = store.getState()
    expect(conversations).toHaveLength(20_000)
    expect(conversations[0]).toMatchObject({ id: 'c5', unreadCount: 1 })
    expect(conversations[1]?.id).toBe('c19999')
  })

  it('folds overlapping refreshes into one follow-up fetch covering every id', async () => {
    let release!: () => void
    const gate = new Promise<void>((done) => (release = done))
    const listConversations = vi.fn(async () => {
      await gate
      return [] as ConversationView[]
    })
    const store = createTackStore({ listConversations } as unknown as HostApi)
    const first = store.getState().refreshConversations(['a'])
    const second = store.getState().refreshConversations(['b'])
    const third = store.getState().refreshConversations(['c', 'b'])
    release()
    await Promise.all([first, second, third])
    expect(listConversations.mock.calls).toEqual([
      [{ conversationIds: ['a'] }],
      [{ conversationIds: ['b', 'c'] }],
    ])
  })

  it('asks for thousands of named conversations a thousand at a time, never for all', async () => {
    const ids = Array.from({ length: 2_500 }, (_, index) => `c${index}`)
    const listConversations = vi.fn(async (params: { conversationIds?: string[] }) =>
      (params.conversationIds ?? []).map((id) => conversation(id, Number(id.slice(1)))),
    )
    const store = createTackStore({ listConversations } as unknown as HostApi)
    await store.getState().refreshConversations(ids)
    expect(listConversations.mock.calls.map(([params]) => params.conversationIds?.length)).toEqual([
      1_000, 1_000, 500,
    ])
    expect(store.getState().conversations).toHaveLength(2_500)
    expect(store.getState().conversations[0]?.id).toBe('c2499')
  })
})
