// The encrypted local store of one account: SQLCipher, WAL, numbered migrations, full-text
// search. Opening with a wrong or missing key, or a damaged file, is a clear StoreOpenError
// (open-database.ts), never an empty fresh database.
import { HostError } from '../../../shared/errors'
import type {
  AttachmentKind,
  ConversationKind,
  ConversationView,
  DepartmentView,
  DirectoryView,
  DraftView,
  GroupNoticeView,
  LastMessageView,
  MessageSearchHit,
  MessageState,
  MessageView,
  Person,
  ReadReceiptsView,
  ReplyQuoteView,
} from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { applyChanges, KV_SYNC_POINT } from './apply'
import { contactSearchKeys, pinyinSyllables } from './contact-keys'
import { openEncryptedDatabase } from './open-database'
import {
  applyReceiptChanges,
  hasReceiptChanges,
  memberReadPositions,
  quoteOf,
  receiptsAt,
  saveOutgoingExtras,
} from './receipts'
import { findContactIds, findMessageIds } from './search'
import type { SqlDatabase, SqlExecutor } from './sql-database'
import { UploadTable } from './upload-table'
import {
  AttachmentTable,
  insertOwnAttachment,
  withOutboxAttachments,
  type AttachmentRecord,
  type OwnAttachment,
} from './attachments'

export { StoreOpenError, type StoreOpenFailure } from './open-database'

const log = createLogger('store')

const KV_DEVICES = 'devices'

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
  /** The message it answers, as the server quoted it. */
  replyTo?: ReplyQuoteView
  mentionIds?: string[]
  /** A file, image or voice recording (store/attachments.ts). */
  attachment?: AttachmentRecord
  /** A note of a change to the group, written by the server. */
  notice?: GroupNoticeView
}

export interface DeviceRecord {
  deviceId: string
  name: string
  platform: string
  lastSeenAt: number
}

export interface ConversationSettingsRecord {
  conversationId: string
  pinned: boolean
  muted: boolean
}

export type SyncChange =
  | { kind: 'message'; message: MessageRecord }
  | { kind: 'recall'; conversationId: string; messageId: string }
  | { kind: 'settings'; settings: ConversationSettingsRecord }
  | { kind: 'devices'; devices: DeviceRecord[] }
  | { kind: 'conversation'; conversation: ConversationRecord }
  | { kind: 'read'; conversationId: string; readSeq: number }
  /** Another member's read position (receipts of my messages). */
  | {
      kind: 'memberRead'
      conversationId: string
      userId: string
      readSeq: number
      /** Messages up to this seq came before the member joined: not theirs to read. */
      joinedSeq?: number
    }
  | { kind: 'user'; person: Person }
  | { kind: 'department'; department: DepartmentView }

/** A conversation as a reset's snapshot has it (see SyncReset in the wire schema). */
export interface ConversationSnapshot {
  conversation: ConversationRecord
  pinned: boolean
  muted: boolean
  readSeq: number
  lastSeq: number
  /** The oldest message of the snapshot's; older ones may be missing here (a hole). */
  firstSeq: number
  /** Unread messages older than firstSeq, which this store may lack. */
  unreadBeforeFirst: number
}

/** The user's state at a sync point, given instead of the log the server no longer keeps. */
export interface SnapshotRecord {
  syncId: number
  conversations: ConversationSnapshot[]
  messages: MessageRecord[]
  recalledMessageIds: string[]
  devices: DeviceRecord[] | null
}

export interface AppliedChanges {
  conversationIds: Set<string>
  messageConversationIds: Set<string>
  /** The device list changed. */
  devicesChanged?: boolean
  /** A person or department of the directory changed. */
  contactsChanged?: boolean
}

export interface OutboxEntry {
  clientMessageId: string
  conversationId: string
  text: string
  createdAt: number
  attempts: number
  /** The server id of the message it answers. */
  replyToMessageId?: string | null
  mentionIds?: string[]
  /** The file sent with it, once its upload is done. */
  attachment?: AttachmentRecord
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
  recalled: number
  /** JSON of a ReplyQuoteView, or null. */
  reply_to?: string | null
  /** JSON array of user ids. */
  mention_ids?: string
  /** JSON of a GroupNoticeView, or null. */
  notice?: string | null
}

