// Multi-device sync. Part one: a device that was offline while 100,000 items gathered in its log
// (across 1,000 conversations) signs in and catches up, timed from login to the last packet
// applied, through the real TLS server and the real encrypted store; the baseline is the same
// items applied straight into a fresh encrypted store in the same packets, in the same run.
// Part two: the same catch-up (smaller) for several packet sizes and windows. The server's
// database is seeded in bulk with SQL, as its own writes would have left it. Part three: one
// message to a group of 10,000 members, fanned out on write (an item in every member's log, as
// the server does) against a shared group log written once and read by each member at sync.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf'
import Database from 'better-sqlite3'
import type { ClientCore } from '../electron/core/client-core'
import { Store, type SyncChange } from '../electron/core/store/store'
import { changeFromWire } from '../electron/core/sync/wire'
import {
  ConversationKind,
  ConversationSchema,
  DepartmentSchema,
  SyncItemSchema,
  UserSchema,
} from '../shared/gen/tack_pb'
import { DATABASE_FILE, startServer, type ServerOptions, type TackServer } from '../server/server'
import { openSqliteStorage } from '../server/storage/sqlite-storage'
import { makeTestCore } from '../test/support/cores'
import { until } from '../test/support/wait'
import type { BenchResult } from './harness'
import { messageText, seeded } from './store.bench'

const CATCHUP_ITEMS = Number(process.env.TACK_BENCH_SYNC_ITEMS ?? 100_000)
const CONVERSATIONS = 1_000
const TABLE_ITEMS = Number(process.env.TACK_BENCH_SYNC_TABLE_ITEMS ?? 20_000)
const TABLE_SETTINGS: { packetItems: number; window: number }[] = [
  { packetItems: 100, window: 1 },
  { packetItems: 100, window: 4 },
  { packetItems: 500, window: 4 },
  { packetItems: 1000, window: 2 },
  { packetItems: 1000, window: 4 },
  { packetItems: 1000, window: 8 },
]
/** The server's defaults: what a device meets in practice. */
const DEFAULT_PACKET_ITEMS = 1000
const DEFAULT_WINDOW = 4

