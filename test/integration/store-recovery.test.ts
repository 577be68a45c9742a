// The ways an account's local database can fail to open, each against the real server: what the
// person is told, that nothing is created in its place and no file is lost, and that recovery
// (sign in again, resync into a new database, the old file moved aside) brings the history back.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import type { StoreProblemKind } from '../../shared/host-api'
import { startServer, type TackServer } from '../../server/server'
import { makeTestCore } from '../support/cores'
import { until } from '../support/wait'

const WAIT = { timeoutMs: 15_000 }
const ALICE = 'u-alice'

/** Every file under `dir` and a hash of its bytes. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files.set(path, createHash('sha256').update(readFileSync(path)).digest('hex'))
  }
  return files
}

interface Damage {
  kind: StoreProblemKind
  /** What the person is told, in part. */
  says: RegExp
  damage(paths: { keyFile: string; database: string }): void
}

const DAMAGES: Record<string, Damage> = {
  'a wrong key': {
    kind: 'wrong-key',
    says: /key does not match/,
    damage: ({ keyFile }) => writeFileSync(keyFile, randomBytes(32).toString('hex')),
  },
  'a missing key': {
    kind: 'missing-key',
    says: /key of the local database .* is missing/,
    damage: ({ keyFile }) => rmSync(keyFile),
  },
  'an unreadable key': {
    kind: 'key-unreadable',
    says: /key cannot be read: the key file .* is damaged/,
    damage: ({ keyFile }) => writeFileSync(keyFile, 'not hex at all'),
  },
  'a damaged database file': {
    kind: 'corrupt',
    says: /is damaged: its key is right but the file cannot be read/,
    damage: ({ database }) => {
      const bytes = readFileSync(database)
      randomBytes(4096).copy(bytes, 0)
      writeFileSync(database, bytes)
    },
  },
}

describe('a local database that will not open', () => {
  let dir: string
  let server: TackServer
  const cores: ClientCore[] = []

  function makeCore(): ClientCore {
    const core = makeTestCore(dir, 'alice', server)
    cores.push(core)
    return core
  }

  const paths = () => ({
    keyFile: join(dir, 'alice', 'keys', `${ALICE}.key`),
    database: join(dir, 'alice', 'accounts', `${ALICE}.db`),
  })

  /** Alice signs in, writes a note to herself in a group, and quits. */
  async function aliceWithHistory(): Promise<{ conversationId: string }> {
    const core = makeCore()
    await core.start()
    await core.login({ serverAddress: server.address, username: 'alice', password: 'demo1234' })
    const group = await until(
      async () => (await core.listConversations()).find((c) => c.kind === 'group'),
      'a group',
      WAIT,
    )
    await core.sendMessage({ conversationId: group.id, text: 'kept on the server 评审' })
    await until(
      async () =>
        (await core.loadMessages({ conversationId: group.id })).some((m) => m.state === 'sent'),
      'the message sent',
      WAIT,
    )
    await core.close()
    return { conversationId: group.id }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-recovery-'))
    server = await startServer({ dataDir: join(dir, 'server') })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const [name, { kind, says, damage }] of Object.entries(DAMAGES)) {
    it(`with ${name}: says so, creates nothing, loses no file, and recovers by resyncing`, async () => {
      const { conversationId } = await aliceWithHistory()
      damage(paths())
      const before = snapshot(join(dir, 'alice'))

      // At start: signed out, with the problem for the recovery screen.
      const core = makeCore()
      await core.start()
      const state = await core.getState()
      expect(state.session).toBeNull()
      expect(state.storeProblem).toMatchObject({ userId: ALICE, kind })
      expect(state.storeProblem?.message).toMatch(says)

      // Signing in without recovering is refused the same way, and makes no new database.
      await expect(
        core.login({ serverAddress: server.address, username: 'alice', password: 'demo1234' }),
      ).rejects.toMatchObject({ code: 'STORE_LOCKED', message: expect.stringMatching(says) })
      expect(withoutProfile(snapshot(join(dir, 'alice')))).toEqual(withoutProfile(before))

      // Recovery renames the database's files aside, byte for byte.
      const { movedAside } = await core.recoverStore()
      expect(movedAside.map((move) => move.from)).toContain(paths().database)
      for (const move of movedAside) {
        expect(move.to).toMatch(/\.broken-\d{8}T\d{6}Z/)
        expect(snapshot(join(dir, 'alice')).get(move.to)).toBe(before.get(move.from))
      }
      for (const [path, hash] of before) {
        const now = snapshot(join(dir, 'alice'))
        const kept = now.get(path) === hash || [...now.values()].includes(hash)
        if (!path.endsWith('profile.json')) expect(kept, `${path} kept`).toBe(true)
      }

      // Signing in again makes a new database that sync fills from the server.
      await core.login({ serverAddress: server.address, username: 'alice', password: 'demo1234' })
      await until(
        async () => {
          const messages = await core.loadMessages({ conversationId })
          return messages.some((m) => m.text === 'kept on the server 评审')
        },
        'the history resynced',
        WAIT,
      )
      expect((await core.getState()).storeProblem).toBeNull()
      const hits = await core.searchMessages({ query: '评审' })
      expect(hits.map((hit) => hit.message.text)).toEqual(['kept on the server 评审'])
    })
  }
})

/** The snapshot minus profile.json, which start() may rewrite (it holds no account data). */
function withoutProfile(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => !path.endsWith('profile.json')))
}