interface PersonRow {
  id: string
  username: string
  name: string
  name_en: string
  department_id: string
  title: string
  avatar_color: string
}

const PERSON_COLUMNS = 'id, username, name, name_en, department_id, title, avatar_color'

interface ConversationRow {
  id: string
  kind: ConversationKind
  title: string
  member_ids: string
  read_seq: number
  last_seq: number
  last_activity_at: number
  pinned: number
  muted: number
  unread: number
  last_sender_id: string | null
  last_text: string | null
  /** JSON [kind, name, duration_ms] of the last message's attachment (store/attachments.ts). */
  last_attachment: string | null
  last_sent_at: number | null
  last_recalled: number | null
  /** JSON of the last message's GroupNoticeView, when it is a note of a group change. */
  last_notice?: string | null
  /** 1 when an unread message mentions me. */
  mentions_me?: number
  /** What I was writing in it on this device, and the people picked with @ (JSON). */
  draft_text?: string | null
  draft_mentions?: string | null
}

/** How many messages on each side of the one a search hit opens at. */
const AROUND_EACH_SIDE = 25

export class Store {
  /** The upload manager's state (migration 6). */
  readonly uploads: UploadTable
  /** Attachments of messages (migration 7). */
  readonly attachments: AttachmentTable

  private constructor(
    private readonly db: SqlDatabase,
    readonly path: string,
  ) {
    this.uploads = new UploadTable(db)
    this.attachments = new AttachmentTable(db)
  }

  /** Opens (or creates) the database at `path` with `key`, then migrates it. */
  static async open(path: string, key: Buffer, options: { create: boolean }): Promise<Store> {
    return new Store(await openEncryptedDatabase(path, key, options), path)
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
   * Applies one sync packet's changes and moves the sync point, as one statement (so one
   * transaction; see apply.ts). Applying the same changes twice leaves the store as once.
   */
  applySyncChanges(
    changes: SyncChange[],
    syncPoint: number,
    myId: string,
  ): Promise<AppliedChanges> {
    const lists = changes.filter((change) => change.kind === 'devices')
    const devices = lists[lists.length - 1]
    const directory = changes.filter(
      (change) => change.kind === 'user' || change.kind === 'department',
    )
    const receipts = hasReceiptChanges(changes)
    if (!devices && directory.length === 0 && !receipts) {
      return applyChanges(this.db, changes, syncPoint, myId)
    }
    // Device lists and contacts are kept outside the packet statement, so they share a
    // transaction with it.
    return this.db.transaction(async (tx) => {
      const applied = await applyChanges(tx, changes, syncPoint, myId)
      if (receipts) await applyReceiptChanges(tx, changes)
      if (devices) {
        await setKv(tx, KV_DEVICES, JSON.stringify(devices.devices))
        applied.devicesChanged = true
      }
      for (const change of directory) {
        if (change.kind === 'user') {
          await writePerson(tx, change.person)
          // A direct conversation is named after the other person.
          const named = await tx.all<{ id: string }>(
            `SELECT id FROM conversations WHERE kind = 'direct'
               AND EXISTS (SELECT 1 FROM json_each(member_ids) WHERE value = ?)`,
            [change.person.id],
          )
          for (const { id } of named) applied.conversationIds.add(id)
        } else if (change.kind === 'department') {
          await writeDepartment(tx, change.department)
        }
        applied.contactsChanged = true
      }
      return applied
    })
  }

