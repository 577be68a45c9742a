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
  return {
    unreadChanged: vi.fn(),
    messageArrived: vi.fn(),
    conversationsSeen: vi.fn(),
    reader: vi.fn(() => ({
      notificationsEnabled: true,
      conversationInFront: null as string | null,
    })),
  }
}

const arrivedIn = (shell: ReturnType<typeof sink>) =>
  shell.messageArrived.mock.calls.map(([arrival]) => arrival.conversationId)

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
        group: false,
        message: fresh,
      }),
    )
    expect(shell.messageArrived).toHaveBeenCalledTimes(1)

    // In a group, so the notification names the sender.
    const inGroup = { senderId: 'bob', senderName: '李博', text: 'all of you', sentAt: 4 }
    set([{ ...conversation('a', 3, inGroup), kind: 'group', peerId: null }])
    await vi.waitFor(() =>
      expect(shell.messageArrived).toHaveBeenLastCalledWith(
        expect.objectContaining({ group: true, message: inGroup }),
      ),
    )
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
    expect(arrivedIn(shell)).toEqual(['a'])
  })

  it('tells of a message that @-mentions me in a muted conversation, as the renderer does', async () => {
    const old = { senderId: 'bob', text: 'old', sentAt: 1 }
    const muted = (c: ConversationView) => ({ ...c, muted: true })
    const { core, set } = fakeCore([muted(conversation('b', 1, old)), conversation('a', 0, null)])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenCalledWith(0))

    // A plain message stays quiet; the other conversation's count shows the watcher saw it.
    const plain = { senderId: 'bob', text: 'lunch?', sentAt: 2 }
    set([muted(conversation('b', 2, plain)), conversation('a', 1, null)])
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(1))
    expect(shell.messageArrived).not.toHaveBeenCalled()

    const mention = { senderId: 'bob', text: '@me look', sentAt: 3 }
    set([{ ...muted(conversation('b', 3, mention)), mentionsMe: true }, conversation('a', 2, null)])
    await vi.waitFor(() => expect(arrivedIn(shell)).toEqual(['b']))
    expect(shell.messageArrived.mock.lastCall![0].message).toEqual(mention)
    // Still muted: the mention does not put its count on the badge.
    expect(shell.unreadChanged).toHaveBeenLastCalledWith(2)
  })

  it('tells of nothing while notifications are off, and of news again once they are on', async () => {
    const { core, set } = fakeCore([conversation('a', 0, null)])
    const shell = sink()
    shell.reader.mockReturnValue({ notificationsEnabled: false, conversationInFront: null })
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenCalledWith(0))

    set([conversation('a', 1, { senderId: 'bob', text: 'one', sentAt: 2 })])
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenLastCalledWith(1))
    expect(shell.messageArrived).not.toHaveBeenCalled()

    shell.reader.mockReturnValue({ notificationsEnabled: true, conversationInFront: null })
    set([conversation('a', 2, { senderId: 'bob', text: 'two', sentAt: 3 })])
    await vi.waitFor(() => expect(arrivedIn(shell)).toEqual(['a']))
  })

  it('tells of nothing in the conversation in front of the reader, but of another one', async () => {
    const { core, set } = fakeCore([conversation('a', 0, null), conversation('b', 0, null)])
    const shell = sink()
    shell.reader.mockReturnValue({ notificationsEnabled: true, conversationInFront: 'a' })
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenCalledWith(0))

    const fresh = { senderId: 'bob', text: 'hi', sentAt: 2 }
    set([conversation('a', 1, fresh), conversation('b', 1, fresh)])
    await vi.waitFor(() => expect(arrivedIn(shell)).toEqual(['b']))
  })

  it('tells of a file sent without text, with its attachment for the body', async () => {
    const { core, set } = fakeCore([conversation('a', 0, null)])
    const shell = sink()
    watchUnread(core, shell)
    await vi.waitFor(() => expect(shell.unreadChanged).toHaveBeenCalledWith(0))

    const file = {
      senderId: 'bob',
      text: '',
      sentAt: 2,
      attachment: { kind: 'file' as const, name: 'plan.pdf' },
    }
    set([conversation('a', 1, file)])
    await vi.waitFor(() => expect(shell.messageArrived).toHaveBeenCalled())
    expect(shell.messageArrived.mock.lastCall![0].message).toEqual(file)
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
