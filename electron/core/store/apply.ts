// Writing sync changes. A whole packet is one statement: one row inserted into the
// apply_sync_changes view (migration 3), whose trigger does every write from JSON arrays inside
// that statement's own transaction. Through the async binding each statement is a trip to the
// database thread; a packet of 100 messages is one trip, not hundreds. The effect is the same as
// applying the changes one by one: upserts keyed by conversation id and by (sender, client
// message id), positions only ever move forward, so applying a packet twice leaves the store as
// once; and a kill mid-statement leaves none of it.
import { upsertAttachments } from './attachments'
import type { SqlExecutor } from './sql-database'
import type {
  AppliedChanges,
  ConversationRecord,
  ConversationSettingsRecord,
  MessageRecord,
  SyncChange,
} from './store'

export const KV_SYNC_POINT = 'sync_point'

/**
 * Applies changes and, unless `syncPoint` is null, moves the sync point, atomically: on its own
 * it is one statement; inside a caller's transaction it is part of that.
 */
export async function applyChanges(
  db: SqlExecutor,
  changes: SyncChange[],
  syncPoint: number | null,
  myId: string,
): Promise<AppliedChanges> {
  const batch = splitByKind(changes)
  // Attachments go first, in their own idempotent statement (store/attachments.ts).
  await upsertAttachments(db, batch.messages.flatMap(withAttachment))
  await db.run(
    `INSERT INTO apply_sync_changes
       (conversations, messages, reads, my_id, sync_point, recalls, settings)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      JSON.stringify(batch.conversations.map(conversationRow)),
      JSON.stringify(batch.messages.map(messageRow)),
      JSON.stringify(batch.reads.map((read) => [read.conversationId, read.readSeq])),
      myId,
      syncPoint === null ? null : String(syncPoint),
      JSON.stringify(batch.recalls),
      JSON.stringify(
        [...batch.settings.values()].map((s) => [
          s.conversationId,
          s.pinned ? 1 : 0,
          s.muted ? 1 : 0,
        ]),
      ),
    ],
  )
  return batch.applied
}

interface Batch {
  conversations: ConversationRecord[]
  messages: MessageRecord[]
  reads: { conversationId: string; readSeq: number }[]
  recalls: string[]
  /** The last settings of each conversation in the packet. */
  settings: Map<string, ConversationSettingsRecord>
  applied: AppliedChanges
}

function splitByKind(changes: SyncChange[]): Batch {
  const batch: Batch = {
    conversations: [],
    messages: [],
    reads: [],
    recalls: [],
    settings: new Map(),
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
    } else if (change.kind === 'recall') {
      batch.recalls.push(change.messageId)
      batch.applied.conversationIds.add(change.conversationId)
      batch.applied.messageConversationIds.add(change.conversationId)
    } else if (change.kind === 'settings') {
      batch.settings.set(change.settings.conversationId, change.settings)
      batch.applied.conversationIds.add(change.settings.conversationId)
    } else if (
      change.kind === 'devices' ||
      change.kind === 'user' ||
      change.kind === 'department'
    ) {
      // Kept by Store.applySyncChanges beside this statement.
    } else if (change.kind === 'memberRead') {
      // Kept beside this statement too (receipts.ts); the receipts of its messages change.
      batch.applied.messageConversationIds.add(change.conversationId)
    } else {
      batch.reads.push({ conversationId: change.conversationId, readSeq: change.readSeq })
      batch.applied.conversationIds.add(change.conversationId)
    }
  }
  return batch
}

function conversationRow(c: ConversationRecord): unknown[] {
  return [c.id, c.kind, c.title, JSON.stringify(c.memberIds), c.createdAt]
}

function messageRow(m: MessageRecord): unknown[] {
  return [m.conversationId, m.senderId, m.clientMessageId, m.id, m.seq, m.text, m.sentAt]
}

function withAttachment(m: MessageRecord) {
  return m.attachment ? [{ ...m, attachment: m.attachment }] : []
}
