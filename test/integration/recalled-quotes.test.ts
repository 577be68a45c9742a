// A recall takes the text away from the quotes of it too: on the devices that are live when it
// syncs, on one that syncs later, on one that gets a reset from the server, and in search.
import { describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import type { MessageView } from '../../shared/host-api'
import { useServerAndCores } from '../support/server-and-cores'
import { until } from '../support/wait'

describe('the quote of a recalled message', () => {
  const t = useServerAndCores('tack-recalled-quote-', {
    syncRetention: { keepItems: 5 },
    syncPruneIntervalMs: 3_600_000,
  })

  /** The message with `text` as `core` has it, once it has a server id. */
  async function messageOf(core: ClientCore, conversationId: string, text: string) {
    let found: MessageView | undefined
    await until(async () => {
      const messages = await core.loadMessages({ conversationId })
      found = messages.find((message) => message.text === text && message.id !== null)
      return found !== undefined
    }, `"${text}"`)
    return found!
  }

  async function quoteOnceRecalled(core: ClientCore, conversationId: string) {
    await until(
      async () => (await messageOf(core, conversationId, 'which one?')).replyTo?.recalled === true,
      'the quote marked recalled',
    )
    return (await messageOf(core, conversationId, 'which one?')).replyTo
  }

  it('shows no text on live devices, on one that syncs later, after a reset, nor in search', async () => {
    const alice = await t.signedIn('alice', 'alice')
    const desktop = await t.signedIn('bob-desktop', 'bob')
    const laptop = await t.signedIn('bob-laptop', 'bob')
    const { id } = await alice.openDirectConversation({ peerId: 'u-bob' })
    await alice.sendMessage({ conversationId: id, text: 'secret oops' })
    const original = await messageOf(desktop, id, 'secret oops')
    await desktop.sendMessage({
      conversationId: id,
      text: 'which one?',
      replyToMessageId: original.id!,
    })
    await messageOf(laptop, id, 'which one?')
    await messageOf(alice, id, 'which one?')
    await laptop.close()

    await alice.recallMessage({ conversationId: id, messageId: original.id! })

    const blank = { messageId: original.id, senderId: 'u-alice', excerpt: '', recalled: true }
    expect(await quoteOnceRecalled(alice, id)).toEqual({ ...blank, seq: original.seq })
    expect(await quoteOnceRecalled(desktop, id)).toMatchObject(blank)
    for (const core of [alice, desktop]) {
      expect(await core.searchMessages({ query: 'secret' })).toEqual([])
    }

    // The laptop syncs the reply's recall from its own sync point.
    const later = t.makeCore('bob-laptop')
    await later.start()
    expect(await quoteOnceRecalled(later, id)).toMatchObject(blank)

    // A new device after pruning gets a reset: the server serves the reply without the text.
    expect(t.server.pruneSyncLogs()).toBeGreaterThan(0)
    const tablet = await t.signedIn('bob-tablet', 'bob')
    expect(await quoteOnceRecalled(tablet, id)).toMatchObject(blank)
    expect(await tablet.searchMessages({ query: 'secret' })).toEqual([])
  })

  it('refuses a reply to a message recalled since, by its own code, keeping nothing', async () => {
    const alice = await t.signedIn('alice', 'alice')
    const bob = await t.signedIn('bob', 'bob')
    const { id } = await alice.openDirectConversation({ peerId: 'u-bob' })
    await alice.sendMessage({ conversationId: id, text: 'secret oops' })
    const original = await messageOf(bob, id, 'secret oops')
    await alice.recallMessage({ conversationId: id, messageId: original.id! })
    await until(
      async () => (await bob.loadMessages({ conversationId: id }))[0]?.recalled === true,
      'the recall',
    )

    const refused = bob.sendMessage({
      conversationId: id,
      text: 'which one?',
      replyToMessageId: original.id!,
    })

    await expect(refused).rejects.toMatchObject({ code: 'QUOTE_RECALLED' })
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('m:') })
    expect((await bob.loadMessages({ conversationId: id })).map((m) => m.text)).toEqual([''])
  })
})