const CATCHUP_USER = 'u-alice'
const TABLE_USER = 'u-carol'
const PEER = 'u-bob'

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tack-bench-sync-'))
  try {
    const dataDir = join(dir, 'server')
    await seedServer(dataDir, [
      { userId: CATCHUP_USER, items: CATCHUP_ITEMS, prefix: 'a' },
      { userId: TABLE_USER, items: TABLE_ITEMS, prefix: 't' },
    ])

    const straight = await applyStraight(dir, dataDir, CATCHUP_USER, DEFAULT_PACKET_ITEMS)
    const catchup = await catchUp(dir, dataDir, 'alice', CATCHUP_USER, {
      packetItems: DEFAULT_PACKET_ITEMS,
      syncWindow: DEFAULT_WINDOW,
    })

    const table: { packetItems: number; window: number; ms: number }[] = []
    for (const setting of TABLE_SETTINGS) {
      const result = await catchUp(dir, dataDir, 'carol', TABLE_USER, {
        packetItems: setting.packetItems,
        syncWindow: setting.window,
      })
      table.push({ ...setting, ms: result.ms })
    }

    const group = largeGroup(dir)

    const metrics: Record<string, number> = {
      catchup_items: catchup.items,
      catchup_100k_ms: Math.round(catchup.ms),
      catchup_items_per_s: Math.round(catchup.items / (catchup.ms / 1000)),
      straight_apply_ms: Math.round(straight.ms),
      straight_apply_items_per_s: Math.round(straight.items / (straight.ms / 1000)),
      protocol_to_store_ratio: round(catchup.ms / straight.ms),
      table_items: TABLE_ITEMS,
      group_members: GROUP_MEMBERS,
      group_fanout_ms_per_message: round(group.fanoutMs),
      group_fanout_log_rows_per_message: group.fanoutRows,
      group_shared_log_ms_per_message: round(group.sharedWriteMs),
      group_shared_log_rows_per_message: group.sharedRows,
      group_shared_log_deliver_and_read_ms_all_members: round(group.sharedDeliverMs),
      group_fanout_read_ms_all_members: round(group.fanoutReadMs),
    }
    for (const row of table) {
      metrics[`table_p${row.packetItems}_w${row.window}_items_per_s`] = Math.round(
        TABLE_ITEMS / (row.ms / 1000),
      )
    }
    printTable(metrics, table)
    return { name: 'sync', date: new Date().toISOString(), node: process.version, metrics }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// ---- seeding the server ----------------------------------------------------------------------

interface SeedLog {
  userId: string
  /** Items in the user's log: one conversation_changed per conversation, the rest messages. */
  items: number
  /** Keeps ids of different users' conversations apart. */
  prefix: string
}

/** Makes the server's database with the demo organisation, then fills each user's log. */
async function seedServer(dataDir: string, logs: SeedLog[]): Promise<void> {
  await (await startServer({ dataDir })).close()
  const db = new Database(join(dataDir, DATABASE_FILE))
  try {
    for (const log of logs) fillLog(db, log)
  } finally {
    db.close()
  }
}

/** Writes rows the way SqliteStorage's own writes leave them, in one transaction per log. */
function fillLog(db: Database.Database, seed: SeedLog): void {
  const random = seeded(seed.prefix.charCodeAt(0))
  const insert = {
    conversation: db.prepare(
      'INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES (?, ?, ?, ?, ?)',
    ),
    lastSeq: db.prepare('UPDATE conversations SET last_seq = ? WHERE id = ?'),
    member: db.prepare(
      'INSERT INTO conversation_members (conversation_id, user_id, read_seq) VALUES (?, ?, ?)',
    ),
    message: db.prepare(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text,
         sent_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    item: db.prepare('INSERT INTO sync_log (user_id, sync_id, item) VALUES (?, ?, ?)'),
  }
  const conversations = Math.min(CONVERSATIONS, seed.items)
  const messages = seed.items - conversations
  const seqs = new Array<number>(conversations).fill(0)
  const createdAtMs = 1_789_000_000_000n
  let syncId = BigInt(
    (
      db
        .prepare('SELECT COALESCE(MAX(sync_id), 0) AS head FROM sync_log WHERE user_id = ?')
        .get(seed.userId) as { head: number }
    ).head,
  )
  const append = (kind: MessageInitShape<typeof SyncItemSchema>['kind']) => {
    syncId += 1n
    const item = create(SyncItemSchema, { syncId, kind })
    insert.item.run(seed.userId, syncId, toBinary(SyncItemSchema, item))
  }
  db.transaction(() => {
    for (let c = 0; c < conversations; c += 1) {
      const id = `g:${seed.prefix}-${c}`
      insert.conversation.run(id, ConversationKind.GROUP, `group ${c}`, createdAtMs, 0)
      insert.member.run(id, seed.userId, 0)
      insert.member.run(id, PEER, 0)
      const memberIds = [seed.userId, PEER]
      append({
        case: 'conversationChanged',
        value: { id, kind: ConversationKind.GROUP, title: `group ${c}`, memberIds, createdAtMs },
      })
    }
    for (let i = 0; i < messages; i += 1) {
      const c = Math.floor(random() * conversations)
      seqs[c]! += 1
      const senderId = random() < 0.2 ? seed.userId : PEER
      const message = {
        id: `m:${seed.prefix}-${i}`,
        conversationId: `g:${seed.prefix}-${c}`,
        seq: BigInt(seqs[c]!),
        senderId,
        clientMessageId: `cm-${seed.prefix}-${i}`,
        text: messageText(random),
        sentAtMs: createdAtMs + BigInt(i) * 1000n,
      }
      insert.message.run(
        message.id,
        message.conversationId,
        message.seq,
        senderId,
        message.clientMessageId,
        message.text,
        message.sentAtMs,
      )
      append({ case: 'messageCreated', value: message })
    }
    seqs.forEach((seq, c) => insert.lastSeq.run(seq, `g:${seed.prefix}-${c}`))
  })()
}

// ---- large groups -----------------------------------------------------------------------------

const GROUP_MEMBERS = 10_000
const GROUP_MESSAGES = Number(process.env.TACK_BENCH_SYNC_GROUP_MESSAGES ?? 20)

interface GroupTimes {
  fanoutMs: number
  fanoutRows: number
  sharedWriteMs: number
  sharedRows: number
  fanoutReadMs: number
  sharedDeliverMs: number
}

/**
 * One message into a 10,000-member group through the server's storage, both ways it can go:
 * fan-out on write (an item in every member's log in the message's transaction) and the shared
 * group log (written once; each member's log takes it in when that member syncs, timed here for
 * every member). Then every member reads its new items once, as its sync stream would.
 */
function largeGroup(dir: string): GroupTimes {
  const fanout = groupStorage(join(dir, 'fanout.db'), Number.MAX_SAFE_INTEGER)
  const random = seeded(11)
  const rowsBefore = countRows(fanout.path, 'sync_log')
  let started = process.hrtime.bigint()
  for (let i = 0; i < GROUP_MESSAGES; i += 1) fanout.send(i, messageText(random))
  const fanoutMs = elapsedMs(started) / GROUP_MESSAGES
  const fanoutRows = (countRows(fanout.path, 'sync_log') - rowsBefore) / GROUP_MESSAGES
  started = process.hrtime.bigint()
  for (const userId of fanout.memberIds) fanout.storage.readSyncLog(userId, 1n, GROUP_READ)
  const fanoutReadMs = elapsedMs(started)
  fanout.storage.close()

  const shared = groupStorage(join(dir, 'shared.db'), GROUP_MEMBERS)
  const logBefore = countRows(shared.path, 'sync_log')
  started = process.hrtime.bigint()
  for (let i = 0; i < GROUP_MESSAGES; i += 1) shared.send(i, messageText(random))
  const sharedWriteMs = elapsedMs(started) / GROUP_MESSAGES
  const sharedRows =
    (countRows(shared.path, 'sync_log') - logBefore + countRows(shared.path, 'group_log')) /
    GROUP_MESSAGES
  started = process.hrtime.bigint()
  for (const userId of shared.memberIds) {
    shared.storage.deliverGroupLogs(userId)
    shared.storage.readSyncLog(userId, 1n, GROUP_READ)
  }
  const sharedDeliverMs = elapsedMs(started)
  shared.storage.close()
  return { fanoutMs, fanoutRows, sharedWriteMs, sharedRows, fanoutReadMs, sharedDeliverMs }
}

const GROUP_READ = { maxItems: 100, maxBytes: 1 << 20 }

/** A server database with GROUP_MEMBERS people in one group, and a way to send to it. */
function groupStorage(path: string, groupLogFrom: number) {
  const storage = openSqliteStorage(path, { groupLogFrom })
  const memberIds = Array.from({ length: GROUP_MEMBERS }, (_, i) => `u-${i}`)
  storage.addDirectory({
    departments: [create(DepartmentSchema, { id: 'd', name: '部', nameEn: 'Dept' })],
    users: memberIds.map((id) => ({
      user: create(UserSchema, { id, username: id.replace('-', ''), name: id, departmentId: 'd' }),
      passwordHash: '!',
    })),
  })
  storage.createConversation(
    create(ConversationSchema, {
      id: 'g:big',
      kind: ConversationKind.GROUP,
      title: 'everyone',
      memberIds,
      createdAtMs: 1n,
    }),
  )
  const send = (i: number, text: string) =>
    storage.addMessage({
      conversationId: 'g:big',
      senderId: memberIds[i % GROUP_MEMBERS]!,
      clientMessageId: `big-${i}`,
      text,
      sentAtMs: Date.now(),
    })
  return { storage, memberIds, path, send }
}

function countRows(path: string, table: string): number {
  const db = new Database(path, { readonly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

// ---- measuring ------------------------------------------------------------------------------

interface Timed {
  items: number
  ms: number
}

/**
 * The baseline: the user's whole log read from the server's database, turned into store changes
 * as the sync engine does, and applied into a fresh encrypted store in packets of `packetItems`,
 * each one transaction. Reading and decoding are not timed.
 */
async function applyStraight(
  dir: string,
  dataDir: string,
  userId: string,
  packetItems: number,
): Promise<Timed> {
  const storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
  const packets: { changes: SyncChange[]; syncPoint: number }[] = []
  let after = 0n
  for (;;) {
    const items = storage.readSyncLog(userId, after, { maxItems: packetItems, maxBytes: 1 << 30 })
    if (items.length === 0) break
    after = items[items.length - 1]!.syncId
    const changes = items.map(changeFromWire).filter((c): c is SyncChange => c !== undefined)
    packets.push({ changes, syncPoint: Number(after) })
  }
  storage.close()

  const store = await Store.open(join(dir, `straight-${userId}.db`), randomBytes(32), {
    create: true,
  })
  const started = process.hrtime.bigint()
  for (const packet of packets)
    await store.applySyncChanges(packet.changes, packet.syncPoint, userId)
  const ms = elapsedMs(started)
  await store.close()
  return { items: Number(after), ms }
}

/**
 * A new device of the user signs in against a server with these sync settings and applies the
 * whole log; timed from the login call until the store's sync point reaches the log's head.
 */
async function catchUp(
  dir: string,
  dataDir: string,
  username: string,
  userId: string,
  settings: Pick<ServerOptions, 'packetItems' | 'syncWindow'>,
): Promise<Timed> {
  const server: TackServer = await startServer({ dataDir, ...settings })
  const name = `${username}-p${settings.packetItems}-w${settings.syncWindow}`
  const core: ClientCore = makeTestCore(dir, name, server, {
    heartbeatMs: 30_000,
    requestTimeoutMs: 30_000,
  })
  try {
    const head = logHead(dataDir, userId)
    await core.start()
    const started = process.hrtime.bigint()
    await core.login({ serverAddress: server.address, username, password: 'demo1234' })
    await until(async () => ((await core.syncPoint()) ?? 0) >= head, 'catch-up', {
      timeoutMs: 600_000,
      intervalMs: 5,
    })
    return { items: head, ms: elapsedMs(started) }
  } finally {
    await core.close()
    await server.close()
  }
}

function logHead(dataDir: string, userId: string): number {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true })
  try {
    const row = db
      .prepare('SELECT COALESCE(MAX(sync_id), 0) AS head FROM sync_log WHERE user_id = ?')
      .get(userId) as { head: number }
    return row.head
  } finally {
    db.close()
  }
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6
}

function round(value: number): number {
  return Number(value.toFixed(3))
}

function printTable(
  metrics: Record<string, number>,
  table: { packetItems: number; window: number; ms: number }[],
): void {
  const fmt = (value: number) => Math.round(value).toLocaleString('en')
  const rows = [
    [`catch-up, ${fmt(metrics.catchup_items!)} items`, 'ms', 'items/s'],
    [
      'straight apply into the store (baseline)',
      fmt(metrics.straight_apply_ms!),
      fmt(metrics.straight_apply_items_per_s!),
    ],
    [
      `login to applied (packets ${DEFAULT_PACKET_ITEMS}, window ${DEFAULT_WINDOW})`,
      fmt(metrics.catchup_100k_ms!),
      fmt(metrics.catchup_items_per_s!),
    ],
    ['protocol / store (time ratio)', metrics.protocol_to_store_ratio!.toFixed(2), ''],
    ['', '', ''],
    [`catch-up, ${fmt(TABLE_ITEMS)} items: packet × window`, 'ms', 'items/s'],
    ...table.map((row) => [
      `packets of ${row.packetItems}, window ${row.window}`,
      fmt(row.ms),
      fmt(TABLE_ITEMS / (row.ms / 1000)),
    ]),
    ['', '', ''],
    [`one message, group of ${fmt(GROUP_MEMBERS)}`, 'ms/message', 'log rows'],
    [
      'fan-out on write (what the server does)',
      metrics.group_fanout_ms_per_message!.toFixed(2),
      fmt(metrics.group_fanout_log_rows_per_message!),
    ],
    [
      'shared group log (what groups ≥ 100 do)',
      metrics.group_shared_log_ms_per_message!.toFixed(3),
      fmt(metrics.group_shared_log_rows_per_message!),
    ],
    [`every member's sync, all ${GROUP_MESSAGES} messages`, 'ms total', ''],
    ['reads its own log (fan-out)', fmt(metrics.group_fanout_read_ms_all_members!), ''],
    [
      'takes the group log in, then reads',
      fmt(metrics.group_shared_log_deliver_and_read_ms_all_members!),
      '',
    ],
  ]
  const lines = rows.map(
    ([label, a, b]) => `${label!.padEnd(46)}  ${a!.padStart(10)}  ${b!.padStart(10)}`,
  )
  process.stdout.write(`\nsync\n${lines.join('\n')}\n`)
}
