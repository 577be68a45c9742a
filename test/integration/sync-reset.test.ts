// A device that was offline longer than the server keeps its sync log: it gets a reset (a snapshot
// of its conversations and their newest messages), then the live stream; scrolling back fetches
// the older history it lacks. Real server, real encrypted stores.
import { describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import type { MessageView } from '../../shared/host-api'
import { useServerAndCores } from '../support/server-and-cores'
import { until } from '../support/wait'

const PAGE = 20

describe('a device older than the kept sync log', () => {
  const t = useServerAndCores('tack-reset-', {
    syncRetention: { keepItems: 10 },
    syncPruneIntervalMs: 3_600_000,
  })

  async function unread(core: ClientCore, conversationId: string): Promise<number | undefined> {
    return (await core.listConversations()).find((c) => c.id === conversationId)?.unreadCount
  }

  /** Every confirmed message, paging back from the newest as a scrolling reader would. */
  async function scrollToStart(core: ClientCore, conversationId: string): Promise<MessageView[]> {
    let page = await core.loadMessages({ conversationId, limit: PAGE })
    const all = [...page]
    while (page[0]?.seq && page[0].seq > 1) {
      page = await core.loadMessages({ conversationId, beforeSeq: page[0].seq, limit: PAGE })
      if (page.length === 0) break
      all.unshift(...page)
    }
    return all
  }

  it('gets a snapshot, then the live stream, and fetches older history as it scrolls back', async () => {
    const desktop = await t.signedIn('desktop', 'alice')
    const laptop = await t.signedIn('laptop', 'alice')
    const bob = await t.signedIn('bob', 'bob')
    const direct = await bob.openDirectConversation({ peerId: 'u-alice' })
    for (let i = 1; i <= 5; i++)
      await bob.sendMessage({ conversationId: direct.id, text: `early ${i}` })
    await until(async () => (await unread(laptop, direct.id)) === 5, 'laptop has the first five')
    await laptop.close()

    // While the laptop is away: 60 more messages, a new group that the desktop pins, and pruning.
    for (let i = 1; i <= 60; i++)
      await bob.sendMessage({ conversationId: direct.id, text: `later ${i}` })
    const group = await desktop.createGroup({ title: 'Launch', memberIds: ['u-bob'] })
    await desktop.updateConversation({ conversationId: group.id, pinned: true })
    await until(async () => (await unread(desktop, direct.id)) === 65, 'desktop has all 65')
    expect(t.server.pruneSyncLogs()).toBeGreaterThan(0)

    const again = t.makeCore('laptop')
    await again.start()
    await until(async () => (await unread(again, direct.id)) === 65, 'the reset arrived')

    const [mine, theirs] = await Promise.all(
      [again, desktop].map(async (core) =>
        (await core.listConversations()).map((c) => ({
          id: c.id,
          title: c.title,
          unread: c.unreadCount,
          pinned: c.pinned,
          last: c.lastMessage?.text,
        })),
      ),
    )
    expect(mine).toEqual(theirs)
    expect(mine.find((c) => c.id === group.id)).toMatchObject({ title: 'Launch', pinned: true })

    await bob.sendMessage({ conversationId: direct.id, text: 'live after the reset' })
    await until(async () => (await unread(again, direct.id)) === 66, 'the live stream')

    const history = await scrollToStart(again, direct.id)
    const truth = await desktop.loadMessages({ conversationId: direct.id, limit: 500 })
    expect(history.map((m) => [m.seq, m.id, m.text])).toEqual(
      truth.map((m) => [m.seq, m.id, m.text]),
    )
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 66 }, (_, i) => i + 1))
    expect(await unread(again, direct.id)).toBe(66)

    await again.markRead({ conversationId: direct.id })
    await until(
      async () => (await unread(desktop, direct.id)) === 0,
      'the read reached the desktop',
    )
  })
})
