// Read receipts, reply quotes and mentions in the store. Other members' read positions come from
// member_read_moved items (member_reads, migration 8); a member's own messages also count as read
// by them, read here from messages, so a packet of ordinary messages writes nothing extra.
import type { ReadReceiptsView, ReplyQuoteView } from '../../../shared/host-api'
import type { SqlExecutor } from './sql-database'
import type { MessageRecord, SyncChange } from './store'

/** Whether applyReceiptChanges has anything to write for these changes. */
export function hasReceiptChanges(changes: SyncChange[]): boolean {
  return changes.some(
    (change) =>
      change.kind === 'memberRead' ||
      change.kind === 'recall' ||
      (change.kind === 'message' && hasExtras(change.message)),
  )
}

/**
 * Writes what the packet statement (apply.ts) does not: quotes and mentions of the messages, and
 * other members' read positions, which only move forward. Run it after applyChanges, in the same
 * transaction, so the messages it marks exist.
 */
export async function applyReceiptChanges(tx: SqlExecutor, changes: SyncChange[]): Promise<void> {
  const extras: unknown[][] = []
  const reads: unknown[][] = []
  const recalls: string[] = []
  const quoted: string[] = []
  for (const change of changes) {
    if (change.kind === 'message' && hasExtras(change.message)) {
      const { senderId, clientMessageId, replyTo, mentionIds, notice } = change.message
      extras.push([
        senderId,
        clientMessageId,
        replyTo ? JSON.stringify(replyTo) : null,
        JSON.stringify(mentionIds ?? []),
        notice ? JSON.stringify(notice) : null,
      ])
      if (replyTo) quoted.push(replyTo.messageId)
    } else if (change.kind === 'memberRead') {
      reads.push([change.conversationId, change.userId, change.readSeq, change.joinedSeq ?? 0])
    } else if (change.kind === 'recall') {
      recalls.push(change.messageId)
    }
  }
  if (extras.length > 0) {
    await tx.run(
      `UPDATE messages SET reply_to = extra.value ->> 2, mention_ids = extra.value ->> 3,
         notice = extra.value ->> 4
       FROM json_each(?) AS extra
       WHERE sender_id = extra.value ->> 0 AND client_message_id = extra.value ->> 1`,
      [JSON.stringify(extras)],
    )
  }
  if (recalls.length > 0 || quoted.length > 0) await blankRecalledQuotes(tx, recalls, quoted)
  if (reads.length > 0) {
    await tx.run(
      `INSERT INTO member_reads (conversation_id, user_id, read_seq, joined_seq)
         SELECT value ->> 0, value ->> 1, max(value ->> 2), max(value ->> 3)
         FROM json_each(?) WHERE true
         GROUP BY value ->> 0, value ->> 1
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET
         read_seq = max(read_seq, excluded.read_seq),
         joined_seq = max(joined_seq, excluded.joined_seq)`,
      [JSON.stringify(reads)],
    )
  }
}

/**
 * A recall takes the text away from every quote of it too. Blanks the quotes of the messages
 * recalled in this packet (found here or not: a reply may be here without its original), and the
 * quotes this packet brought of messages this store knows are recalled (a reply, or the server's
 * confirmation of mine, applied after the recall). Both go through the messages_quoting index.
 */
async function blankRecalledQuotes(
  tx: SqlExecutor,
  recalls: string[],
  quoted: string[],
): Promise<void> {
  await tx.run(
    `UPDATE messages SET reply_to = ${BLANKED_QUOTE_SQL}
     WHERE reply_to IS NOT NULL AND reply_to ->> 'messageId' IN (SELECT value FROM json_each(?1))
       AND (reply_to ->> 'messageId' IN (SELECT value FROM json_each(?2))
         OR EXISTS (SELECT 1 FROM messages AS original
                    WHERE original.id = messages.reply_to ->> 'messageId' AND original.recalled))`,
    [JSON.stringify([...recalls, ...quoted]), JSON.stringify(recalls)],
  )
}

/** A message's reply_to with its excerpt emptied and marked recalled (migration 10 uses it too). */
export const BLANKED_QUOTE_SQL = `json_set(reply_to, '$.excerpt', '', '$.recalled', json('true'))`

