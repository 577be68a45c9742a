// A group large enough for a shared group log (the threshold lowered to three members here): a
// message is written once, each member's log takes it in when that member syncs, and every device
// ends with exactly the group's messages in order: online, offline until later, joined late, left.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { DATABASE_FILE } from '../../server/server'
import { useServerAndCores } from '../support/server-and-cores'
import { until } from '../support/wait'

describe('a group with a shared log', () => {
  const t = useServerAndCores('tack-group-log-', { groupLogFrom: 3 })

  async function texts(core: ClientCore, conversationId: string): Promise<string[]> {
    const messages = await core.loadMessages({ conversationId, limit: 500 })
    expect(messages.map((m) => m.seq)).toEqual(
      [...messages.map((m) => m.seq)].sort((a, b) => a! - b!),
    )
    return messages.map((m) => {
      if (m.notice) return `[${m.notice.kind}]`
      return m.recalled ? '(recalled)' : m.text
    })
  }

  /** Rows in the server's tables, read beside the running server. */
  function rows(sql: string, ...params: string[]): number {
    const db = new Database(join(t.dir, 'server', DATABASE_FILE), { readonly: true })
    try {
      return db
        .prepare(sql)
        .pluck()
        .get(...params) as number
    } finally {
      db.close()
    }
  }

  it('delivers each message once to every device of every member, in order', async () => {
    const carol = await t.signedIn('carol', 'carol')
    const desktop = await t.signedIn('alice-desktop', 'alice')
    const laptop = await t.signedIn('alice-laptop', 'alice')
    const bob = await t.signedIn('bob', 'bob')
    const group = await carol.createGroup({ title: 'Launch', memberIds: ['u-alice', 'u-bob'] })
    await until(async () => (await bob.listConversations()).some((c) => c.id === group.id), 'bob')
    await laptop.close()

    for (let i = 1; i <= 4; i++)
      await carol.sendMessage({ conversationId: group.id, text: `c${i}` })
    await until(async () => {
      const mine = await carol.loadMessages({ conversationId: group.id })
      // Her four, after the note that she created the group.
      return mine.length === 5 && mine.every((m) => m.state === 'sent')
    }, 'carol’s four sent')
    await bob.sendMessage({ conversationId: group.id, text: 'b1' })
    await until(async () => (await texts(desktop, group.id)).length === 6, 'desktop has six')

    // Written once each into the group log; the closed laptop's device has not synced, but
    // Alice's log already took the items in for her desktop.
    expect(rows('SELECT count(*) FROM group_log WHERE conversation_id = ?', group.id)).toBe(6)
    const sent = await until(async () => {
      const [last] = await bob.loadMessages({ conversationId: group.id, limit: 1 })
      return last?.text === 'b1' && last.id ? last : undefined
    }, 'bob has the server id of his message')
    await bob.recallMessage({ conversationId: group.id, messageId: sent.id! })

    const again = t.makeCore('alice-laptop')
    await again.start()
    for (const core of [carol, desktop, again, bob]) {
      await until(
        async () => (await texts(core, group.id)).includes('(recalled)'),
        'the recall everywhere',
      )
    }
    const all = ['[created]', 'c1', 'c2', 'c3', 'c4', '(recalled)']
    expect(await texts(again, group.id)).toEqual(all)
    expect(await texts(desktop, group.id)).toEqual(all)
    expect(await texts(bob, group.id)).toEqual(all)
  })

  it('a member who joins later starts at the end; one who leaves gets nothing after', async () => {
    const carol = await t.signedIn('carol', 'carol')
    const bob = await t.signedIn('bob', 'bob')
    const alice = await t.signedIn('alice', 'alice')
    const group = await carol.createGroup({ title: 'Launch', memberIds: ['u-alice', 'u-bob'] })
    await carol.sendMessage({ conversationId: group.id, text: 'before' })
    await until(async () => (await texts(bob, group.id)).length === 2, 'bob has it')

    await carol.updateConversation({
      conversationId: group.id,
      addMemberIds: ['u-david'],
      removeMemberIds: ['u-bob'],
    })
    await carol.sendMessage({ conversationId: group.id, text: 'after' })
    const david = await t.signedIn('david', 'david')

    // David starts at the note that he was added; Bob's last is the note that he was removed.
    await until(async () => (await texts(david, group.id)).length === 2, 'david has two')
    expect(await texts(david, group.id)).toEqual(['[membersAdded]', 'after'])
    await until(async () => (await texts(alice, group.id)).length === 5, 'alice has all')
    expect(await texts(alice, group.id)).toEqual([
      '[created]',
      'before',
      '[membersRemoved]',
      '[membersAdded]',
      'after',
    ])
    await until(async () => (await texts(bob, group.id)).length === 3, 'bob has his removal')
    expect(await texts(bob, group.id)).toEqual(['[created]', 'before', '[membersRemoved]'])
    expect(rows(`SELECT count(*) FROM group_log_cursors WHERE user_id = 'u-bob'`)).toBeGreaterThan(
      0,
    )
  })
})
