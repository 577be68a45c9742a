import { describe, expect, it } from 'vitest'
import type { ConversationView, HostApi } from '../../../shared/host-api'
import { sortConversations } from './conversations-slice'
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
})
