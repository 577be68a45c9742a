// The encrypted local store of one account: SQLCipher, WAL, numbered migrations. Opening with a
// wrong key, or a file that is not a Tack database, is a clear StoreOpenError, never an empty
// fresh database.
import { existsSync } from 'node:fs'
import { HostError } from '../../../shared/errors'
import type {
  ConversationKind,
  ConversationView,
  DepartmentView,
  DirectoryView,
  MessageState,
  MessageView,
  Person,
} from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'
import { SqlDatabase, type SqlExecutor } from './sql-database'

const log = createLogger('store')

export type StoreOpenFailure = 'wrong-key' | 'newer-schema' | 'unreadable'

export class StoreOpenError extends HostError {
  constructor(
    readonly failure: StoreOpenFailure,
    message: string,
  ) {
    super('STORE_LOCKED', message)
    this.name = 'StoreOpenError'
  }
}

export interface ConversationRecord {
  id: string
  kind: ConversationKind
  title: string
  memberIds: string[]
  createdAt: number
}

export interface MessageRecord {
  id: string
  conversationId: string
  seq: number
  senderId: string
  clientMessageId: string
  text: string
  sentAt: number
}

export type SyncChange =
  | { kind: 'message'; message: MessageRecord }
  | { kind: 'conversation'; conversation: ConversationRecord }
  | { kind: 'read'; conversationId: string; readSeq: number }

export interface AppliedChanges {
  conversationIds: Set<string>
  messageConversationIds: Set<string>
}

export interface OutboxEntry {
  clientMessageId: string
  conversationId: string
  text: string
  createdAt: number
  attempts: number
}

interface MessageRow {
  conversation_id: string
  client_message_id: string
  id: string | null
  seq: number | null
  sender_id: string
  text: string
  sent_at: number
  state: MessageState
}

interface ConversationRow {
  id: string
  kind: ConversationKind
  title: string
  member_ids: string
  read_seq: number
  last_seq: number
  last_activity_at: number
  unread: number
  last_sender_id: string | null
  last_text: string | null
  last_sent_at: number | null
}

const KV_SYNC_POINT = 'sync_point'

export class Store {
  private constructor(
    private readonly db: SqlDatabase,
    readonly path: string,
  ) {}

