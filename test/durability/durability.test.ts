// Durability with real processes killed for real (SIGKILL: no exit handlers, no clean close):
// a message sent just before the kill is delivered exactly once after a restart, and a kill in
// the middle of applying a large sync packet leaves a consistent database that resumes from its
// last committed sync point.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { openEncryptedDatabase } from '../../electron/core/store/open-database'
import { Store } from '../../electron/core/store/store'
import { SyncEngine } from '../../electron/core/sync/sync-engine'
import { startServer, type TackServer } from '../../server/server'
import { runScript, type RunningChild } from '../support/child-process'
import { makeTestCore } from '../support/cores'
import { until } from '../support/wait'
import { CONVERSATIONS, syntheticPacket } from './packets'

const WAIT = { timeoutMs: 20_000 }

/** Runs a script of this folder in its own process (see test/support/child-process.ts). */
function run(
  script: string,
  args: string[],
  env: Record<string, string>,
  onLine: (line: string, child: ChildProcess) => void,
): RunningChild {
  return runScript(join(import.meta.dirname, script), args, env, onLine)
}

describe('durability across a killed process', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-durability-'))
  })

  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  describe('with the reference server', () => {
    let server: TackServer
    const cores: ClientCore[] = []

    function makeCore(name: string): ClientCore {
      const core = makeTestCore(dir, name, server)
      cores.push(core)
      return core
    }

    beforeEach(async () => {
      server = await startServer({ dataDir: join(dir, 'server') })
    })

    afterEach(async () => {
      for (const core of cores.splice(0)) await core.close()
      await server.close()
    })

    it('delivers messages sent right before a SIGKILL exactly once after a restart', async () => {
      // Alice signs in once, in this process, and opens a conversation with Bob.
      const alice = makeCore('alice')
      await alice.start()
      await alice.login({ serverAddress: server.address, username: 'alice', password: 'demo1234' })
      const conversation = await alice.openDirectConversation({ peerId: 'u-bob' })
      await alice.close()
      const bob = makeCore('bob')
      await bob.start()
      await bob.login({ serverAddress: server.address, username: 'bob', password: 'demo1234' })

      // Her app, as its own process, sends five messages and is killed the moment send returns.
      const texts = Array.from({ length: 5 }, (_, i) => `sent before the kill ${i + 1}`)
      const killed = run(
        'send-then-wait.ts',
        [],
        {
          TACK_TEST_SEND: JSON.stringify({
            profileDir: join(dir, 'alice'),
            serverAddress: server.address,
            caPath: server.caPath,
            conversationId: conversation.id,
            texts,
          }),
        },
        (line, child) => {
          if (line === 'SENT') child.kill('SIGKILL')
        },
      )
      expect(await killed.exited, killed.output()).toBe('SIGKILL')

      // Restarted, it delivers what the outbox held; Bob gets each message once, in order.
      const restarted = makeCore('alice')
      await restarted.start()
      const atBob = async () =>
        (await bob.loadMessages({ conversationId: conversation.id })).map((m) => m.text)
      await until(async () => (await atBob()).length === texts.length, 'all five at Bob', WAIT)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(await atBob()).toEqual(texts)
      const mine = await until(
        async () => {
          const messages = await restarted.loadMessages({ conversationId: conversation.id })
          return messages.every((m) => m.state === 'sent') && messages
        },
        'every message confirmed at Alice',
        WAIT,
      )
      expect(mine.map((m) => m.text)).toEqual(texts)
      expect(mine.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
    })
  })

  it('keeps a database consistent when killed mid-packet, and sync resumes from the last commit', async () => {
    const path = join(dir, 'account.db')
    const key = randomBytes(32)
    const PACKETS = 6
    const SIZE = 50_000

    // The process applies packets of 50,000 items (about a second each here); it is killed a tenth
    // of a second into the second.
    let committed = 0
    const killed = run(
      'apply-until-killed.ts',
      [path, key.toString('hex'), String(PACKETS), String(SIZE)],
      {},
      (line, child) => {
        if (line.startsWith('COMMITTED ')) committed = Number(line.split(' ')[1])
        if (line === 'APPLYING 2') setTimeout(() => child.kill('SIGKILL'), 100)
      },
    )
    expect(await killed.exited, killed.output()).toBe('SIGKILL')
    expect(killed.output()).not.toContain(`COMMITTED ${2 * SIZE}`)
    expect(committed).toBe(SIZE)

    // The file is whole, and holds exactly what the last committed packet brought.
    const db = await openEncryptedDatabase(path, key, { create: false })
    expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' })
    await db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
    expect(await db.get('SELECT count(*) AS n FROM messages')).toEqual({ n: SIZE })
    expect(await db.get('SELECT sum(last_seq) AS n FROM conversations')).toEqual({ n: SIZE })
    await db.close()

    // Sync resumes from there: the server resends from the acknowledged point (packet 1 again,
    // as a duplicate), and the rest applies on top.
    const store = await Store.open(path, key, { create: false })
    expect(await store.getSyncPoint()).toBe(SIZE)
    const engine = new SyncEngine(store, 'u-me', () => undefined)
    const outcomes = []
    for (let packetNo = 1; packetNo <= 3; packetNo += 1) {
      outcomes.push(await engine.apply(syntheticPacket(packetNo, SIZE)))
    }
    expect(outcomes).toEqual(['duplicate', 'applied', 'applied'])
    expect(await store.getSyncPoint()).toBe(3 * SIZE)
    const hits = await store.searchMessages('marker-75000', 10, 'u-me')
    expect(hits.map((hit) => hit.message.id)).toEqual(['m-75000'])
    const latest = await store.loadMessages(`c-0`, undefined, 1)
    expect(latest[0]?.seq).toBe((3 * SIZE) / CONVERSATIONS)
    await store.close()
  }, 120_000)
})
