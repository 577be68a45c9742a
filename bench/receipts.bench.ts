// Read receipts on the server: what one member's read costs when it tells the senders it covers
// (member_read_moved, server/storage). Reads per second through the real SQLite storage, against
// the same read in a direct conversation measured in the same run: a read in a 1,000-member group
// that covers one poster's message, and one that covers 100 messages of 100 different senders.
// Then the coalescing: the poster's log after 999 members each read 10 of its messages.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { create } from '@bufbuild/protobuf'
import Database from 'better-sqlite3'
import {
  ConversationKind,
  ConversationSchema,
  DepartmentSchema,
  UserSchema,
} from '../shared/gen/tack_pb'
import { openSqliteStorage, type SqliteStorage } from '../server/storage/sqlite-storage'
import { compare, type BenchResult, type Variant } from './harness'

const MEMBERS = 1_000
const READS_PER_RUN = 200
const ROUNDS = 5

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tack-bench-receipts-'))
  try {
    const path = join(dir, 'server.db')
    const storage = openSqliteStorage(path)
    const memberIds = Array.from({ length: MEMBERS }, (_, i) => `u-${i}`)
    addPeople(storage, memberIds)
    addConversation(storage, 'd:u-0:u-1', ConversationKind.DIRECT, ['u-0', 'u-1'])
    addConversation(storage, 'g:one-poster', ConversationKind.GROUP, memberIds)
    addConversation(storage, 'g:many-posters', ConversationKind.GROUP, memberIds)

    // Enough unread messages for the warm-up and every round.
    const runs = ROUNDS + 1
    post(storage, 'd:u-0:u-1', () => 'u-0', READS_PER_RUN * runs)
    post(storage, 'g:one-poster', () => 'u-0', runs)
    post(storage, 'g:many-posters', (i) => memberIds[1 + (i % 100)]!, 100 * runs)

    const direct = reads(
      'direct conversation, 1 message read',
      storage,
      'd:u-0:u-1',
      1,
      () => 'u-1',
    )
    const onePoster = reads(
      '1,000 members, 1 message of 1 sender',
      storage,
      'g:one-poster',
      1,
      (r) => memberIds[200 + r]!,
    )
    const manyPosters = reads(
      '1,000 members, 100 messages of 100 senders',
      storage,
      'g:many-posters',
      100,
      (r) => memberIds[200 + r]!,
    )
    const result = compare(
      'receipts: reads per second (server storage)',
      'reads',
      direct,
      [onePoster, manyPosters],
      ROUNDS,
    )

    const kept = coalescing(storage, memberIds, path)
    result.metrics['poster_items_after_999x10_reads'] = kept
    result.metrics['poster_items_without_coalescing'] = 999 * 10
    process.stdout.write(
      `\nreceipt items in the poster's log after 999 members read 10 of its messages each: ${kept} (one per reader; ${999 * 10} without coalescing)\n`,
    )
    storage.close()
    return { ...result, name: 'receipts' }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A variant: READS_PER_RUN readers each move their read position `step` messages on. */
function reads(
  name: string,
  storage: SqliteStorage,
  conversationId: string,
  step: number,
  reader: (r: number) => string,
): Variant {
  const positions = new Map<string, number>()
  return {
    name,
    run() {
      for (let r = 0; r < READS_PER_RUN; r += 1) {
        const userId = reader(r)
        const next = (positions.get(userId) ?? 0) + step
        positions.set(userId, next)
        storage.moveReadPosition(userId, conversationId, BigInt(next))
      }
      return READS_PER_RUN
    },
  }
}

/** 999 members read 10 new messages of u-0's one by one; returns u-0's receipt items. */
function coalescing(storage: SqliteStorage, memberIds: string[], path: string): number {
  addConversation(storage, 'g:coalesce', ConversationKind.GROUP, memberIds)
  post(storage, 'g:coalesce', () => 'u-0', 10)
  for (let seq = 1; seq <= 10; seq += 1) {
    for (const userId of memberIds.slice(1))
      storage.moveReadPosition(userId, 'g:coalesce', BigInt(seq))
  }
  const db = new Database(path, { readonly: true })
  try {
    return (
      db
        .prepare(
          "SELECT count(*) AS n FROM member_read_items WHERE user_id = 'u-0' AND conversation_id = 'g:coalesce'",
        )
        .get() as { n: number }
    ).n
  } finally {
    db.close()
  }
}

function post(
  storage: SqliteStorage,
  conversationId: string,
  sender: (i: number) => string,
  count: number,
) {
  for (let i = 0; i < count; i += 1) {
    storage.addMessage({
      conversationId,
      senderId: sender(i),
      clientMessageId: `${conversationId}-${i}`,
      text: `message ${i}`,
      sentAtMs: Date.now(),
    })
  }
}

function addPeople(storage: SqliteStorage, memberIds: string[]): void {
  storage.addDirectory({
    departments: [create(DepartmentSchema, { id: 'd', name: '部', nameEn: 'Dept' })],
    users: memberIds.map((id) => ({
      user: create(UserSchema, { id, username: id.replace('-', ''), name: id, departmentId: 'd' }),
      passwordHash: '!',
    })),
  })
}

function addConversation(
  storage: SqliteStorage,
  id: string,
  kind: ConversationKind,
  memberIds: string[],
) {
  storage.createConversation(
    create(ConversationSchema, { id, kind, title: id, memberIds, createdAtMs: 1n }),
  )
}