  /** Opens (or creates) the database at `path` with `key`, then migrates it. */
  static async open(path: string, key: Buffer, options: { create: boolean }): Promise<Store> {
    if (!options.create && !existsSync(path)) {
      throw new StoreOpenError('unreadable', `no database at ${path}`)
    }
    const db = await SqlDatabase.open(path)
    try {
      await applyKey(db, key)
      await checkReadable(db, path)
      await db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL',
      )
      await migrate(db, path)
    } catch (error) {
      await db.close().catch(() => undefined)
      throw error
    }
    return new Store(db, path)
  }

  close(): Promise<void> {
    return this.db.close()
  }

  async getValue(key: string): Promise<string | null> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM kv WHERE key = ?', [key])
    return row?.value ?? null
  }

  async setValue(key: string, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    )
  }

  async getSyncPoint(): Promise<number> {
    return Number((await this.getValue(KV_SYNC_POINT)) ?? 0)
  }

  /**
   * Applies one sync packet's changes and moves the sync point, in one transaction. Applying
   * the same changes twice leaves the store as once.
   */
  applySyncChanges(
    changes: SyncChange[],
    syncPoint: number,
    myId: string,
  ): Promise<AppliedChanges> {
    return this.db.transaction(async (tx) => {
      const applied: AppliedChanges = {
        conversationIds: new Set(),
        messageConversationIds: new Set(),
      }
      for (const change of changes) {
        if (change.kind === 'conversation') await upsertConversation(tx, change.conversation)
        else if (change.kind === 'message') {
          await upsertMessage(tx, change.message, myId)
          applied.messageConversationIds.add(change.message.conversationId)
        } else await moveReadPosition(tx, change.conversationId, change.readSeq)
        applied.conversationIds.add(conversationIdOf(change))
      }
      await tx.run(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [KV_SYNC_POINT, String(syncPoint)],
      )
      return applied
    })
  }

  async upsertConversation(conversation: ConversationRecord): Promise<void> {
    await this.db.transaction((tx) => upsertConversation(tx, conversation))
  }

  replaceDirectory(directory: DirectoryView): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM departments')
      await tx.run('DELETE FROM contacts')
      for (const department of directory.departments) {
        await tx.run('INSERT INTO departments (id, name, name_en, parent_id) VALUES (?, ?, ?, ?)', [
          department.id,
          department.name,
          department.nameEn,
          department.parentId,
        ])
      }
      for (const person of directory.people) {
        await tx.run(
          `INSERT INTO contacts (id, username, name, name_en, department_id, title, avatar_color)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [
            person.id,
            person.username,
            person.name,
            person.nameEn,
            person.departmentId,
            person.title,
            person.avatarColor,
          ],
        )
      }
    })
  }

  async listDirectory(): Promise<DirectoryView> {
    const departments = await this.db.all<{
      id: string
      name: string
      name_en: string
      parent_id: string | null
    }>('SELECT id, name, name_en, parent_id FROM departments ORDER BY id')
    const people = await this.db.all<{
      id: string
      username: string
      name: string
      name_en: string
      department_id: string
      title: string
      avatar_color: string
    }>('SELECT * FROM contacts ORDER BY department_id, name_en')
    return {
      departments: departments.map((row): DepartmentView => ({
        id: row.id,
        name: row.name,
        nameEn: row.name_en,
        parentId: row.parent_id,
      })),
      people: people.map((row): Person => ({
        id: row.id,
        username: row.username,
        name: row.name,
        nameEn: row.name_en,
        departmentId: row.department_id,
        title: row.title,
        avatarColor: row.avatar_color,
      })),
    }
  }

  async listConversations(myId: string): Promise<ConversationView[]> {
    const rows = await this.db.all<ConversationRow>(
      `SELECT c.*,
         (SELECT count(*) FROM messages m
            WHERE m.conversation_id = c.id AND m.seq > c.read_seq AND m.sender_id <> ?) AS unread,
         last.sender_id AS last_sender_id, last.text AS last_text, last.sent_at AS last_sent_at
       FROM conversations c
       LEFT JOIN messages last ON last.local_id = (
         SELECT local_id FROM messages m2 WHERE m2.conversation_id = c.id
         ORDER BY m2.seq IS NULL DESC, m2.seq DESC, m2.local_id DESC LIMIT 1)
       ORDER BY c.last_activity_at DESC, c.id`,
      [myId],
    )
    const names = await this.personNames()
    return rows.map((row) => toConversationView(row, myId, names))
  }

  async getConversation(id: string, myId: string): Promise<ConversationView | null> {
    return (await this.listConversations(myId)).find((view) => view.id === id) ?? null
  }

  /** The newest `limit` messages before `beforeSeq` (all when absent), oldest first; pending last. */
  async loadMessages(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<MessageView[]> {
    const confirmed = await this.db.all<MessageRow>(
      `SELECT * FROM messages WHERE conversation_id = ? AND seq IS NOT NULL AND seq < ?
       ORDER BY seq DESC LIMIT ?`,
      [conversationId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
    )
    const pending =
      beforeSeq === undefined
        ? await this.db.all<MessageRow>(
            'SELECT * FROM messages WHERE conversation_id = ? AND seq IS NULL ORDER BY local_id',
            [conversationId],
          )
        : []
    return [...confirmed.reverse(), ...pending].map(toMessageView)
  }

  /** Keeps a typed message as 'sending' and in the outbox, together, until the server has it. */
  async enqueueMessage(entry: OutboxEntry, senderId: string): Promise<MessageView> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, text, sent_at, state)
         VALUES (?, ?, ?, ?, ?, 'sending')`,
        [entry.conversationId, senderId, entry.clientMessageId, entry.text, entry.createdAt],
      )
      await tx.run(
        'INSERT INTO outbox (client_message_id, conversation_id, text, created_at) VALUES (?, ?, ?, ?)',
        [entry.clientMessageId, entry.conversationId, entry.text, entry.createdAt],
      )
      await tx.run(
        'UPDATE conversations SET last_activity_at = max(last_activity_at, ?) WHERE id = ?',
        [entry.createdAt, entry.conversationId],
      )
    })
    return {
      conversationId: entry.conversationId,
      clientMessageId: entry.clientMessageId,
      id: null,
      seq: null,
      senderId,
      text: entry.text,
      sentAt: entry.createdAt,
      state: 'sending',
    }
  }

  listOutbox(): Promise<OutboxEntry[]> {
    return this.db.all<OutboxEntry>(
      `SELECT client_message_id AS clientMessageId, conversation_id AS conversationId, text,
         created_at AS createdAt, attempts FROM outbox ORDER BY created_at, rowid`,
    )
  }

  async noteOutboxAttempt(clientMessageId: string, error: string | null): Promise<void> {
    await this.db.run(
      'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE client_message_id = ?',
      [error, clientMessageId],
    )
  }

  /** The server acknowledged the message: record its id and position, and empty its outbox row. */
  confirmMessage(message: MessageRecord, myId: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await upsertMessage(tx, message, myId)
    })
  }

  /** The server refused the message for good: it stays visible as failed, out of the outbox. */
  failMessage(clientMessageId: string, senderId: string, reason: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM outbox WHERE client_message_id = ?', [clientMessageId])
      await tx.run(
        `UPDATE messages SET state = 'failed' WHERE sender_id = ? AND client_message_id = ? AND seq IS NULL`,
        [senderId, clientMessageId],
      )
      log.warn({ clientMessageId, reason }, 'message refused by the server')
    })
  }

  /** Marks everything in the conversation read locally; returns the new read position. */
  async markRead(conversationId: string): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ read_seq: number; last_seq: number }>(
        'SELECT read_seq, last_seq FROM conversations WHERE id = ?',
        [conversationId],
      )
      if (!row) throw new HostError('NOT_FOUND', `no conversation ${conversationId}`)
      if (row.last_seq <= row.read_seq) return null
      await tx.run('UPDATE conversations SET read_seq = ? WHERE id = ?', [
        row.last_seq,
        conversationId,
      ])
      return row.last_seq
    })
  }

  private async personNames(): Promise<Map<string, string>> {
    const rows = await this.db.all<{ id: string; name: string }>('SELECT id, name FROM contacts')
    return new Map(rows.map((row) => [row.id, row.name]))
  }
}

