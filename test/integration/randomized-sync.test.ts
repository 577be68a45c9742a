// The randomized multi-device test: three people, up to five devices each, thousands of random
// operations (send, read, recall, pin, mute, rename, a dropped or black-holed link, a device's
// process ended and started again, a new device signing in), then every device of a person must
// hold exactly the server's truth: every message once, in the server's order, the same recalls,
// unread counts, titles, pinned and muted, and the same device list.
//
// Seeds: TACK_SYNC_SEED=n replays one seed; TACK_SYNC_SEEDS=n runs n seeds from
// TACK_SYNC_FIRST_SEED (default 1); TACK_SYNC_OPS sets the operations per seed (default 2000).
// A seed replays the same sequence of operations; the timing of packets around them differs
// from run to run, as on a real network.
//
// "Kill" here closes the ClientCore without signing out (link stopped, store closed between
// statements) and later opens a new one on the same profile, as an app restart would; the
// durability tests in test/durability/ kill real processes with SIGKILL.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ClientCore } from '../../electron/core/client-core'
import { FileKeyStore } from '../../electron/core/store/key-store'
import { DATABASE_FILE, startServer, type TackServer } from '../../server/server'
import { FaultProxy, seededRandom } from '../netsim/fault-proxy'

const USERS = ['alice', 'bob', 'carol'] as const
type Username = (typeof USERS)[number]
const MAX_DEVICES = 5

const TUNED = {
  connectTimeoutMs: 1_500,
  heartbeatMs: 1_000,
  requestTimeoutMs: 3_000,
  pingTimeoutMs: 400,
  minRtoMs: 200,
  backoffBaseMs: 30,
  backoffCapMs: 300,
}

function seedsToRun(): number[] {
  const one = process.env.TACK_SYNC_SEED
  if (one) return [Number(one)]
  const count = Number(process.env.TACK_SYNC_SEEDS ?? 3)
  const first = Number(process.env.TACK_SYNC_FIRST_SEED ?? 1)
  return Array.from({ length: count }, (_, i) => first + i)
}

const OPS = Number(process.env.TACK_SYNC_OPS ?? 2000)

interface Device {
  name: string
  username: Username
  proxy: FaultProxy
  core: ClientCore | null
}

/** What one person should see in one conversation, from the server's database. */
interface ConversationTruth {
  title: string | null
  messages: [string, number, boolean][]
  unread: number
  pinned: boolean
  muted: boolean
}

type Truth = Map<string, ConversationTruth>

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

class World {
  readonly devices: Device[] = []
  /** Operations that wait for the server run on while the next ones start, as on a real desk. */
  readonly inflight: Promise<void>[] = []
  conversationIds: string[] = []
  groupId = ''
  private opened = 0

  constructor(
    readonly dir: string,
    readonly server: TackServer,
    readonly random: () => number,
    readonly seed: number,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!
  }

  async addDevice(username: Username): Promise<Device> {
    const name = `${username}-${this.devices.filter((d) => d.username === username).length + 1}`
    const proxy = await FaultProxy.start({
      target: { host: '127.0.0.1', port: this.server.port },
      seed: this.seed * 100 + this.devices.length,
    })
    const device: Device = { name, username, proxy, core: this.makeCore(name, proxy) }
    await device.core!.start()
    await device.core!.login({ serverAddress: proxy.address, username, password: 'demo1234' })
    this.devices.push(device)
    return device
  }

  /** The app started again on the device's profile: signed in from its stored ticket. */
  async reopen(device: Device): Promise<void> {
    device.core = this.makeCore(device.name, device.proxy)
    await device.core.start()
  }

  async kill(device: Device): Promise<void> {
    const core = device.core
    device.core = null
    await core?.close()
  }

  async closeAll(): Promise<void> {
    for (const device of this.devices) {
      await this.kill(device)
      await device.proxy.close()
    }
  }

  private makeCore(name: string, proxy: FaultProxy): ClientCore {
    this.opened += 1
    const profileDir = join(this.dir, name)
    return new ClientCore({
      profileDir,
      keyStore: new FileKeyStore(join(profileDir, 'keys')),
      defaultServerAddress: proxy.address,
      trustedCaPem: this.server.caPem,
      device: { name, platform: 'test' },
      connection: TUNED,
    })
  }
}

