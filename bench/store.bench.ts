// The encrypted local store. Part one applies 100,000 messages the way sync applies them (packets
// of 100 items, the server's default, one transaction each, the full schema with its indexes and
// the trigram full-text index) three ways: our store encrypted, our store without a key, and
// better-sqlite3 writing the same rows and schema into a plain file (the baseline), taking turns
// packet by packet so load from elsewhere on the machine slows all three alike. Part two
// fills an encrypted store with one million messages and times opening a conversation (its
// latest 50 messages) and full-text queries.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { applyChanges } from '../electron/core/store/apply'
import { MIGRATIONS } from '../electron/core/store/migrations'
import { CACHE_SIZE, configure, migrate } from '../electron/core/store/open-database'
import { SqlDatabase, type SqlExecutor, type SqlParams } from '../electron/core/store/sql-database'
import { Store, type MessageRecord, type SyncChange } from '../electron/core/store/store'
import type { BenchResult } from './harness'

const ME = 'u-me'
const PACKET_ITEMS = 100
const APPLY_MESSAGES = 100_000
const LARGE_MESSAGES = 1_000_000
const LARGE_BATCH = 2_000
const CONVERSATIONS = 1_000
const SAMPLES = 200

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tack-bench-store-'))
  try {
    const packets = makePackets(APPLY_MESSAGES, PACKET_ITEMS, 0)

    const [baseline, encrypted, unkeyed] = await applyInTurns(
      [
        await betterSqliteBaseline(join(dir, 'plain-baseline.db')),
        await encryptedStore(join(dir, 'encrypted.db')),
        await unkeyedStore(join(dir, 'unkeyed.db')),
      ],
      packets,
    )

    const large = await measureLargeStore(join(dir, 'large.db'))

    const metrics = {
      baseline_better_sqlite3_plain_rows_per_s: Math.round(baseline),
      apply_encrypted_rows_per_s: Math.round(encrypted),
      apply_unencrypted_rows_per_s: Math.round(unkeyed),
      apply_to_baseline_ratio: round(encrypted / baseline),
      encrypted_to_plain_ratio: round(encrypted / unkeyed),
      large_store_messages: LARGE_MESSAGES,
      large_store_fill_rows_per_s: Math.round(large.fillRate),
      open_conversation_median_ms: round(large.openMedianMs),
      open_conversation_p95_ms: round(large.openP95Ms),
      fts_query_median_ms: round(large.ftsMedianMs),
      fts_query_p95_ms: round(large.ftsP95Ms),
      short_query_median_ms: round(large.shortMedianMs),
    }
    printTable(metrics)
    return { name: 'store', date: new Date().toISOString(), node: process.version, metrics }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// ---- data ------------------------------------------------------------------------------------

/** A small seeded generator, so every run writes the same messages. */
export function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HANZI =
  '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切营'
const ENGLISH =
  'release review meeting design deploy server client sync packet message search contact budget roadmap launch sprint ticket customer invoice report draft schedule lunch coffee weekend holiday build test bug fix merge branch stage product market sales quarter target office floor room tomorrow today morning afternoon evening please thanks update status blocked ready done'.split(
    ' ',
  )

function makeVocabulary(random: () => number): string[] {
  const words: string[] = []
  for (let i = 0; i < 600; i += 1) {
    const length = 2 + Math.floor(random() * 3)
    let word = ''
    for (let c = 0; c < length; c += 1) word += HANZI[Math.floor(random() * HANZI.length)]
    words.push(word)
  }
  return words
}

const vocabulary = makeVocabulary(seeded(7))

export function messageText(random: () => number): string {
  const parts: string[] = []
  const count = 3 + Math.floor(random() * 6)
  for (let i = 0; i < count; i += 1) {
    parts.push(
      random() < 0.7
        ? vocabulary[Math.floor(random() * vocabulary.length)]!
        : ENGLISH[Math.floor(random() * ENGLISH.length)]!,
    )
  }
  return parts.join(random() < 0.5 ? ' ' : '')
}

interface Packet {
  changes: SyncChange[]
  syncPoint: number
}

/** `total` messages over the conversations, in packets of `size`; the first packet names them. */
function makePackets(total: number, size: number, seed: number): Packet[] {
  const random = seeded(seed + 1)
  const packets: Packet[] = []
  const seqs = new Array<number>(CONVERSATIONS).fill(0)
  let syncPoint = 0
  for (let start = 0; start < total; start += size) {
    const changes: SyncChange[] = []
    for (let i = start; i < Math.min(start + size, total); i += 1) {
      const c = Math.floor(random() * CONVERSATIONS)
      seqs[c]! += 1
      changes.push({ kind: 'message', message: makeMessage(i, c, seqs[c]!, random) })
    }
    syncPoint += changes.length
    packets.push({ changes, syncPoint })
  }
  packets[0]!.changes.unshift(...conversationChanges())
  return packets
}

function makeMessage(
  index: number,
  conversation: number,
  seq: number,
  random: () => number,
): MessageRecord {
  const sender = random() < 0.2 ? ME : `u-${Math.floor(random() * 50)}`
  return {
    id: `m-${index}`,
    conversationId: `c-${conversation}`,
    seq,
    senderId: sender,
    clientMessageId: `cm-${index}`,
    text: messageText(random),
    sentAt: 1_790_000_000_000 + index * 1000,
  }
}

function conversationChanges(): SyncChange[] {
  return Array.from({ length: CONVERSATIONS }, (_, c) => ({
    kind: 'conversation' as const,
    conversation: {
      id: `c-${c}`,
      kind: 'group' as const,
      title: `group ${c}`,
      memberIds: [ME, `u-${c % 50}`],
      createdAt: 1_789_000_000_000,
    },
  }))
}

function countMessages(packets: Packet[]): number {
  return packets.reduce((n, p) => n + p.changes.filter((c) => c.kind === 'message').length, 0)
}

// ---- part one: apply --------------------------------------------------------------------------

/** One way of applying packets; `apply` is timed, opening and closing are not. */
interface Applier {
  apply(packet: Packet): Promise<void> | void
  close(): Promise<void> | void
}

/**
 * Applies every packet with each applier, taking turns packet by packet (in a rotating order), so
 * a burst of load from elsewhere on the machine slows all of them alike. Returns rows per second.
 */
async function applyInTurns(appliers: Applier[], packets: Packet[]): Promise<number[]> {
  const seconds = appliers.map(() => 0)
  for (const [index, packet] of packets.entries()) {
    for (let turn = 0; turn < appliers.length; turn += 1) {
      const which = (index + turn) % appliers.length
      const started = process.hrtime.bigint()
      await appliers[which]!.apply(packet)
      seconds[which]! += elapsedSeconds(started)
    }
  }
  for (const applier of appliers) await applier.close()
  return seconds.map((s) => countMessages(packets) / s)
}

/** Our store, encrypted, through Store.applySyncChanges: exactly what the sync engine calls. */
async function encryptedStore(path: string): Promise<Applier> {
  const store = await Store.open(path, randomBytes(32), { create: true })
  return {
    apply: (packet) => store.applySyncChanges(packet.changes, packet.syncPoint, ME).then(() => {}),
    close: () => store.close(),
  }
}

/** Our library and apply path, on a file opened without a key: what encryption costs. */
async function unkeyedStore(path: string): Promise<Applier> {
  const db = await SqlDatabase.open(path)
  await configure(db)
  await migrate(db, path)
  return {
    apply: (packet) =>
      db.transaction((tx) => applyChanges(tx, packet.changes, packet.syncPoint, ME)).then(() => {}),
    close: () => db.close(),
  }
}

/**
 * The baseline: better-sqlite3 (synchronous, in-process) on a plain file with the same schema
 * (our migrations) and the same writes per message, through its fast path: statements prepared
 * once, run per row, one transaction per packet.
 */
async function betterSqliteBaseline(path: string): Promise<Applier> {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma(`cache_size = ${CACHE_SIZE}`)
  await migrateBetterSqlite(db)
  const statements = {
    conversation: db.prepare(
      `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_activity_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,
       title = excluded.title, member_ids = excluded.member_ids`,
    ),
    placeholder: db.prepare(
      `INSERT INTO conversations (id, kind, title, member_ids, created_at)
       VALUES (?, 'group', '', '[]', ?) ON CONFLICT (id) DO NOTHING`,
    ),
    message: db.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'sent')
       ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
         id = excluded.id, seq = excluded.seq, sent_at = excluded.sent_at, state = 'sent'`,
    ),
    latest: db.prepare(
      `UPDATE conversations SET last_seq = max(last_seq, ?), last_activity_at = max(last_activity_at, ?)
       WHERE id = ?`,
    ),
    outbox: db.prepare('DELETE FROM outbox WHERE client_message_id = ?'),
    read: db.prepare('UPDATE conversations SET read_seq = max(read_seq, ?) WHERE id = ?'),
    syncPoint: db.prepare(
      `INSERT INTO kv (key, value) VALUES ('sync_point', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
  }
  const applyPacket = db.transaction((packet: Packet) => {
    for (const change of packet.changes) {
      if (change.kind === 'conversation') {
        const c = change.conversation
        const members = JSON.stringify(c.memberIds)
        statements.conversation.run(c.id, c.kind, c.title, members, c.createdAt, c.createdAt)
      } else if (change.kind === 'message') {
        const m = change.message
        statements.placeholder.run(m.conversationId, m.sentAt)
        statements.message.run(
          m.conversationId,
          m.senderId,
          m.clientMessageId,
          m.id,
          m.seq,
          m.text,
          m.sentAt,
        )
        statements.latest.run(m.seq, m.sentAt, m.conversationId)
        if (m.senderId === ME) {
          statements.outbox.run(m.clientMessageId)
          statements.read.run(m.seq, m.conversationId)
        }
      }
    }
    statements.syncPoint.run(String(packet.syncPoint))
  })
  return { apply: (packet) => applyPacket(packet), close: () => void db.close() }
}

/** Our migrations, run by better-sqlite3 through the same SqlExecutor face. */
async function migrateBetterSqlite(db: Database.Database): Promise<void> {
  const bind = (params: SqlParams = []) => (Array.isArray(params) ? params : [params])
  const executor: SqlExecutor = {
    run: async (sql, params) => {
      const result = db.prepare(sql).run(...bind(params))
      return { changes: result.changes, lastId: Number(result.lastInsertRowid) }
    },
    get: async <T>(sql: string, params?: SqlParams) =>
      db.prepare(sql).get(...bind(params)) as T | undefined,
    all: async <T>(sql: string, params?: SqlParams) => db.prepare(sql).all(...bind(params)) as T[],
    exec: async (sql) => void db.exec(sql),
  }
  for (const migration of MIGRATIONS) await migration.up(executor)
}

// ---- part two: a million messages ------------------------------------------------------------

interface LargeStoreTimes {
  fillRate: number
  openMedianMs: number
  openP95Ms: number
  ftsMedianMs: number
  ftsP95Ms: number
  shortMedianMs: number
}

async function measureLargeStore(path: string): Promise<LargeStoreTimes> {
  const key = randomBytes(32)
  const store = await Store.open(path, key, { create: true })
  const packets = makePackets(LARGE_MESSAGES, LARGE_BATCH, 1)
  const started = process.hrtime.bigint()
  for (const packet of packets) await store.applySyncChanges(packet.changes, packet.syncPoint, ME)
  const fillRate = LARGE_MESSAGES / elapsedSeconds(started)
  await store.close()

  // Measured on a fresh open, as after an app start.
  const reopened = await Store.open(path, key, { create: false })
  const random = seeded(99)
  const open = await sample(() =>
    reopened.loadMessages(`c-${Math.floor(random() * CONVERSATIONS)}`, undefined, 50),
  )
  const fts = await sample(() => reopened.searchMessages(ftsQuery(random), 50, ME))
  const short = await sample(
    () => reopened.searchMessages(HANZI[Math.floor(random() * 200)]!, 50, ME),
    20,
  )
  await reopened.close()
  return {
    fillRate,
    openMedianMs: percentile(open, 0.5),
    openP95Ms: percentile(open, 0.95),
    ftsMedianMs: percentile(fts, 0.5),
    ftsP95Ms: percentile(fts, 0.95),
    shortMedianMs: percentile(short, 0.5),
  }
}

/** A substring people would type: three or four characters of a word, or an English word. */
function ftsQuery(random: () => number): string {
  if (random() < 0.3) return ENGLISH[Math.floor(random() * ENGLISH.length)]!
  const word = vocabulary[Math.floor(random() * vocabulary.length)]!
  const other = vocabulary[Math.floor(random() * vocabulary.length)]!
  return word.length >= 3 ? word : `${word}${other[0]}`
}

/** Times `work` `count` times (after a few warm-up runs); returns milliseconds, sorted. */
async function sample(work: () => Promise<unknown>, count = SAMPLES): Promise<number[]> {
  for (let i = 0; i < 5; i += 1) await work()
  const times: number[] = []
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint()
    await work()
    times.push(elapsedSeconds(started) * 1000)
  }
  return times.sort((a, b) => a - b)
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

function elapsedSeconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9
}

