import { describe, expect, it, vi } from 'vitest'
import type { ConversationView, HostEventListener, HostState } from '../../shared/host-api'
import { watchUnread, type UnreadCore } from './unread-watcher'

function conversation(
  id: string,
  unreadCount: number,
  lastMessage: ConversationView['lastMessage'],
): ConversationView {
  return {
    id,
    kind: 'direct',
    title: `Chat ${id}`,
    memberIds: ['me', 'bob'],
    peerId: 'bob',
    lastMessage,
    unreadCount,
    lastActivityAt: lastMessage?.sentAt ?? 0,
  }
}

function fakeCore(initial: ConversationView[]) {
  let conversations = initial
  let signedIn = true
  let listener: HostEventListener | null = null
  const core: UnreadCore = {
    getState: async () =>
      ({ session: signedIn ? { me: { id: 'me' } } : null }) as unknown as HostState,
    listConversations: async () => conversations,
    onEvent: (next) => {
      listener = next
      return () => (listener = null)
    },
  }
  return {
    core,
    set: (next: ConversationView[]) => {
      conversations = next
      listener?.('conversationsChanged', { conversationIds: next.map(({ id }) => id) })
    },
    signOut: () => {
      signedIn = false
      listener?.('session', { session: null, reason: null })
    },
  }
}

function sink() {
  return { unreadChanged: vi.fn(), messageArrived: vi.fn() }
}

describe('watchUnread', () => {
  it('reports the total unread count, and again when it changes', async () => {
    const { core, set } = fakeCore([conversation('a', 2, null), conversation('b', 1, null)])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(3))

    set([conversation('a', 0, null), conversation('b', 1, null)])
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(1))
  })

  it("tells of a new message from someone else, not of history or of one's own", async () => {
    const old = { senderId: 'bob', text: 'old', sentAt: 1 }
    const { core, set } = fakeCore([conversation('a', 1, old)])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenCalledWith(1))
    expect(shell.messageArrived).not.toHaveBeenCalled()

    const mine = { senderId: 'me', text: 'mine', sentAt: 2 }
    set([conversation('a', 1, mine)])
    const fresh = { senderId: 'bob', text: 'new!', sentAt: 3 }
    set([conversation('a', 2, fresh)])

    await vi.waitFor(() =>
      expect(shell.messageArrived).toHaveBeenCalledWith({
        conversationId: 'a',
        conversationTitle: 'Chat a',
        message: fresh,
      }),
    )
    expect(shell.messageArrived).toHaveBeenCalledTimes(1)
  })

  it('leaves muted conversations out of the total and tells of none of their messages', async () => {
    const old = { senderId: 'bob', text: 'old', sentAt: 1 }
    const muted = (c: ConversationView) => ({ ...c, muted: true })
    const { core, set } = fakeCore([conversation('a', 2, old), muted(conversation('b', 5, old))])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(2))

    const fresh = { senderId: 'bob', text: 'new', sentAt: 2 }
    set([conversation('a', 3, fresh), muted(conversation('b', 6, fresh))])
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(3))
    expect(shell.messageArrived.mock.calls.map(([arrival]) => arrival.conversationId)).toEqual([
      'a',
    ])
  })

  it('clears the count when the session ends', async () => {
    const { core, signOut } = fakeCore([conversation('a', 4, null)])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(4))
    signOut()
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(0))
  })
})
