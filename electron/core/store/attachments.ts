// Attachments of messages in the client store (migration 7): what each message carries, the file
// on this device (one I sent, or downloaded) and, for my own, the upload it waits for. A row is
// keyed like its message, by (sender, client message id), so it can arrive before or after the
// message row and stays put when the message is confirmed.
import type { AttachmentKind } from '../../../shared/host-api'
import type { SqlDatabase, SqlExecutor } from './sql-database'

export interface AttachmentRecord {
  kind: AttachmentKind
  /** The server's file id; '' until my upload is done. */
  fileId: string
  name: string
  size: number
  mime: string
  /** Lowercase hex; '' when unknown. */
  sha256: string
  width: number
  height: number
  durationMs: number
  /** Base64 of a small preview; '' for none. */
  thumbnail: string
  thumbnailMime: string
}

export interface StoredAttachment extends AttachmentRecord {
  senderId: string
  clientMessageId: string
  conversationId: string
  /** The file on this device, when it is here. */
  localPath: string | null
  /** My upload the message waits for; null once sent (or for others' messages). */
  uploadId: string | null
  /** Why my upload failed, while the message shows failed. */
  uploadError: string | null
}

interface AttachmentRow {
  sender_id: string
  client_message_id: string
  conversation_id: string
  kind: AttachmentKind
  file_id: string
  name: string
  size: number
  mime: string
  sha256: string
  width: number
  height: number
  duration_ms: number
  thumbnail: string
  thumbnail_mime: string
  local_path: string | null
  upload_id: string | null
  upload_error: string | null
}

export const ATTACHMENTS_MIGRATION_SQL = `
  CREATE TABLE attachments (
    sender_id TEXT NOT NULL,
    client_message_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('file', 'image', 'voice')),
    file_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    thumbnail TEXT NOT NULL DEFAULT '',
    thumbnail_mime TEXT NOT NULL DEFAULT '',
    local_path TEXT,
    upload_id TEXT,
    upload_error TEXT,
    PRIMARY KEY (sender_id, client_message_id)
  ) WITHOUT ROWID;
  CREATE INDEX attachments_by_upload ON attachments (upload_id) WHERE upload_id IS NOT NULL;
  ALTER TABLE outbox ADD COLUMN waits_for_upload INTEGER NOT NULL DEFAULT 0;
`

/**
 * Keeps the attachments of messages that arrived by sync or in a reply. Before the packet's own
 * statement and idempotent: a crash between the two leaves the sync point where it was, and the
 * packet, applied again, writes the same rows. My own file's local path and upload stay.
 */
export async function upsertAttachments(
  db: SqlExecutor,
  items: {
    senderId: string
    clientMessageId: string
    conversationId: string
    attachment: AttachmentRecord
  }[],
): Promise<void> {
  if (items.length === 0) return
  const rows = items.map(({ senderId, clientMessageId, conversationId, attachment }) =>
    recordColumns(senderId, { clientMessageId, conversationId }, attachment),
  )
  await db.run(
    `INSERT INTO attachments (sender_id, client_message_id, conversation_id, kind, file_id, name,
       size, mime, sha256, width, height, duration_ms, thumbnail, thumbnail_mime)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
       value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11,
       value ->> 12, value ->> 13
     FROM json_each(?) WHERE true
     ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
       file_id = excluded.file_id, size = excluded.size, sha256 = excluded.sha256,
       duration_ms = excluded.duration_ms, upload_id = NULL, upload_error = NULL`,
    [JSON.stringify(rows)],
  )
}

/** The columns every attachment row starts with, in the order the statements list them. */
function recordColumns(
  senderId: string,
  message: { conversationId: string; clientMessageId: string },
  a: AttachmentRecord,
): (string | number)[] {
  return [
    senderId,
    message.clientMessageId,
    message.conversationId,
    a.kind,
    a.fileId,
    a.name,
    a.size,
    a.mime,
    a.sha256,
    a.width,
    a.height,
    a.durationMs,
    a.thumbnail,
    a.thumbnailMime,
  ]
}