function round(value: number): number {
  return Number(value.toFixed(3))
}

function printTable(metrics: Record<string, number>): void {
  const rows = [
    ['apply 100k messages, packets of 100', 'rows/s', 'ratio'],
    [
      'better-sqlite3, plain (baseline)',
      fmt(metrics.baseline_better_sqlite3_plain_rows_per_s!),
      '1.00',
    ],
    [
      'our store, encrypted',
      fmt(metrics.apply_encrypted_rows_per_s!),
      metrics.apply_to_baseline_ratio!.toFixed(2),
    ],
    [
      'our store, no key',
      fmt(metrics.apply_unencrypted_rows_per_s!),
      (
        metrics.apply_unencrypted_rows_per_s! / metrics.baseline_better_sqlite3_plain_rows_per_s!
      ).toFixed(2),
    ],
    ['encrypted / no key', '', metrics.encrypted_to_plain_ratio!.toFixed(2)],
    ['', '', ''],
    ['1M messages, encrypted', 'median ms', 'p95 ms'],
    [
      'open conversation (latest 50)',
      metrics.open_conversation_median_ms!.toFixed(2),
      metrics.open_conversation_p95_ms!.toFixed(2),
    ],
    [
      'full-text query (trigram)',
      metrics.fts_query_median_ms!.toFixed(2),
      metrics.fts_query_p95_ms!.toFixed(2),
    ],
    ['one-character query (recent window)', metrics.short_query_median_ms!.toFixed(2), ''],
    ['fill rate, rows/s', fmt(metrics.large_store_fill_rows_per_s!), ''],
  ]
  const lines = rows.map(
    ([label, a, b]) => `${label!.padEnd(38)}  ${a!.padStart(12)}  ${b!.padStart(8)}`,
  )
  process.stdout.write(`\nstore\n${lines.join('\n')}\n`)
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en')
}