  /**
   * Applies a reset's snapshot in one transaction: conversations as the server has them (read
   * positions only move forward), their newest messages beside the ones kept here, and where
   * each conversation's history may have a hole, with the unread count the hole hides.
   */
  applySnapshot(snapshot: SnapshotRecord, myId: string): Promise<AppliedChanges> {
    const changes: SyncChange[] = [
      ...snapshot.conversations.map((c): SyncChange => ({
        kind: 'conversation',
        conversation: c.conversation,
      })),
      ...snapshot.messages.map((message): SyncChange => ({ kind: 'message', message })),
      ...snapshot.recalledMessageIds.map((messageId): SyncChange => ({
        kind: 'recall',
        conversationId: '',
        messageId,
      })),
    ]
    return this.db.transaction(async (tx) => {
      const applied = await applyChanges(tx, changes, snapshot.syncId, myId)
      if (hasReceiptChanges(changes)) await applyReceiptChanges(tx, changes)
      await tx.run(
        `UPDATE conversations SET read_seq = max(conversations.read_seq, s.snap_read_seq),
             last_seq = max(conversations.last_seq, s.snap_last_seq), pinned = s.snap_pinned,
             muted = s.snap_muted, hole_before_seq = s.snap_first_seq,
             unread_before_hole = s.snap_unread
           FROM (SELECT value ->> 0 AS snap_id, value ->> 1 AS snap_read_seq,
                   value ->> 2 AS snap_last_seq, value ->> 3 AS snap_pinned,
                   value ->> 4 AS snap_muted, value ->> 5 AS snap_first_seq,
                   value ->> 6 AS snap_unread FROM json_each(?)) AS s
           WHERE conversations.id = s.snap_id`,
        [
          JSON.stringify(
            snapshot.conversations.map((c) => [
              c.conversation.id,
              c.readSeq,
              c.lastSeq,
              c.pinned ? 1 : 0,
              c.muted ? 1 : 0,
              c.firstSeq,
              c.unreadBeforeFirst,
            ]),
          ),
        ],
      )
      if (snapshot.devices) {
        await setKv(tx, KV_DEVICES, JSON.stringify(snapshot.devices))
        applied.devicesChanged = true
      }
      applied.conversationIds.delete('')
      applied.messageConversationIds.delete('')
      return applied
    })
  }

  /**
   * Whether the store holds every message of the page `loadMessages` would return: the `limit`
   * seqs below `beforeSeq` (or up to the newest), none missing below a reset's hole. False means
   * a hole to fetch.
   */
  async hasWholePage(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ whole: boolean; top: number }> {
    const row = await this.db.get<{ last_seq: number; hole_before_seq: number }>(
      'SELECT last_seq, hole_before_seq FROM conversations WHERE id = ?',
      [conversationId],
    )
    const top = beforeSeq !== undefined ? beforeSeq - 1 : (row?.last_seq ?? 0)
    const bottom = Math.max(1, top - limit + 1)
    // Only a reset leaves holes, and only below its oldest message: a page from there up is whole
    // (a member who joined a group later never had its older messages, and does not fetch them).
    if (top < 1 || bottom >= (row?.hole_before_seq ?? 0)) return { whole: true, top }
    const have = await this.db.get<{ n: number }>(
      `SELECT count(*) AS n FROM messages
       WHERE conversation_id = ? AND seq IS NOT NULL AND seq BETWEEN ? AND ?`,
      [conversationId, bottom, top],
    )
    return { whole: (have?.n ?? 0) >= top - bottom + 1, top }
  }

  /** My devices as the last device list item said; empty before one arrived. */
  async listDevices(): Promise<DeviceRecord[]> {
    return JSON.parse((await this.getValue(KV_DEVICES)) ?? '[]') as DeviceRecord[]
  }

  async upsertConversation(conversation: ConversationRecord): Promise<void> {
    await applyChanges(this.db, [{ kind: 'conversation', conversation }], null, '')
  }

  /** Applies changes a reply brought, ahead of the same items arriving by sync. */
  async applyReplyChanges(changes: SyncChange[], myId: string): Promise<void> {
    if (!hasReceiptChanges(changes)) {
      await applyChanges(this.db, changes, null, myId)
      return
    }
    await this.db.transaction(async (tx) => {
      await applyChanges(tx, changes, null, myId)
      await applyReceiptChanges(tx, changes)
    })
  }