/** A record with only its kind, name, type and size: the rest is learnt as it uploads. */
export function newAttachment(
  kind: AttachmentKind,
  name: string,
  mime: string,
  size: number,
): AttachmentRecord {
  return {
    kind,
    fileId: '',
    name,
    size,
    mime,
    sha256: '',
    width: 0,
    height: 0,
    durationMs: 0,
    thumbnail: '',
    thumbnailMime: '',
  }
}

/** My own file as a message is queued: where it is here, and its upload once started. */
export interface OwnAttachment extends AttachmentRecord {
  localPath: string | null
  uploadId: string | null
}

/** The attachment of a queued message of mine; its outbox row waits for the upload. */
export async function insertOwnAttachment(
  tx: SqlExecutor,
  message: { conversationId: string; clientMessageId: string },
  senderId: string,
  a: OwnAttachment,
): Promise<void> {
  await tx.run(
    `INSERT INTO attachments (sender_id, client_message_id, conversation_id, kind, file_id, name,
       size, mime, sha256, width, height, duration_ms, thumbnail, thumbnail_mime, local_path,
       upload_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...recordColumns(senderId, message, a), a.localPath, a.uploadId],
  )
  await tx.run('UPDATE outbox SET waits_for_upload = 1 WHERE client_message_id = ?', [
    message.clientMessageId,
  ])
}

/** The outbox's entries with the attachment each carries (outbox rows are all mine). */
export async function withOutboxAttachments<
  T extends { clientMessageId: string; conversationId: string },
>(db: SqlExecutor, entries: T[]): Promise<(T & { attachment?: AttachmentRecord })[]> {
  if (entries.length === 0) return entries
  const rows = await db.all<AttachmentRow>(
    `SELECT a.* FROM json_each(?) AS k
     JOIN attachments a
       ON a.client_message_id = k.value ->> 0 AND a.conversation_id = k.value ->> 1`,
    [JSON.stringify(entries.map((entry) => [entry.clientMessageId, entry.conversationId]))],
  )
  const byId = new Map(rows.map((row) => [row.client_message_id, toRecord(toStored(row))]))
  return entries.map((entry) => {
    const attachment = byId.get(entry.clientMessageId)
    return attachment ? { ...entry, attachment } : entry
  })
}

/** The part of a stored attachment that goes on the wire. */
export function toRecord(stored: StoredAttachment): AttachmentRecord {
  return {
    kind: stored.kind,
    fileId: stored.fileId,
    name: stored.name,
    size: stored.size,
    mime: stored.mime,
    sha256: stored.sha256,
    width: stored.width,
    height: stored.height,
    durationMs: stored.durationMs,
    thumbnail: stored.thumbnail,
    thumbnailMime: stored.thumbnailMime,
  }
}

export async function findAttachment(
  db: SqlExecutor,
  senderId: string,
  clientMessageId: string,
): Promise<StoredAttachment | null> {
  const row = await db.get<AttachmentRow>(
    'SELECT * FROM attachments WHERE sender_id = ? AND client_message_id = ?',
    [senderId, clientMessageId],
  )
  return row ? toStored(row) : null
}

/** Attachments of the given messages, by `${senderId}\n${clientMessageId}`. */
export async function attachmentsOf(
  db: SqlExecutor,
  keys: { senderId: string; clientMessageId: string }[],
): Promise<Map<string, StoredAttachment>> {
  if (keys.length === 0) return new Map()
  const rows = await db.all<AttachmentRow>(
    `SELECT a.* FROM json_each(?) AS k
     JOIN attachments a ON a.sender_id = k.value ->> 0 AND a.client_message_id = k.value ->> 1`,
    [JSON.stringify(keys.map((key) => [key.senderId, key.clientMessageId]))],
  )
  return new Map(
    rows.map((row) => [attachmentKey(row.sender_id, row.client_message_id), toStored(row)]),
  )
}

export function attachmentKey(senderId: string, clientMessageId: string): string {
  return `${senderId}\n${clientMessageId}`
}

/** My attachments still waiting for their upload (to match with the upload manager at start). */
export async function waitingAttachments(
  db: SqlExecutor,
  senderId: string,
): Promise<StoredAttachment[]> {
  const rows = await db.all<AttachmentRow>(
    'SELECT * FROM attachments WHERE sender_id = ? AND upload_id IS NOT NULL',
    [senderId],
  )
  return rows.map(toStored)
}

export async function findByUpload(
  db: SqlExecutor,
  uploadId: string,
): Promise<StoredAttachment | null> {
  const row = await db.get<AttachmentRow>('SELECT * FROM attachments WHERE upload_id = ?', [
    uploadId,
  ])
  return row ? toStored(row) : null
}

export async function setUploadId(
  db: SqlExecutor,
  senderId: string,
  clientMessageId: string,
  uploadId: string,
): Promise<void> {
  await db.run(
    'UPDATE attachments SET upload_id = ? WHERE sender_id = ? AND client_message_id = ?',
    [uploadId, senderId, clientMessageId],
  )
}

/**
 * The upload is done: the attachment gets its file id, the message is 'sending' again and its
 * outbox row stops waiting, together, so the outbox sends it with its file.
 */
export async function completeUpload(
  tx: SqlExecutor,
  senderId: string,
  clientMessageId: string,
  done: { fileId: string; sha256: string; size: number; durationMs?: number },
): Promise<void> {
  await tx.run(
    `UPDATE attachments SET file_id = ?, sha256 = ?, size = ?,
       duration_ms = coalesce(?, duration_ms), upload_id = NULL, upload_error = NULL
     WHERE sender_id = ? AND client_message_id = ?`,
    [done.fileId, done.sha256, done.size, done.durationMs ?? null, senderId, clientMessageId],
  )
  await tx.run(
    `UPDATE messages SET state = 'sending'
     WHERE sender_id = ? AND client_message_id = ? AND seq IS NULL`,
    [senderId, clientMessageId],
  )
  await tx.run('UPDATE outbox SET waits_for_upload = 0 WHERE client_message_id = ?', [
    clientMessageId,
  ])
}

/**
 * The upload failed (`error`): the message shows failed with the reason, its outbox row keeps
 * waiting. Or it is retried (null): the message shows 'sending' again.
 */
export async function markUpload(
  tx: SqlExecutor,
  senderId: string,
  clientMessageId: string,
  error: string | null,
): Promise<void> {
  await tx.run(
    'UPDATE attachments SET upload_error = ? WHERE sender_id = ? AND client_message_id = ?',
    [error, senderId, clientMessageId],
  )
  await tx.run(
    `UPDATE messages SET state = ? WHERE sender_id = ? AND client_message_id = ? AND seq IS NULL`,
    [error === null ? 'sending' : 'failed', senderId, clientMessageId],
  )
}

/** A cancelled upload takes its unsent message away: message, outbox row and attachment. */
export async function removeUnsent(
  tx: SqlExecutor,
  senderId: string,
  clientMessageId: string,
): Promise<void> {
  await tx.run('DELETE FROM outbox WHERE client_message_id = ?', [clientMessageId])
  await tx.run(
    'DELETE FROM messages WHERE sender_id = ? AND client_message_id = ? AND seq IS NULL',
    [senderId, clientMessageId],
  )
  await tx.run('DELETE FROM attachments WHERE sender_id = ? AND client_message_id = ?', [
    senderId,
    clientMessageId,
  ])
}

export async function setLocalPath(
  db: SqlExecutor,
  senderId: string,
  clientMessageId: string,
  localPath: string,
): Promise<void> {
  await db.run(
    'UPDATE attachments SET local_path = ? WHERE sender_id = ? AND client_message_id = ?',
    [localPath, senderId, clientMessageId],
  )
}

function toStored(row: AttachmentRow): StoredAttachment {
  return {
    senderId: row.sender_id,
    clientMessageId: row.client_message_id,
    conversationId: row.conversation_id,
    kind: row.kind,
    fileId: row.file_id,
    name: row.name,
    size: row.size,
    mime: row.mime,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    thumbnail: row.thumbnail,
    thumbnailMime: row.thumbnail_mime,
    localPath: row.local_path,
    uploadId: row.upload_id,
    uploadError: row.upload_error,
  }
}

/** The attachment functions bound to one store's database (`Store.attachments`). */
export class AttachmentTable {
  constructor(private readonly db: SqlDatabase) {}

  find(senderId: string, clientMessageId: string) {
    return findAttachment(this.db, senderId, clientMessageId)
  }

  of(keys: { senderId: string; clientMessageId: string }[]) {
    return attachmentsOf(this.db, keys)
  }

  waiting(senderId: string) {
    return waitingAttachments(this.db, senderId)
  }

  byUpload(uploadId: string) {
    return findByUpload(this.db, uploadId)
  }

  setUploadId(senderId: string, clientMessageId: string, uploadId: string) {
    return setUploadId(this.db, senderId, clientMessageId, uploadId)
  }

  /** A recording is over: its length and duration are known. */
  async setVoiceLength(
    senderId: string,
    clientMessageId: string,
    size: number,
    durationMs: number,
  ) {
    await this.db.run(
      'UPDATE attachments SET size = ?, duration_ms = ? WHERE sender_id = ? AND client_message_id = ?',
      [size, durationMs, senderId, clientMessageId],
    )
  }

  setLocalPath(senderId: string, clientMessageId: string, localPath: string) {
    return setLocalPath(this.db, senderId, clientMessageId, localPath)
  }

  /** The sender's attachments whose local copy is one of `paths`. */
  async withLocalPaths(senderId: string, paths: readonly string[]): Promise<StoredAttachment[]> {
    const rows = await this.db.all<AttachmentRow>(
      `SELECT * FROM attachments
       WHERE sender_id = ? AND local_path IN (SELECT value FROM json_each(?))`,
      [senderId, JSON.stringify(paths)],
    )
    return rows.map(toStored)
  }

  completeUpload(
    senderId: string,
    clientMessageId: string,
    done: { fileId: string; sha256: string; size: number; durationMs?: number },
  ) {
    return this.db.transaction((tx) => completeUpload(tx, senderId, clientMessageId, done))
  }

  failUpload(senderId: string, clientMessageId: string, error: string) {
    return this.db.transaction((tx) => markUpload(tx, senderId, clientMessageId, error))
  }

  unfailUpload(senderId: string, clientMessageId: string) {
    return this.db.transaction((tx) => markUpload(tx, senderId, clientMessageId, null))
  }

  removeUnsent(senderId: string, clientMessageId: string) {
    return this.db.transaction((tx) => removeUnsent(tx, senderId, clientMessageId))
  }

  /** A message refused by the server for good goes back into the outbox to be sent again. */
  async requeue(senderId: string, clientMessageId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ conversation_id: string; text: string; sent_at: number }>(
        `SELECT conversation_id, text, sent_at FROM messages
         WHERE sender_id = ? AND client_message_id = ? AND seq IS NULL AND state = 'failed'`,
        [senderId, clientMessageId],
      )
      if (!row) return false
      await tx.run(
        `INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
         VALUES (?, ?, ?, ?) ON CONFLICT (client_message_id) DO NOTHING`,
        [clientMessageId, row.conversation_id, row.text, row.sent_at],
      )
      await markUpload(tx, senderId, clientMessageId, null)
      return true
    })
  }
}