async function applyKey(db: SqlDatabase, key: Buffer): Promise<void> {
  if (key.length !== 32) throw new StoreOpenError('wrong-key', 'database key must be 256 bits')
  // The key is hex we made ourselves, never user input, so inlining it is safe; PRAGMA key
  // takes no bound parameters. It must be the first statement on the connection.
  await db.exec(`PRAGMA key = "x'${key.toString('hex')}'"`)
  // SQLCipher's own log goes to stderr; our logger reports a failed open with context instead.
  await db.exec('PRAGMA cipher_log_level = NONE')
}

async function checkReadable(db: SqlDatabase, path: string): Promise<void> {
  try {
    await db.get('SELECT count(*) AS n FROM sqlite_master')
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    log.error({ path, detail }, 'database could not be opened with its key')
    throw new StoreOpenError(
      'wrong-key',
      `cannot open the local database ${path}: the key does not match or the file is not a Tack database`,
    )
  }
}

async function migrate(db: SqlDatabase, path: string): Promise<void> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version')
  const current = row?.user_version ?? 0
  if (current > SCHEMA_VERSION) {
    throw new StoreOpenError(
      'newer-schema',
      `the local database ${path} has schema ${current}, newer than this app's ${SCHEMA_VERSION}`,
    )
  }
  for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
    const started = Date.now()
    await db.transaction(async (tx) => {
      await migration.up(tx)
      await tx.exec(`PRAGMA user_version = ${migration.version}`)
    })
    log.info(
      { version: migration.version, name: migration.name, durationMs: Date.now() - started },
      'migration applied',
    )
  }
}

async function upsertConversation(
  tx: SqlExecutor,
  conversation: ConversationRecord,
): Promise<void> {
  await tx.run(
    `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_activity_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
       member_ids = excluded.member_ids`,
    [
      conversation.id,
      conversation.kind,
      conversation.title,
      JSON.stringify(conversation.memberIds),
      conversation.createdAt,
      conversation.createdAt,
    ],
  )
}

async function upsertMessage(tx: SqlExecutor, message: MessageRecord, myId: string): Promise<void> {
  await tx.run(
    `INSERT INTO conversations (id, kind, title, member_ids, created_at)
     VALUES (?, 'group', '', '[]', ?) ON CONFLICT (id) DO NOTHING`,
    [message.conversationId, message.sentAt],
  )
  await tx.run(
    `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'sent')
     ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
       id = excluded.id, seq = excluded.seq, sent_at = excluded.sent_at, state = 'sent'`,
    [
      message.conversationId,
      message.senderId,
      message.clientMessageId,
      message.id,
      message.seq,
      message.text,
      message.sentAt,
    ],
  )
  await tx.run(
    `UPDATE conversations SET last_seq = max(last_seq, ?), last_activity_at = max(last_activity_at, ?)
     WHERE id = ?`,
    [message.seq, message.sentAt, message.conversationId],
  )
  if (message.senderId === myId) {
    await tx.run('DELETE FROM outbox WHERE client_message_id = ?', [message.clientMessageId])
    // My own message is read by definition.
    await moveReadPosition(tx, message.conversationId, message.seq)
  }
}

async function moveReadPosition(
  tx: SqlExecutor,
  conversationId: string,
  readSeq: number,
): Promise<void> {
  await tx.run('UPDATE conversations SET read_seq = max(read_seq, ?) WHERE id = ?', [
    readSeq,
    conversationId,
  ])
}

function conversationIdOf(change: SyncChange): string {
  if (change.kind === 'conversation') return change.conversation.id
  if (change.kind === 'message') return change.message.conversationId
  return change.conversationId
}

function toMessageView(row: MessageRow): MessageView {
  return {
    conversationId: row.conversation_id,
    clientMessageId: row.client_message_id,
    id: row.id,
    seq: row.seq,
    senderId: row.sender_id,
    text: row.text,
    sentAt: row.sent_at,
    state: row.state,
  }
}

function toConversationView(
  row: ConversationRow,
  myId: string,
  names: Map<string, string>,
): ConversationView {
  const memberIds = JSON.parse(row.member_ids) as string[]
  const peerId = row.kind === 'direct' ? (memberIds.find((id) => id !== myId) ?? myId) : null
  const title = peerId ? (names.get(peerId) ?? (row.title || peerId)) : row.title || row.id
  return {
    id: row.id,
    kind: row.kind,
    title,
    memberIds,
    peerId,
    lastMessage:
      row.last_text !== null && row.last_sender_id !== null && row.last_sent_at !== null
        ? { senderId: row.last_sender_id, text: row.last_text, sentAt: row.last_sent_at }
        : null,
    unreadCount: row.unread,
    lastActivityAt: row.last_activity_at,
  }
}