  /** Read positions moved here but not yet told to the server, by conversation. */
  async unsentReads(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ conversation_id: string; read_seq: number }>(
      'SELECT conversation_id, read_seq FROM unsent_reads',
    )
    return new Map(rows.map((row) => [row.conversation_id, row.read_seq]))
  }

  async addUnsentRead(conversationId: string, readSeq: number): Promise<void> {
    await this.db.run(
      `INSERT INTO unsent_reads (conversation_id, read_seq) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET read_seq = max(read_seq, excluded.read_seq)`,
      [conversationId, readSeq],
    )
  }

  /** The server has the position `readSeq`; a later one moved here meanwhile stays unsent. */
  async clearUnsentRead(conversationId: string, readSeq: number): Promise<void> {
    await this.db.run('DELETE FROM unsent_reads WHERE conversation_id = ? AND read_seq <= ?', [
      conversationId,
      readSeq,
    ])
  }

  replaceDirectory(directory: DirectoryView): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM departments')
      await tx.run('DELETE FROM contacts')
      for (const department of directory.departments) await writeDepartment(tx, department)
      for (const person of directory.people) await writePerson(tx, person)
    })
  }

  async listDirectory(): Promise<DirectoryView> {
    const departments = await this.db.all<{
      id: string
      name: string
      name_en: string
      parent_id: string | null
    }>('SELECT id, name, name_en, parent_id FROM departments ORDER BY id')
    const people = await this.db.all<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM contacts ORDER BY department_id, name_en`,
    )
    return {
      departments: departments.map((row): DepartmentView => ({
        id: row.id,
        name: row.name,
        nameEn: row.name_en,
        parentId: row.parent_id,
      })),
      people: people.map(toPerson),
    }
  }

  /** Contacts by name, English name, username, full pinyin or pinyin initials; best first. */
  async searchContacts(query: string, limit: number): Promise<Person[]> {
    const ids = await findContactIds(this.db, query, limit)
    if (ids.length === 0) return []
    const rows = await this.db.all<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM contacts WHERE id IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(ids)],
    )
    const byId = new Map(rows.map((row) => [row.id, toPerson(row)]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }

  /** Messages containing every term of `query`, newest first, with their conversation's title. */
  async searchMessages(query: string, limit: number, myId: string): Promise<MessageSearchHit[]> {
    const started = Date.now()
    const ids = await findMessageIds(this.db, query, limit)
    if (ids.length === 0) return []
    const rows = await this.db.all<MessageRow & { local_id: number }>(
      'SELECT * FROM messages WHERE local_id IN (SELECT value FROM json_each(?))',
      [JSON.stringify(ids)],
    )
    const byId = new Map(rows.map((row) => [row.local_id, toMessageView(row)]))
    const titles = await this.conversationTitles(
      [...new Set(rows.map((row) => row.conversation_id))],
      myId,
    )
    log.debug({ hits: ids.length, durationMs: Date.now() - started }, 'messages searched')
    return ids.flatMap((id) => {
      const message = byId.get(id)
      if (!message) return []
      return [{ message, conversationTitle: titles.get(message.conversationId) ?? '' }]
    })
  }

  /**
   * Every conversation, or only those with the given ids; newest activity first. Each one's last
   * message is the later, by the time it was sent, of its newest pending one and the one with its
   * highest seq (a tie goes to the pending one): an unsent or failed message of mine is last only
   * until someone writes after it, so it never hides newer news from the preview or the
   * notifications. Both are found through an index, never by sorting the messages: with 100,000
   * of them that sort cost every call tens of milliseconds.
   */
  async listConversations(myId: string, ids?: readonly string[]): Promise<ConversationView[]> {
    const rows = await this.db.all<ConversationRow>(
      `SELECT c.*,
         (SELECT count(*) FROM messages m
            WHERE m.conversation_id = c.id AND m.seq > c.read_seq AND m.sender_id <> ?
              AND m.recalled = 0 AND m.notice IS NULL AND m.seq >= c.hole_before_seq)
           + max(0, min(c.unread_before_hole, c.hole_before_seq - 1 - c.read_seq)) AS unread,
         EXISTS (SELECT 1 FROM messages m3, json_each(m3.mention_ids) mentioned
            WHERE m3.conversation_id = c.id AND m3.seq > c.read_seq AND m3.mention_ids <> '[]'
              AND m3.recalled = 0 AND mentioned.value = ?1) AS mentions_me,
         last.sender_id AS last_sender_id, last.text AS last_text, last.sent_at AS last_sent_at,
         last.recalled AS last_recalled, last.notice AS last_notice,
         (SELECT json_array(a.kind, a.name, a.duration_ms) FROM attachments a
            WHERE last.recalled = 0 AND a.sender_id = last.sender_id
              AND a.client_message_id = last.client_message_id)
           AS last_attachment,
         d.text AS draft_text, d.mentions AS draft_mentions
       FROM conversations c
       LEFT JOIN drafts d ON d.conversation_id = c.id
       LEFT JOIN messages pending ON pending.local_id =
         (SELECT local_id FROM messages m2 WHERE m2.conversation_id = c.id AND m2.seq IS NULL
            ORDER BY m2.local_id DESC LIMIT 1)
       LEFT JOIN messages confirmed ON confirmed.local_id =
         (SELECT local_id FROM messages m2 WHERE m2.conversation_id = c.id AND m2.seq IS NOT NULL
            ORDER BY m2.seq DESC LIMIT 1)
       LEFT JOIN messages last ON last.local_id = CASE
         WHEN pending.local_id IS NULL THEN confirmed.local_id
         WHEN confirmed.local_id IS NULL OR pending.sent_at >= confirmed.sent_at
           THEN pending.local_id
         ELSE confirmed.local_id END
       ${ids ? 'WHERE c.id IN (SELECT value FROM json_each(?))' : ''}
       ORDER BY c.last_activity_at DESC, c.id`,
      ids ? [myId, JSON.stringify(ids)] : [myId],
    )
    const names = await this.personNames()
    return rows.map((row) => toConversationView(row, myId, names))
  }

  /**
   * Keeps what I am writing in a conversation on this device (listConversations gives it back as
   * `draft`); empty text forgets it. Not synced: each device has its own.
   */
  async saveDraft(conversationId: string, draft: DraftView): Promise<void> {
    if (draft.text === '') {
      await this.db.run('DELETE FROM drafts WHERE conversation_id = ?', [conversationId])
      return
    }
    await this.db.run(
      `INSERT INTO drafts (conversation_id, text, mentions, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (conversation_id) DO UPDATE
         SET text = excluded.text, mentions = excluded.mentions, saved_at = excluded.saved_at`,
      [conversationId, draft.text, JSON.stringify(draft.mentions), Date.now()],
    )
  }

  /** Whether the conversation is here: a check before writing to it, without listing it. */
  async hasConversation(id: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 FROM conversations WHERE id = ?', [id])) !== undefined
  }

  async getConversation(id: string, myId: string): Promise<ConversationView | null> {
    return (await this.listConversations(myId, [id]))[0] ?? null
  }

  /** The messages on both sides of `seq` (it included), oldest first; no pending ones. */
  async loadMessagesAround(conversationId: string, seq: number): Promise<MessageView[]> {
    const rows = await this.db.all<MessageRow>(
      `SELECT * FROM (SELECT * FROM messages
          WHERE conversation_id = ?1 AND seq IS NOT NULL AND seq <= ?2 ORDER BY seq DESC LIMIT ?3)
       UNION ALL
       SELECT * FROM (SELECT * FROM messages
          WHERE conversation_id = ?1 AND seq IS NOT NULL AND seq > ?2 ORDER BY seq LIMIT ?3)
       ORDER BY seq`,
      [conversationId, seq, AROUND_EACH_SIDE],
    )
    return rows.map(toMessageView)
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
  async enqueueMessage(
    entry: OutboxEntry,
    senderId: string,
    replyTo?: ReplyQuoteView,
    attachment?: OwnAttachment,
  ): Promise<MessageView> {
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
      if (replyTo || entry.mentionIds?.length) {
        await saveOutgoingExtras(tx, senderId, entry.clientMessageId, { ...entry, replyTo })
      }
      // A file's message waits in the outbox for its upload.
      if (attachment) await insertOwnAttachment(tx, entry, senderId, attachment)
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
      ...(replyTo ? { replyTo } : {}),
      ...(entry.mentionIds?.length ? { mentionIds: entry.mentionIds } : {}),
    }
  }

  async listOutbox(): Promise<OutboxEntry[]> {
    const rows = await this.db.all<OutboxEntry & { mentionIdsJson: string }>(
      `SELECT client_message_id AS clientMessageId, conversation_id AS conversationId, text,
         created_at AS createdAt, attempts, reply_to_message_id AS replyToMessageId,
         mention_ids AS mentionIdsJson FROM outbox WHERE waits_for_upload = 0
       ORDER BY created_at, rowid`,
    )
    const entries = rows.map(({ mentionIdsJson, ...entry }) => ({
      ...entry,
      mentionIds: JSON.parse(mentionIdsJson) as string[],
    }))
    // A message of mine with a file is listed only once its upload is done, with the file.
    return withOutboxAttachments(this.db, entries)
  }

  async noteOutboxAttempt(clientMessageId: string, error: string | null): Promise<void> {
    await this.db.run(
      'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE client_message_id = ?',
      [error, clientMessageId],
    )
  }

  /** The server acknowledged the message: record its id and position, and empty its outbox row. */
  async confirmMessage(message: MessageRecord, myId: string): Promise<void> {
    await this.applyReplyChanges([{ kind: 'message', message }], myId)
  }

  /** The quote of a message of the conversation, for a reply; null when it is not here. */
  quoteOf(conversationId: string, messageId: string, excerptChars: number) {
    return quoteOf(this.db, conversationId, messageId, excerptChars)
  }

  /** Who of the other members has read my message, and who has not. */
  async readReceipts(
    conversationId: string,
    messageId: string,
    myId: string,
  ): Promise<ReadReceiptsView> {
    const message = await this.db.get<{ seq: number | null }>(
      'SELECT seq FROM messages WHERE conversation_id = ? AND id = ?',
      [conversationId, messageId],
    )
    if (message?.seq == null) throw new HostError('NOT_FOUND', `no message ${messageId}`)
    const positions = await memberReadPositions(this.db, conversationId, myId, message.seq)
    return receiptsAt(positions, message.seq)
  }

  /** The views, with how many other members have not read each of my sent messages. */
  async withUnreadCounts(
    conversationId: string,
    views: MessageView[],
    myId: string,
  ): Promise<MessageView[]> {
    const mine = views.filter((v) => v.senderId === myId && v.seq !== null && !v.recalled)
    if (mine.length === 0) return views
    const fromSeq = Math.min(...mine.map((view) => view.seq!))
    const positions = await memberReadPositions(this.db, conversationId, myId, fromSeq)
    return views.map((view) =>
      view.senderId === myId && view.seq !== null && !view.recalled
        ? { ...view, unreadCount: receiptsAt(positions, view.seq).unread.length }
        : view,
    )
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

  private async conversationTitles(ids: string[], myId: string): Promise<Map<string, string>> {
    const rows = await this.db.all<{
      id: string
      kind: ConversationKind
      title: string
      member_ids: string
    }>(
      'SELECT id, kind, title, member_ids FROM conversations WHERE id IN (SELECT value FROM json_each(?))',
      [JSON.stringify(ids)],
    )
    const names = await this.personNames()
    return new Map(rows.map((row) => [row.id, conversationTitle(row, myId, names)]))
  }

  private async personNames(): Promise<Map<string, string>> {
    const rows = await this.db.all<{ id: string; name: string }>('SELECT id, name FROM contacts')
    return new Map(rows.map((row) => [row.id, row.name]))
  }
}

function setKv(tx: SqlExecutor, key: string, value: string): Promise<unknown> {
  return tx.run(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [key, value],
  )
}

/** Adds the department or replaces the one with its id. */
function writeDepartment(tx: SqlExecutor, department: DepartmentView): Promise<unknown> {
  return tx.run(
    `INSERT INTO departments (id, name, name_en, parent_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
       parent_id = excluded.parent_id`,
    [department.id, department.name, department.nameEn, department.parentId],
  )
}

/** Adds the person or replaces the one with their id, with fresh pinyin search keys. */
function writePerson(tx: SqlExecutor, person: Person): Promise<unknown> {
  const keys = contactSearchKeys(person.name)
  return tx.run(
    `INSERT INTO contacts (id, username, name, name_en, department_id, title, avatar_color,
       pinyin_full, pinyin_initials)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET username = excluded.username, name = excluded.name,
       name_en = excluded.name_en, department_id = excluded.department_id,
       title = excluded.title, avatar_color = excluded.avatar_color,
       pinyin_full = excluded.pinyin_full, pinyin_initials = excluded.pinyin_initials`,
    [
      person.id,
      person.username,
      person.name,
      person.nameEn,
      person.departmentId,
      person.title,
      person.avatarColor,
      keys.pinyinFull,
      keys.pinyinInitials,
    ],
  )
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
    ...(row.recalled ? { recalled: true } : {}),
    ...(row.reply_to ? { replyTo: JSON.parse(row.reply_to) as ReplyQuoteView } : {}),
    ...(row.mention_ids && row.mention_ids !== '[]'
      ? { mentionIds: JSON.parse(row.mention_ids) as string[] }
      : {}),
    ...(row.notice ? { notice: JSON.parse(row.notice) as GroupNoticeView } : {}),
  }
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    nameEn: row.name_en,
    departmentId: row.department_id,
    title: row.title,
    avatarColor: row.avatar_color,
    pinyin: pinyinSyllables(row.name),
  }
}

/** A direct conversation is named after the other person; a group by its title. */
function conversationTitle(
  row: { id: string; kind: ConversationKind; title: string; member_ids: string },
  myId: string,
  names: Map<string, string>,
): string {
  if (row.kind !== 'direct') return row.title || row.id
  const memberIds = JSON.parse(row.member_ids) as string[]
  const peerId = memberIds.find((id) => id !== myId) ?? myId
  return names.get(peerId) ?? (row.title || peerId)
}

function toConversationView(
  row: ConversationRow,
  myId: string,
  names: Map<string, string>,
): ConversationView {
  const memberIds = JSON.parse(row.member_ids) as string[]
  const peerId = row.kind === 'direct' ? (memberIds.find((id) => id !== myId) ?? myId) : null
  const title = conversationTitle(row, myId, names)
  return {
    id: row.id,
    kind: row.kind,
    title,
    ...titlePinyin(title),
    memberIds,
    peerId,
    lastMessage:
      row.last_text !== null && row.last_sender_id !== null && row.last_sent_at !== null
        ? {
            senderId: row.last_sender_id,
            ...senderName(names, row.last_sender_id),
            text: row.last_text,
            sentAt: row.last_sent_at,
            ...lastAttachment(row.last_attachment),
            ...(row.last_recalled ? { recalled: true } : {}),
            ...(row.last_notice ? { notice: JSON.parse(row.last_notice) as GroupNoticeView } : {}),
          }
        : null,
    unreadCount: row.unread,
    lastActivityAt: row.last_activity_at,
    pinned: row.pinned === 1,
    muted: row.muted === 1,
    ...(row.mentions_me ? { mentionsMe: true } : {}),
    ...(row.draft_text
      ? {
          draft: {
            text: row.draft_text,
            mentions: JSON.parse(row.draft_mentions ?? '[]') as DraftView['mentions'],
          },
        }
      : {}),
  }
}

/**
 * Titles' pinyin as worked out once: listing 20,000 Chinese-titled conversations would otherwise
 * spend about 150 ms on pinyin each time. Bounded, since titles change but rarely.
 */
const pinyinOfTitle = new Map<string, string[]>()
const PINYIN_TITLES_KEPT = 50_000

/** Pinyin only for a title with a character beyond printable ASCII: English titles cost nothing. */
function titlePinyin(title: string): Pick<ConversationView, 'titlePinyin'> {
  if (!/[^ -~]/.test(title)) return {}
  let syllables = pinyinOfTitle.get(title)
  if (!syllables) {
    if (pinyinOfTitle.size >= PINYIN_TITLES_KEPT) pinyinOfTitle.clear()
    syllables = pinyinSyllables(title)
    pinyinOfTitle.set(title, syllables)
  }
  return { titlePinyin: syllables }
}

function senderName(names: Map<string, string>, id: string): Pick<LastMessageView, 'senderName'> {
  const name = names.get(id)
  return name ? { senderName: name } : {}
}

function lastAttachment(json: string | null): Pick<LastMessageView, 'attachment'> {
  if (!json) return {}
  const [kind, name, durationMs] = JSON.parse(json) as [AttachmentKind, string, number]
  return { attachment: { kind, name, ...(durationMs > 0 ? { durationMs } : {}) } }
}