/** One random operation; refusals that a real user would see (offline, say) are fine. */
async function randomOperation(world: World, step: number): Promise<string> {
  const roll = world.random()
  const device = world.pick(world.devices)
  const core = device.core
  const conversationId = world.pick(world.conversationIds)

  if (roll < 0.04) {
    const username = world.pick(USERS)
    if (world.devices.filter((d) => d.username === username).length >= MAX_DEVICES) return 'skip'
    await world.addDevice(username)
    return 'add-device'
  }
  if (!core) {
    await world.reopen(device)
    return 'restart'
  }
  if (roll < 0.08) {
    await world.kill(device)
    return 'kill'
  }
  if (roll < 0.12) {
    device.proxy.resetAll()
    return 'disconnect'
  }
  if (roll < 0.14) {
    device.proxy.blackhole(100 + Math.floor(world.random() * 500))
    return 'blackhole'
  }
  if (roll < 0.55) {
    // A device that has not synced the conversation yet cannot send to it, as in the app.
    await core.sendMessage({ conversationId, text: `${device.name} #${step}` }).catch(tolerate)
    return 'send'
  }
  if (roll < 0.7) {
    world.inflight.push(core.markRead({ conversationId }).catch(tolerate))
    return 'read'
  }
  if (roll < 0.78) {
    const mine = (await core.loadMessages({ conversationId, limit: 50 })).filter(
      (m) => m.id && m.senderId === `u-${device.username}` && !m.recalled,
    )
    if (mine.length === 0) return 'skip'
    const messageId = world.pick(mine).id!
    world.inflight.push(core.recallMessage({ conversationId, messageId }).catch(tolerate))
    return 'recall'
  }
  let change: Parameters<ClientCore['updateConversation']>[0]
  let what: string
  if (roll < 0.86) {
    ;[change, what] = [{ conversationId, pinned: world.random() < 0.5 }, 'pin']
  } else if (roll < 0.94) {
    ;[change, what] = [{ conversationId, muted: world.random() < 0.5 }, 'mute']
  } else {
    ;[change, what] = [{ conversationId: world.groupId, title: `Trio ${step}` }, 'rename']
  }
  world.inflight.push(core.updateConversation(change).then(() => undefined, tolerate))
  return what
}

/** Refusals a person would see (offline, not synced yet, the app closed meanwhile) are fine. */
function tolerate(error: unknown): void {
  if (error instanceof Error && 'code' in error) return
  throw error
}

function serverTruth(db: Database.Database, userId: string, conversationIds: string[]): Truth {
  const truth: Truth = new Map()
  for (const conversationId of conversationIds) {
    const member = db
      .prepare(
        `SELECT m.read_seq, m.pinned, m.muted, c.title, c.kind FROM conversation_members m
         JOIN conversations c ON c.id = m.conversation_id
         WHERE m.conversation_id = ? AND m.user_id = ?`,
      )
      .get(conversationId, userId) as
      { read_seq: number; pinned: number; muted: number; title: string; kind: number } | undefined
    if (!member) continue
    const rows = db
      .prepare(
        `SELECT id, seq, recalled, sender_id, notice IS NOT NULL AS notice FROM messages
         WHERE conversation_id = ? ORDER BY seq`,
      )
      .all(conversationId) as {
      id: string
      seq: number
      recalled: number
      sender_id: string
      notice: number
    }[]
    truth.set(conversationId, {
      title: member.kind === 2 ? member.title : null,
      messages: rows.map((row) => [row.id, row.seq, row.recalled === 1]),
      unread: rows.filter(
        // Notes of group changes (renames here) are never unread.
        (row) =>
          row.seq > member.read_seq &&
          row.sender_id !== userId &&
          row.recalled === 0 &&
          row.notice === 0,
      ).length,
      pinned: member.pinned === 1,
      muted: member.muted === 1,
    })
  }
  return truth
}

async function deviceView(core: ClientCore, conversationIds: string[]): Promise<Truth> {
  const view: Truth = new Map()
  const conversations = await core.listConversations()
  for (const conversationId of conversationIds) {
    const conversation = conversations.find((c) => c.id === conversationId)
    if (!conversation) continue
    const messages = await core.loadMessages({ conversationId, limit: 1_000_000 })
    view.set(conversationId, {
      title: conversation.kind === 'group' ? conversation.title : null,
      messages: messages.map((m) => [
        m.id ?? `pending:${m.clientMessageId}`,
        m.seq ?? -1,
        !!m.recalled,
      ]),
      unread: conversation.unreadCount,
      pinned: conversation.pinned ?? false,
      muted: conversation.muted ?? false,
    })
  }
  return view
}