/** The quote and mentions of an outgoing message, kept with it until the server has it. */
export async function saveOutgoingExtras(
  tx: SqlExecutor,
  senderId: string,
  clientMessageId: string,
  extras: { replyTo?: ReplyQuoteView; replyToMessageId?: string | null; mentionIds?: string[] },
): Promise<void> {
  const mentionIds = JSON.stringify(extras.mentionIds ?? [])
  await tx.run(
    'UPDATE messages SET reply_to = ?, mention_ids = ? WHERE sender_id = ? AND client_message_id = ?',
    [extras.replyTo ? JSON.stringify(extras.replyTo) : null, mentionIds, senderId, clientMessageId],
  )
  await tx.run(
    'UPDATE outbox SET reply_to_message_id = ?, mention_ids = ? WHERE client_message_id = ?',
    [extras.replyToMessageId ?? null, mentionIds, clientMessageId],
  )
}

/**
 * The quote of a message in this store: its sender and the start of its text; a recalled one
 * gives a quote marked recalled, without text. Null when the message is not here.
 */
export async function quoteOf(
  db: SqlExecutor,
  conversationId: string,
  messageId: string,
  excerptChars: number,
): Promise<ReplyQuoteView | null> {
  const row = await db.get<{ sender_id: string; text: string; recalled: number; seq: number }>(
    'SELECT sender_id, text, recalled, seq FROM messages WHERE conversation_id = ? AND id = ?',
    [conversationId, messageId],
  )
  if (!row) return null
  return {
    messageId,
    senderId: row.sender_id,
    excerpt: row.recalled ? '' : [...row.text].slice(0, excerptChars).join(''),
    seq: row.seq,
    ...(row.recalled ? { recalled: true } : {}),
  }
}

/** How far a member has read, and the last seq before they joined (0: from the start). */
export interface MemberPosition {
  read: number
  joined: number
}

/**
 * How far each other member of the conversation has read, as far as it matters for messages
 * from `fromSeq` on: the receipt they sent, or their own newest message, whichever is later;
 * with when they joined, from the server's receipts (member_read_moved carries it).
 */
export async function memberReadPositions(
  db: SqlExecutor,
  conversationId: string,
  myId: string,
  fromSeq: number,
): Promise<Map<string, MemberPosition>> {
  const conversation = await db.get<{ member_ids: string }>(
    'SELECT member_ids FROM conversations WHERE id = ?',
    [conversationId],
  )
  const memberIds = (JSON.parse(conversation?.member_ids ?? '[]') as string[]).filter(
    (id) => id !== myId,
  )
  const receipts = await db.all<{ user_id: string; read_seq: number; joined_seq: number }>(
    'SELECT user_id, read_seq, joined_seq FROM member_reads WHERE conversation_id = ?',
    [conversationId],
  )
  const written = await db.all<{ sender_id: string; seq: number }>(
    `SELECT sender_id, max(seq) AS seq FROM messages
     WHERE conversation_id = ? AND seq >= ? GROUP BY sender_id`,
    [conversationId, fromSeq],
  )
  const positions = new Map(
    memberIds.map((id): [string, MemberPosition] => [id, { read: 0, joined: 0 }]),
  )
  for (const row of [
    ...receipts.map((r) => ({ id: r.user_id, seq: r.read_seq, joined: r.joined_seq })),
    ...written.map((w) => ({ id: w.sender_id, seq: w.seq, joined: 0 })),
  ]) {
    const current = positions.get(row.id)
    if (current === undefined) continue
    current.read = Math.max(current.read, row.seq)
    current.joined = Math.max(current.joined, row.joined)
  }
  return positions
}

/**
 * Who of the other members has read the message at `seq`, and who has not, in member order.
 * Members who joined after it are in neither list: it came before them.
 */
export function receiptsAt(positions: Map<string, MemberPosition>, seq: number): ReadReceiptsView {
  const receipts: ReadReceiptsView = { read: [], unread: [] }
  for (const [userId, { read, joined }] of positions) {
    if (joined >= seq) continue
    ;(read >= seq ? receipts.read : receipts.unread).push(userId)
  }
  return receipts
}

function hasExtras(message: MessageRecord): boolean {
  return (
    message.replyTo !== undefined ||
    (message.mentionIds?.length ?? 0) > 0 ||
    message.notice !== undefined
  )
}
