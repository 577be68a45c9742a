// Writing sync changes: one statement per kind of change for a whole packet, each reading its
// rows from one JSON array (json_each), not one statement per row. Through the async binding a
// statement costs a round trip to the database thread; a packet of 100 messages is a handful
// of them instead of hundreds. The effect is the same as applying the changes one by one:
// upserts keyed by conversation id and by (sender, client message id), positions only ever
// move forward, so applying a packet twice leaves the store as once.
import type { SqlExecutor } from './sql-database'
import type { AppliedChanges, ConversationRecord, MessageRecord, SyncChange } from './store'

export const KV_SYNC_POINT = 'sync_point'

/** Applies changes and moves the sync point; the caller holds the transaction. */
export async function applyChanges(
  tx: SqlExecutor,
  changes: SyncChange[],
  syncPoint: number,
  myId: string,
): Promise<AppliedChanges> {
  const batch = splitByKind(changes)

  await upsertConversations(tx, batch.conversations)

  await upsertMessages(tx, batch.messages, myId)

  await moveReadPositions(tx, batch.reads)

  await tx.run(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [KV_SYNC_POINT, String(syncPoint)],
  )
  return batch.applied
}

interface Batch {
  conversations: ConversationRecord[]
  messages: MessageRecord[]
  reads: { conversationId: string; readSeq: number }[]
  applied: AppliedChanges
}

function splitByKind(changes: SyncChange[]): Batch {
  const batch: Batch = {
    conversations: [],
    messages: [],
    reads: [],
    applied: { conversationIds: new Set(), messageConversationIds: new Set() },
  }
  for (const change of changes) {
    if (change.kind === 'conversation') {
      batch.conversations.push(change.conversation)
      batch.applied.conversationIds.add(change.conversation.id)
    } else if (change.kind === 'message') {
      batch.messages.push(change.message)
      batch.applied.conversationIds.add(change.message.conversationId)
      batch.applied.messageConversationIds.add(change.message.conversationId)
    } else {
      batch.reads.push({ conversationId: change.conversationId, readSeq: change.readSeq })
      batch.applied.conversationIds.add(change.conversationId)
    }
  }
  return batch
}

/** Later changes of the same conversation win, as json_each walks the array in order. */
export async function upsertConversations(
  tx: SqlExecutor,
  conversations: ConversationRecord[],
): Promise<void> {
  if (conversations.length === 0) return
  const rows = conversations.map((c) => [
    c.id,
    c.kind,
    c.title,
    JSON.stringify(c.memberIds),
    c.createdAt,
  ])
  // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
  await tx.run(
    `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_activity_at)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 4
     FROM json_each(?) WHERE true
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
       member_ids = excluded.member_ids`,
    [JSON.stringify(rows)],
  )
}

/**
 * Inserts messages, or confirms the ones already here as 'sending' (same sender and client
 * message id); moves each conversation's last position and activity; and for my own messages
 * empties their outbox rows and moves my read position past them.
 */
export async function upsertMessages(
  tx: SqlExecutor,
  messages: MessageRecord[],
  myId: string,
): Promise<void> {
  if (messages.length === 0) return
  const rows = JSON.stringify(
    messages.map((m) => [
      m.conversationId,
      m.senderId,
      m.clientMessageId,
      m.id,
      m.seq,
      m.text,
      m.sentAt,
    ]),
  )

  // A message may come before its conversation: keep a placeholder the conversation fills in.
  await tx.run(
    `INSERT INTO conversations (id, kind, title, member_ids, created_at)
     SELECT value ->> 0, 'group', '', '[]', min(value ->> 6) FROM json_each(?) WHERE true
     GROUP BY value ->> 0
     ON CONFLICT (id) DO NOTHING`,
    [rows],
  )

  await tx.run(
    `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
       value ->> 6, 'sent'
     FROM json_each(?) WHERE true
     ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
       id = excluded.id, seq = excluded.seq, sent_at = excluded.sent_at, state = 'sent'`,
    [rows],
  )

  await tx.run(
    `UPDATE conversations SET last_seq = max(last_seq, latest.seq),
       last_activity_at = max(last_activity_at, latest.sent_at)
     FROM (SELECT value ->> 0 AS id, max(value ->> 4) AS seq, max(value ->> 6) AS sent_at
           FROM json_each(?) GROUP BY value ->> 0) AS latest
     WHERE conversations.id = latest.id`,
    [rows],
  )

  const mine = messages.filter((m) => m.senderId === myId)
  if (mine.length === 0) return
  await tx.run('DELETE FROM outbox WHERE client_message_id IN (SELECT value FROM json_each(?))', [
    JSON.stringify(mine.map((m) => m.clientMessageId)),
  ])
  // My own message is read by definition.
  await moveReadPositions(
    tx,
    mine.map((m) => ({ conversationId: m.conversationId, readSeq: m.seq })),
  )
}

export async function moveReadPositions(
  tx: SqlExecutor,
  reads: { conversationId: string; readSeq: number }[],
): Promise<void> {
  if (reads.length === 0) return
  await tx.run(
    `UPDATE conversations SET read_seq = max(read_seq, moved.seq)
     FROM (SELECT value ->> 0 AS id, max(value ->> 1) AS seq FROM json_each(?)
           GROUP BY value ->> 0) AS moved
     WHERE conversations.id = moved.id`,
    [JSON.stringify(reads.map((r) => [r.conversationId, r.readSeq]))],
  )
}