/** The first difference between a device and the truth, in words; null when they agree. */
function difference(device: string, truth: Truth, view: Truth): string | null {
  for (const [conversationId, expected] of truth) {
    const actual = view.get(conversationId)
    if (!actual) return `${device}: conversation ${conversationId} missing`
    if (JSON.stringify(actual.messages) !== JSON.stringify(expected.messages)) {
      const want = new Set(expected.messages.map(([id]) => id))
      const have = actual.messages.map(([id]) => id)
      const missing = expected.messages.filter(([id]) => !have.includes(id)).length
      const extra = have.filter((id) => !want.has(id)).length
      const doubled = have.length - new Set(have).size
      return (
        `${device}: messages of ${conversationId} differ (server ${expected.messages.length}, ` +
        `device ${actual.messages.length}, missing ${missing}, extra ${extra}, doubled ${doubled})`
      )
    }
    for (const key of ['title', 'unread', 'pinned', 'muted'] as const) {
      if (actual[key] !== expected[key]) {
        return `${device}: ${key} of ${conversationId} is ${String(actual[key])}, server says ${String(expected[key])}`
      }
    }
  }
  return null
}

async function runSeed(seed: number, dir: string, server: TackServer): Promise<void> {
  const world = new World(dir, server, seededRandom(seed), seed)
  const db = new Database(join(dir, 'server', DATABASE_FILE), { readonly: true })
  try {
    // One device each to begin with; their direct conversations and a group of the three.
    for (const username of USERS) await world.addDevice(username)
    const [alice, bob, carol] = world.devices.map((d) => d.core!)
    const ab = await alice!.openDirectConversation({ peerId: 'u-bob' })
    const ac = await alice!.openDirectConversation({ peerId: 'u-carol' })
    const bc = await bob!.openDirectConversation({ peerId: 'u-carol' })
    const group = await carol!.createGroup({ title: 'Trio', memberIds: ['u-alice', 'u-bob'] })
    world.groupId = group.id
    world.conversationIds = [ab.id, ac.id, bc.id, group.id]

    const counts = new Map<string, number>()
    for (let step = 0; step < OPS; step++) {
      const what = await randomOperation(world, step)
      counts.set(what, (counts.get(what) ?? 0) + 1)
    }

    // Every device back on: links restored, closed apps started again.
    await Promise.all(world.inflight)
    for (const device of world.devices) {
      device.proxy.restore()
      if (!device.core) await world.reopen(device)
    }

    let last = 'not compared yet'
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      last = ''
      for (const device of world.devices) {
        const truth = serverTruth(db, `u-${device.username}`, world.conversationIds)
        const view = await deviceView(device.core!, world.conversationIds)
        last = difference(device.name, truth, view) ?? ''
        if (last) break
        const devices = db
          .prepare('SELECT device_id FROM devices WHERE user_id = ? ORDER BY device_id')
          .pluck()
          .all(`u-${device.username}`)
        const listed = (await device.core!.listDevices()).map((d) => d.deviceId).sort()
        if (JSON.stringify(listed) !== JSON.stringify(devices)) {
          last = `${device.name}: lists ${listed.length} devices, server has ${devices.length}`
          break
        }
      }
      if (!last) break
      await sleep(200)
    }
    expect(
      last,
      `seed ${seed} (${JSON.stringify(Object.fromEntries(counts))}); replay: TACK_SYNC_SEED=${seed}`,
    ).toBe('')
  } finally {
    db.close()
    await world.closeAll()
  }
}

describe('randomized multi-device sync', () => {
  let dir: string
  let server: TackServer | undefined

  afterEach(async () => {
    await server?.close()
    server = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  for (const seed of seedsToRun()) {
    it(`every device equals the server after ${OPS} random operations, seed ${seed}`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'tack-random-'))
      server = await startServer({
        dataDir: join(dir, 'server'),
        packetItems: 7,
        syncWindow: 3,
        syncResendMs: 500,
        // Even seeds send the trio's messages through a shared group log (as large groups do).
        ...(seed % 2 === 0 ? { groupLogFrom: 3 } : {}),
      })
      await runSeed(seed, dir, server)
    }, 120_000)
  }
})
