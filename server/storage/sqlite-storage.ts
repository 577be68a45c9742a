// Storage on SQLite through better-sqlite3: one file, WAL, schema from migrations.ts.
import { randomUUID } from 'node:crypto'
import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf'
import Database from 'better-sqlite3'
import {
  AttachmentSchema,
  ConversationSchema,
  ConversationSettingsSchema,
  DepartmentSchema,
  GroupNoticeSchema,
  MessageSchema,
  ReplyQuoteSchema,
  SyncItemSchema,
  UserSchema,
  type Conversation,
  type ConversationKind,
  type ConversationSettings,
  type Department,
  type Message,
  type SyncItem,
  type User,
} from '../../shared/gen/tack_pb'
import { MICRO_APPS_DEPARTMENT_ID } from '../../shared/directory'
import { createLogger } from '../../shared/logger'
import { migrate } from './migrations'
import type {
  AccessTokenRecord,
  AddedMessage,
  AuthCodeRecord,
  ConversationChange,
  Credentials,
  DeviceRecord,
  DeviceSighting,
  FileRecord,
  JsApiTicketRecord,
  MicroAppRecord,
  NewMessage,
  NewUser,
  SettingsChange,
  Storage,
  StoredMessage,
  SyncLogRead,
  SyncLogRetention,
  SyncSnapshot,
  ConversationSnapshotRecord,
  UserChange,
  TicketRecord,
  UploadRecord,
} from './storage'

const log = createLogger('storage')

interface UserRow {
  id: string
  username: string
  name: string
  name_en: string
  department_id: string
  title: string
  avatar_color: string
}

interface DepartmentRow {
  id: string
  name: string
  name_en: string
  parent_id: string | null
}

interface ConversationRow {
  id: string
  kind: number
  title: string
  created_at_ms: number
}

interface MessageRow {
  id: string
  conversation_id: string
  seq: number
  sender_id: string
  client_message_id: string
  text: string
  sent_at_ms: number
  /** The wire Attachment, binary; null for a message without one. */
  attachment: Uint8Array | null
  attachment_file_id: string | null
  /** The wire ReplyQuote, binary; absent or null for a message that answers none. */
  reply_to?: Uint8Array | null
  /** JSON array of user ids; absent means none. */
  mention_ids?: string
  /** The wire GroupNotice, binary; absent or null for a message someone wrote. */
  notice?: Uint8Array | null
}

interface TicketRow {
  ticket_hash: string
  user_id: string
  device_id: string
  created_at_ms: number
  expires_at_ms: number
  retired_reason: string | null
}

interface DeviceRow {
  user_id: string
  device_id: string
  name: string
  platform: string
  last_seen_ms: number
  acked_sync_id: number
}

interface MicroAppRow {
  agent_id: string
  name: string
  name_en: string
  icon: string
  description: string
  home_url: string
  allowed_origins: string
  jsapi_list: string
  app_key: string
  app_secret_hash: string
  bot_user_id: string
  directory_write: number
}

/** The department every micro-app's bot user sits in, made with the first micro-app. */
export const MICRO_APPS_DEPARTMENT = {
  id: MICRO_APPS_DEPARTMENT_ID,
  name: '应用',
  name_en: 'Micro-apps',
}

type SyncItemKind = MessageInitShape<typeof SyncItemSchema>['kind']

const USER_COLUMNS = 'id, username, name, name_en, department_id, title, avatar_color'

export interface SqliteStorageOptions {
  /**
   * Groups with at least this many members keep their messages and recalls in one shared group
   * log, which each member's log takes in when that member syncs (deliverGroupLogs), instead of
   * an item in every member's log at once. Default 100.
   */
  groupLogFrom?: number
}

export const DEFAULT_GROUP_LOG_FROM = 100

export function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('synchronous = NORMAL')
  const version = migrate(db)
  log.info({ path, version }, 'storage opened')
  return new SqliteStorage(db, options.groupLogFrom ?? DEFAULT_GROUP_LOG_FROM)
}

export class SqliteStorage implements Storage {
  private readonly statements: ReturnType<typeof prepareStatements>
  private readonly uploadStatements: ReturnType<typeof prepareUploadStatements>

  constructor(
    private readonly db: Database.Database,
    private readonly groupLogFrom = DEFAULT_GROUP_LOG_FROM,
  ) {
    this.statements = prepareStatements(db)
    this.uploadStatements = prepareUploadStatements(db)
  }

  isEmpty(): boolean {
    const row = this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM departments) + (SELECT COUNT(*) FROM users)
           + (SELECT COUNT(*) FROM conversations) AS count`,
      )
      .get() as { count: number }
    return row.count === 0
  }

  addDirectory(entries: { departments: Department[]; users: NewUser[] }): void {
    this.db.transaction(() => {
      for (const department of entries.departments) {
        this.statements.insertDepartment.run({
          id: department.id,
          name: department.name,
          name_en: department.nameEn,
          parent_id: department.parentId || null,
        })
      }
      for (const { user, passwordHash } of entries.users) {
        this.statements.insertUser.run({ ...userToRow(user), password_hash: passwordHash })
      }
    })()
  }

  listDepartments(): Department[] {
    return (this.statements.listDepartments.all() as DepartmentRow[]).map(rowToDepartment)
  }

  listUsers(): User[] {
    return (this.statements.listUsers.all() as UserRow[]).map(rowToUser)
  }

  findUser(userId: string): User | undefined {
    const row = this.statements.findUser.get(userId) as UserRow | undefined
    return row && rowToUser(row)
  }

  findCredentials(username: string): Credentials | undefined {
    const row = this.statements.findCredentials.get(username) as
      (UserRow & { password_hash: string }) | undefined
    return row && { user: rowToUser(row), passwordHash: row.password_hash }
  }

  saveTicket(ticket: TicketRecord): void {
    this.statements.insertTicket.run({
      ticket_hash: ticket.ticketHash,
      user_id: ticket.userId,
      device_id: ticket.deviceId,
      created_at_ms: ticket.createdAtMs,
      expires_at_ms: ticket.expiresAtMs,
    })
  }

  findTicket(ticketHash: string): TicketRecord | undefined {
    const row = this.statements.findTicket.get(ticketHash) as TicketRow | undefined
    return (
      row && {
        ticketHash: row.ticket_hash,
        userId: row.user_id,
        deviceId: row.device_id,
        createdAtMs: row.created_at_ms,
        expiresAtMs: row.expires_at_ms,
        ...(row.retired_reason === null ? {} : { retiredReason: row.retired_reason }),
      }
    )
  }

  deleteTicket(ticketHash: string): void {
    this.statements.deleteTicket.run(ticketHash)
  }

  touchDevice(sighting: DeviceSighting): DeviceRecord & { added: boolean } {
    return this.db.transaction(() => {
      const added = !this.statements.findDevice.get(sighting.userId, sighting.deviceId)
      const row = this.statements.upsertDevice.get({
        user_id: sighting.userId,
        device_id: sighting.deviceId,
        name: sighting.name,
        platform: sighting.platform,
        last_seen_ms: sighting.lastSeenMs,
      }) as DeviceRow
      if (added) this.appendDeviceList(sighting.userId)
      return { ...rowToDevice(row), added }
    })()
  }

  listDevices(userId: string): DeviceRecord[] {
    return (this.statements.listDevices.all(userId) as DeviceRow[]).map(rowToDevice)
  }

  retireDevice(userId: string, deviceId: string, reason?: string): boolean {
    return this.db.transaction(() => {
      if (reason === undefined) this.statements.deleteDeviceTickets.run(userId, deviceId)
      else this.statements.retireDeviceTickets.run(reason, userId, deviceId)
      if (this.statements.deleteDevice.run(userId, deviceId).changes === 0) return false
      this.appendDeviceList(userId)
      return true
    })()
  }

  recordDeviceAck(userId: string, deviceId: string, syncId: bigint): void {
    this.statements.raiseDeviceAck.run(syncId, userId, deviceId)
  }

  findConversation(conversationId: string): Conversation | undefined {
    const row = this.statements.findConversation.get(conversationId) as ConversationRow | undefined
    return row && this.rowToConversation(row)
  }

  createConversation(conversation: Conversation): boolean {
    return this.db.transaction(() => {
      const inserted = this.statements.insertConversation.run({
        id: conversation.id,
        kind: conversation.kind,
        title: conversation.title,
        created_at_ms: conversation.createdAtMs,
      })
      if (inserted.changes === 0) return false
      for (const userId of conversation.memberIds) {
        this.statements.insertMember.run(conversation.id, userId)
      }
      for (const userId of conversation.memberIds) {
        this.appendSyncItem(userId, { case: 'conversationChanged', value: conversation })
      }
      return true
    })()
  }

  addMessage(message: NewMessage): AddedMessage {
    return this.db.transaction((): AddedMessage => {
      const original = this.statements.findMessageByClientId.get(
        message.senderId,
        message.clientMessageId,
      ) as MessageRow | undefined
      if (original) return { message: rowToMessage(original), created: false }

      const next = this.statements.nextSeq.get(message.conversationId) as
        { last_seq: number } | undefined
      if (!next) throw new Error(`no conversation ${message.conversationId}`)
      const row: MessageRow = {
        id: `m:${randomUUID()}`,
        conversation_id: message.conversationId,
        seq: next.last_seq,
        sender_id: message.senderId,
        client_message_id: message.clientMessageId,
        text: message.text,
        sent_at_ms: message.sentAtMs,
        attachment: message.attachment ? toBinary(AttachmentSchema, message.attachment) : null,
        attachment_file_id: message.attachment?.fileId ?? null,
        notice: message.notice ? toBinary(GroupNoticeSchema, message.notice) : null,
      }
      this.statements.insertMessage.run(row)
      if (message.replyTo || message.mentionIds?.length) {
        row.reply_to = message.replyTo ? toBinary(ReplyQuoteSchema, message.replyTo) : null
        row.mention_ids = JSON.stringify(message.mentionIds ?? [])
        this.statements.saveReplyAndMentions.run(row.reply_to, row.mention_ids, row.id)
      }
      // Writing in a conversation reads it: every client moves its own read position to its own
      // message when message_created arrives, so the server does the same, without an item.
      this.statements.raiseReadSeq.run(row.seq, row.conversation_id, row.sender_id)

      const stored = rowToMessage(row)
      const created: SyncItemKind = { case: 'messageCreated', value: stored }
      for (const userId of this.fanOutTo(message.conversationId, created)) {
        this.appendSyncItem(userId, created)
      }
      return { message: stored, created: true }
    })()
  }

  attachmentVisibleTo(fileId: string, userId: string): boolean {
    return this.statements.attachmentVisibleTo.get({ fileId, userId }) !== undefined
  }

  findMessage(messageId: string): StoredMessage | undefined {
    const row = this.statements.findMessage.get(messageId) as
      (MessageRow & { recalled: number }) | undefined
    return row && { message: rowToMessage(row), recalled: row.recalled === 1 }
  }

  recallMessage(messageId: string): boolean {
    return this.db.transaction(() => {
      const row = this.statements.recallMessage.get(messageId) as MessageRow | undefined
      if (!row) return false
      const recalled = {
        messageId: row.id,
        conversationId: row.conversation_id,
        seq: BigInt(row.seq),
      }
      const kind: SyncItemKind = { case: 'messageRecalled', value: recalled }
      for (const userId of this.fanOutTo(row.conversation_id, kind)) {
        this.appendSyncItem(userId, kind)
      }
      this.blankQuotesOf(row)
      return true
    })()
  }

  /**
   * Takes a recalled message's text out of the replies that quote it, so history, resets and the
   * open platform serve them without it. Replies come after the original in its conversation,
   * and a recall comes within minutes of sending, so this reads the few messages since. Devices
   * blank their own copies when the recall item reaches them (no item is appended for this).
   */
  private blankQuotesOf(original: MessageRow): void {
    const replies = this.statements.quotingSince.all(original.conversation_id, original.seq) as {
      id: string
      reply_to: Uint8Array
    }[]
    for (const reply of replies) {
      const quote = fromBinary(ReplyQuoteSchema, reply.reply_to)
      if (quote.messageId !== original.id) continue
      const blanked = create(ReplyQuoteSchema, { ...quote, excerpt: '', recalled: true })
      this.statements.saveReplyTo.run(toBinary(ReplyQuoteSchema, blanked), reply.id)
    }
  }

  updateConversation(conversationId: string, change: ConversationChange): Conversation {
    return this.db.transaction(() => {
      const before = this.memberIds(conversationId)
      // A member leaving takes in the shared log first; one joining starts at its end.
      for (const userId of change.removeMemberIds) this.deliverGroupLogs(userId)
      const groupSeq = this.statements.groupLogHead.get(conversationId) as number
      for (const userId of change.addMemberIds) {
        if (!before.includes(userId)) {
          this.statements.saveGroupCursor.run(userId, conversationId, groupSeq)
        }
      }
      if (change.title !== undefined) {
        this.statements.renameConversation.run(change.title, conversationId)
      }
      for (const userId of change.addMemberIds) {
        if (!before.includes(userId)) this.joinAtLastSeq(conversationId, userId)
      }
      for (const userId of change.removeMemberIds) {
        this.statements.deleteMember.run(conversationId, userId)
      }
      const row = this.statements.findConversation.get(conversationId) as ConversationRow
      const conversation = this.rowToConversation(row)
      for (const userId of new Set([...before, ...conversation.memberIds])) {
        this.appendSyncItem(userId, { case: 'conversationChanged', value: conversation })
      }
      return conversation
    })()
  }

  updateSettings(
    userId: string,
    conversationId: string,
    change: SettingsChange,
  ): ConversationSettings {
    return this.db.transaction(() => {
      const before = this.statements.findSettings.get(conversationId, userId) as
        { pinned: number; muted: number } | undefined
      if (!before) throw new Error(`${userId} is not in conversation ${conversationId}`)
      const pinned = change.pinned ?? before.pinned === 1
      const muted = change.muted ?? before.muted === 1
      const settings = create(ConversationSettingsSchema, { conversationId, pinned, muted })
      if (pinned === (before.pinned === 1) && muted === (before.muted === 1)) return settings
      this.statements.saveSettings.run(pinned ? 1 : 0, muted ? 1 : 0, conversationId, userId)
      this.appendSyncItem(userId, { case: 'conversationSettingsChanged', value: settings })
      return settings
    })()
  }

  moveReadPosition(userId: string, conversationId: string, readSeq: bigint): string[] | null {
    return this.db.transaction(() => {
      const before = this.statements.findReadSeq.get(conversationId, userId) as
        { read_seq: number } | undefined
      const moved = this.statements.moveReadSeq.get({
        read_seq: readSeq,
        conversation_id: conversationId,
        user_id: userId,
      }) as { read_seq: number } | undefined
      if (!before || !moved) return null
      this.appendSyncItem(userId, {
        case: 'readPositionMoved',
        value: { conversationId, readSeq: BigInt(moved.read_seq) },
      })
      const senderIds = this.statements.sendersBetween.all(
        conversationId,
        before.read_seq,
        moved.read_seq,
        userId,
      ) as string[]
      for (const senderId of senderIds) {
        this.appendMemberRead(senderId, conversationId, userId, BigInt(moved.read_seq))
      }
      return [userId, ...senderIds]
    })()
  }

  headSyncId(userId: string): bigint {
    const row = this.statements.headSyncId.get({ user_id: userId }) as { head: number }
    return BigInt(row.head)
  }

  readSyncLog(userId: string, afterSyncId: bigint, limits: SyncLogRead): SyncItem[] {
    const items: SyncItem[] = []
    let bytes = 0
    for (const row of this.statements.readSyncLog.iterate(userId, afterSyncId, limits.maxItems)) {
      const { item } = row as { item: Buffer }
      bytes += item.length
      if (items.length > 0 && bytes > limits.maxBytes) break
      items.push(fromBinary(SyncItemSchema, item))
    }
    return items
  }

  syncLogFloor(userId: string): bigint {
    return BigInt((this.statements.syncLogFloor.get(userId) as number | undefined) ?? 0)
  }

  pruneSyncLogs(retention: SyncLogRetention, nowMs: number): number {
    let pruned = 0
    for (const userId of this.statements.syncLogUsers.all() as string[]) {
      const cutoffs: number[] = []
      if (retention.keepItems !== undefined) {
        const oldestDropped = this.statements.nthNewestSyncId.get(userId, retention.keepItems)
        if (typeof oldestDropped === 'number') cutoffs.push(oldestDropped)
      }
      if (retention.keepMs !== undefined) {
        const newestOld = this.statements.newestSyncIdBefore.get(userId, nowMs - retention.keepMs)
        if (typeof newestOld === 'number') cutoffs.push(newestOld)
      }
      if (cutoffs.length === 0) continue
      const cutoff = Math.max(...cutoffs)
      this.db.transaction(() => {
        pruned += this.statements.pruneSyncLog.run(userId, cutoff).changes
        this.statements.raiseSyncLogFloor.run(userId, cutoff)
      })()
    }
    return pruned
  }

  snapshot(userId: string, recentMessages: number): SyncSnapshot {
    return this.db.transaction((): SyncSnapshot => {
      const syncId = this.headSyncId(userId)
      const conversations: ConversationSnapshotRecord[] = []
      const messages: StoredMessage[] = []
      const rows = this.statements.snapshotConversations.all(userId) as (ConversationRow & {
        last_seq: number
        read_seq: number
        pinned: number
        muted: number
      })[]
      for (const row of rows) {
        const recent = this.listMessagesBefore(row.id, BigInt(row.last_seq) + 1n, recentMessages)
        const firstSeq = recent[0]?.message.seq ?? BigInt(row.last_seq) + 1n
        const unread = this.statements.unreadBetween.get(row.id, row.read_seq, firstSeq, userId)
        conversations.push({
          conversation: this.rowToConversation(row),
          pinned: row.pinned === 1,
          muted: row.muted === 1,
          readSeq: BigInt(row.read_seq),
          lastSeq: BigInt(row.last_seq),
          firstSeq,
          unreadBeforeFirst: BigInt(unread as number),
        })
        messages.push(...recent)
      }
      return { syncId, conversations, messages, devices: this.listDevices(userId) }
    })()
  }

  listMessagesBefore(conversationId: string, beforeSeq: bigint, limit: number): StoredMessage[] {
    const rows = this.statements.messagesBefore.all(
      conversationId,
      beforeSeq,
      limit,
    ) as (MessageRow & { recalled: number })[]
    return rows
      .reverse()
      .map((row) => ({ message: rowToMessage(row), recalled: row.recalled === 1 }))
  }

  updateUser(userId: string, change: UserChange): User | undefined {
    return this.db.transaction(() => {
      const row = this.statements.updateUser.get({
        id: userId,
        name: change.name ?? null,
        name_en: change.nameEn ?? null,
        title: change.title ?? null,
        department_id: change.departmentId ?? null,
        avatar_color: change.avatarColor ?? null,
      }) as UserRow | undefined
      if (!row) return undefined
      const user = rowToUser(row)
      this.appendToEveryUser({ case: 'userChanged', value: user })
      return user
    })()
  }

  updateDepartment(
    departmentId: string,
    change: { name?: string; nameEn?: string },
  ): Department | undefined {
    return this.db.transaction(() => {
      const row = this.statements.updateDepartment.get({
        id: departmentId,
        name: change.name ?? null,
        name_en: change.nameEn ?? null,
      }) as DepartmentRow | undefined
      if (!row) return undefined
      const department = rowToDepartment(row)
      this.appendToEveryUser({ case: 'departmentChanged', value: department })
      return department
    })()
  }

  listUserIds(): string[] {
    return this.statements.allUserIds.all() as string[]
  }

  saveMicroApp(app: MicroAppRecord): void {
    this.db.transaction(() => {
      this.statements.insertAppsDepartment.run(MICRO_APPS_DEPARTMENT)
      this.statements.upsertBotUser.run({
        id: app.botUserId,
        username: botUsername(app.agentId),
        name: app.name,
        name_en: app.nameEn || app.name,
        department_id: MICRO_APPS_DEPARTMENT.id,
        title: app.description,
        avatar_color: '#1677ff',
        password_hash: '!',
      })
      this.statements.upsertMicroApp.run(microAppToRow(app))
    })()
  }

  listMicroApps(): MicroAppRecord[] {
    return (this.statements.listMicroApps.all() as MicroAppRow[]).map(rowToMicroApp)
  }

  findMicroApp(agentId: string): MicroAppRecord | undefined {
    const row = this.statements.findMicroApp.get(agentId) as MicroAppRow | undefined
    return row && rowToMicroApp(row)
  }

  findMicroAppByKey(appKey: string): MicroAppRecord | undefined {
    const row = this.statements.findMicroAppByKey.get(appKey) as MicroAppRow | undefined
    return row && rowToMicroApp(row)
  }

  saveMicroAppPackage(agentId: string, version: string, zip: Buffer): void {
    this.statements.upsertPackage.run(agentId, version, zip, Date.now())
  }

  findMicroAppPackage(agentId: string): { version: string; zip: Buffer } | undefined {
    return this.statements.findPackage.get(agentId) as { version: string; zip: Buffer } | undefined
  }

  microAppPackageVersions(): Map<string, string> {
    const rows = this.statements.packageVersions.all() as { agent_id: string; version: string }[]
    return new Map(rows.map((row) => [row.agent_id, row.version]))
  }

  saveAuthCode(code: AuthCodeRecord): void {
    this.statements.insertAuthCode.run({
      code_hash: code.codeHash,
      user_id: code.userId,
      agent_id: code.agentId,
      expires_at_ms: code.expiresAtMs,
    })
  }

  takeAuthCode(codeHash: string): AuthCodeRecord | undefined {
    const row = this.statements.deleteAuthCode.get(codeHash) as
      { code_hash: string; user_id: string; agent_id: string; expires_at_ms: number } | undefined
    return (
      row && {
        codeHash: row.code_hash,
        userId: row.user_id,
        agentId: row.agent_id,
        expiresAtMs: row.expires_at_ms,
      }
    )
  }

  saveAccessToken(token: AccessTokenRecord): void {
    this.statements.insertAccessToken.run(token.tokenHash, token.agentId, token.expiresAtMs)
  }

  findAccessToken(tokenHash: string): AccessTokenRecord | undefined {
    const row = this.statements.findAccessToken.get(tokenHash) as
      { token_hash: string; agent_id: string; expires_at_ms: number } | undefined
    return (
      row && { tokenHash: row.token_hash, agentId: row.agent_id, expiresAtMs: row.expires_at_ms }
    )
  }

  saveJsApiTicket(ticket: JsApiTicketRecord): void {
    this.statements.upsertJsApiTicket.run(ticket.agentId, ticket.ticket, ticket.expiresAtMs)
  }

  findJsApiTicket(agentId: string): JsApiTicketRecord | undefined {
    const row = this.statements.findJsApiTicket.get(agentId) as
      { agent_id: string; ticket: string; expires_at_ms: number } | undefined
    return row && { agentId: row.agent_id, ticket: row.ticket, expiresAtMs: row.expires_at_ms }
  }

  saveUpload(upload: UploadRecord): void {
    this.uploadStatements.insertUpload.run(uploadToRow(upload))
  }

  findUpload(uploadId: string): UploadRecord | undefined {
    const row = this.uploadStatements.findUpload.get(uploadId) as UploadRow | undefined
    return row && rowToUpload(row)
  }

  findFinalUpload(ownerId: string, partIds: string[]): UploadRecord | undefined {
    const row = this.uploadStatements.findFinalUpload.get(ownerId, partIds.join(' ')) as
      UploadRow | undefined
    return row && rowToUpload(row)
  }

  deleteUploads(uploadIds: string[]): void {
    this.db.transaction(() => {
      for (const uploadId of uploadIds) this.uploadStatements.deleteUpload.run(uploadId)
    })()
  }

  saveFile(file: FileRecord): void {
    this.uploadStatements.insertFile.run({
      file_id: file.fileId,
      owner_id: file.ownerId,
      size: file.size,
      sha256: file.sha256,
      name: file.name,
      mime: file.mime,
      created_at_ms: file.createdAtMs,
    })
  }

  findFile(fileId: string): FileRecord | undefined {
    const row = this.uploadStatements.findFile.get(fileId) as FileRow | undefined
    return row && rowToFile(row)
  }

  findFileByHash(sha256: string): FileRecord | undefined {
    const row = this.uploadStatements.findFileByHash.get(sha256) as FileRow | undefined
    return row && rowToFile(row)
  }

  close(): void {
    this.db.close()
  }

  /** Appends one item to the user's log with the next sync id. Call inside a transaction. */
  private appendSyncItem(userId: string, kind: SyncItemKind): bigint {
    const syncId = this.headSyncId(userId) + 1n
    const item = create(SyncItemSchema, { syncId, kind })
    this.statements.insertSyncItem.run(userId, syncId, toBinary(SyncItemSchema, item), Date.now())
    return syncId
  }

  /**
   * Adds a member who joins now: messages up to the conversation's last seq came before them, so
   * the senders of those messages are told (one item each, like a read) not to count them as
   * unread readers of them. Call inside a transaction.
   */
  private joinAtLastSeq(conversationId: string, userId: string): void {
    this.statements.insertMemberIfMissing.run(conversationId, userId)
    const joinedSeq = this.statements.saveJoinedSeq.get({ conversationId, userId }) as number
    if (joinedSeq <= 0) return
    const senderIds = this.statements.sendersBetween.all(
      conversationId,
      0,
      joinedSeq,
      userId,
    ) as string[]
    for (const senderId of senderIds) this.appendMemberRead(senderId, conversationId, userId, 0n)
  }

  /**
   * Tells `userId` that the reader's read position moved: the new item is appended first (so its
   * sync id is past any the user's devices have seen), then the reader's older item in this
   * user's log, now superseded, is deleted. A device that had it keeps its effect; one that had
   * not gets the newer position instead. Call inside a transaction.
   */
  private appendMemberRead(
    userId: string,
    conversationId: string,
    readerId: string,
    readSeq: bigint,
  ): void {
    const previous = this.statements.findMemberReadItem.get(userId, conversationId, readerId) as
      number | undefined
    const joined = this.statements.findJoinedSeq.get(conversationId, readerId) as number | undefined
    const syncId = this.appendSyncItem(userId, {
      case: 'memberReadMoved',
      value: { conversationId, userId: readerId, readSeq, joinedSeq: BigInt(joined ?? 0) },
    })
    if (previous !== undefined) this.statements.deleteSyncItem.run(userId, previous)
    this.statements.saveMemberReadItem.run(userId, conversationId, readerId, syncId)
  }

  /**
   * The members whose logs get a message's item now: every member, or none for a group large
   * enough to keep a shared log, where the item goes once and members take it in at their sync.
   * Call inside the message's transaction.
   */
  private fanOutTo(conversationId: string, kind: SyncItemKind): string[] {
    const members = this.statements.countMembers.get(conversationId) as number
    if (members < this.groupLogFrom) return this.memberIds(conversationId)
    const groupSeq = (this.statements.groupLogHead.get(conversationId) as number) + 1
    const encoded = toBinary(SyncItemSchema, create(SyncItemSchema, { kind }))
    this.statements.insertGroupItem.run(conversationId, groupSeq, encoded, Date.now())
    return []
  }

  deliverGroupLogs(userId: string): number {
    const pending = this.statements.pendingGroupItems.all(userId) as {
      conversation_id: string
      group_seq: number
      kind: Uint8Array
    }[]
    if (pending.length === 0) return 0
    return this.db.transaction(() => {
      let syncId = this.headSyncId(userId)
      for (const row of pending) {
        syncId += 1n
        // A SyncItem's encoding is its fields' encodings in any order: the sync id, then the
        // kind stored once for every member.
        const item = Buffer.concat([
          toBinary(SyncItemSchema, create(SyncItemSchema, { syncId })),
          row.kind,
        ])
        this.statements.insertSyncItem.run(userId, syncId, item, Date.now())
        this.statements.saveGroupCursor.run(userId, row.conversation_id, row.group_seq)
      }
      return pending.length
    })()
  }

  /** The directory is everyone's: a change to it goes into every user's log (fan-out on write). */
  private appendToEveryUser(kind: SyncItemKind): void {
    for (const userId of this.listUserIds()) this.appendSyncItem(userId, kind)
  }

  private appendDeviceList(userId: string): void {
    const devices = this.listDevices(userId).map((device) => ({
      deviceId: device.deviceId,
      name: device.name,
      platform: device.platform,
      lastSeenMs: BigInt(device.lastSeenMs),
    }))
    this.appendSyncItem(userId, { case: 'deviceListChanged', value: { devices } })
  }

  private memberIds(conversationId: string): string[] {
    return this.statements.listMemberIds.all(conversationId) as string[]
  }

  private rowToConversation(row: ConversationRow): Conversation {
    return create(ConversationSchema, {
      id: row.id,
      kind: row.kind as ConversationKind,
      title: row.title,
      memberIds: this.memberIds(row.id),
      createdAtMs: BigInt(row.created_at_ms),
    })
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertDepartment: db.prepare(
      'INSERT INTO departments (id, name, name_en, parent_id) VALUES (@id, @name, @name_en, @parent_id)',
    ),
    insertUser: db.prepare(
      `INSERT INTO users (${USER_COLUMNS}, password_hash)
       VALUES (@id, @username, @name, @name_en, @department_id, @title, @avatar_color, @password_hash)`,
    ),
    listDepartments: db.prepare(
      'SELECT id, name, name_en, parent_id FROM departments ORDER BY rowid',
    ),
    listUsers: db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY rowid`),
    findUser: db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
    findCredentials: db.prepare(
      `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = ?`,
    ),
    insertTicket: db.prepare(
      `INSERT INTO tickets (ticket_hash, user_id, device_id, created_at_ms, expires_at_ms)
       VALUES (@ticket_hash, @user_id, @device_id, @created_at_ms, @expires_at_ms)`,
    ),
    findTicket: db.prepare('SELECT * FROM tickets WHERE ticket_hash = ?'),
    deleteTicket: db.prepare('DELETE FROM tickets WHERE ticket_hash = ?'),
    upsertDevice: db.prepare(
      `INSERT INTO devices (user_id, device_id, name, platform, last_seen_ms)
       VALUES (@user_id, @device_id, @name, @platform, @last_seen_ms)
       ON CONFLICT (user_id, device_id) DO UPDATE SET
         name = excluded.name, platform = excluded.platform, last_seen_ms = excluded.last_seen_ms
       RETURNING *`,
    ),
    findDevice: db.prepare('SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?'),
    listDevices: db.prepare(
      'SELECT * FROM devices WHERE user_id = ? ORDER BY last_seen_ms, device_id',
    ),
    deleteDevice: db.prepare('DELETE FROM devices WHERE user_id = ? AND device_id = ?'),
    retireDeviceTickets: db.prepare(
      'UPDATE tickets SET retired_reason = ? WHERE user_id = ? AND device_id = ?',
    ),
    deleteDeviceTickets: db.prepare('DELETE FROM tickets WHERE user_id = ? AND device_id = ?'),
    raiseDeviceAck: db.prepare(
      `UPDATE devices SET acked_sync_id = MAX(acked_sync_id, ?)
       WHERE user_id = ? AND device_id = ?`,
    ),
    findConversation: db.prepare(
      'SELECT id, kind, title, created_at_ms FROM conversations WHERE id = ?',
    ),
    insertConversation: db.prepare(
      `INSERT INTO conversations (id, kind, title, created_at_ms)
       VALUES (@id, @kind, @title, @created_at_ms) ON CONFLICT (id) DO NOTHING`,
    ),
    insertMemberIfMissing: db.prepare(
      `INSERT INTO conversation_members (conversation_id, user_id) VALUES (?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    deleteMember: db.prepare(
      'DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?',
    ),
    renameConversation: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
    findSettings: db.prepare(
      'SELECT pinned, muted FROM conversation_members WHERE conversation_id = ? AND user_id = ?',
    ),
    saveSettings: db.prepare(
      `UPDATE conversation_members SET pinned = ?, muted = ?
       WHERE conversation_id = ? AND user_id = ?`,
    ),
    findMessage: db.prepare('SELECT * FROM messages WHERE id = ?'),
    recallMessage: db.prepare(
      'UPDATE messages SET recalled = 1 WHERE id = ? AND recalled = 0 RETURNING *',
    ),
    insertMember: db.prepare(
      'INSERT INTO conversation_members (conversation_id, user_id) VALUES (?, ?)',
    ),
    listMemberIds: db
      .prepare('SELECT user_id FROM conversation_members WHERE conversation_id = ? ORDER BY rowid')
      .pluck(),
    findMessageByClientId: db.prepare(
      'SELECT * FROM messages WHERE sender_id = ? AND client_message_id = ?',
    ),
    nextSeq: db.prepare(
      'UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
    ),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text, sent_at_ms,
         attachment, attachment_file_id, notice)
       VALUES (@id, @conversation_id, @seq, @sender_id, @client_message_id, @text, @sent_at_ms,
         @attachment, @attachment_file_id, @notice)`,
    ),
    attachmentVisibleTo: db.prepare(
      `SELECT 1 FROM messages m
       JOIN conversation_members cm
         ON cm.conversation_id = m.conversation_id AND cm.user_id = @userId
       WHERE m.attachment_file_id = @fileId AND m.recalled = 0 LIMIT 1`,
    ),
    saveReplyAndMentions: db.prepare(
      'UPDATE messages SET reply_to = ?, mention_ids = ? WHERE id = ?',
    ),
    quotingSince: db.prepare(
      `SELECT id, reply_to FROM messages
       WHERE conversation_id = ? AND seq > ? AND reply_to IS NOT NULL`,
    ),
    saveReplyTo: db.prepare('UPDATE messages SET reply_to = ? WHERE id = ?'),
    findReadSeq: db.prepare(
      'SELECT read_seq FROM conversation_members WHERE conversation_id = ? AND user_id = ?',
    ),
    saveJoinedSeq: db
      .prepare(
        `UPDATE conversation_members
         SET joined_seq = (SELECT last_seq FROM conversations WHERE id = @conversationId)
         WHERE conversation_id = @conversationId AND user_id = @userId RETURNING joined_seq`,
      )
      .pluck(),
    findJoinedSeq: db
      .prepare(
        'SELECT joined_seq FROM conversation_members WHERE conversation_id = ? AND user_id = ?',
      )
      .pluck(),
    sendersBetween: db
      .prepare(
        `SELECT DISTINCT sender_id FROM messages
         WHERE conversation_id = ? AND seq > ? AND seq <= ? AND sender_id <> ? AND recalled = 0
           AND notice IS NULL`,
      )
      .pluck(),
    findMemberReadItem: db
      .prepare(
        `SELECT sync_id FROM member_read_items
         WHERE user_id = ? AND conversation_id = ? AND reader_id = ?`,
      )
      .pluck(),
    saveMemberReadItem: db.prepare(
      `INSERT INTO member_read_items (user_id, conversation_id, reader_id, sync_id)
       VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, conversation_id, reader_id) DO UPDATE SET sync_id = excluded.sync_id`,
    ),
    deleteSyncItem: db.prepare('DELETE FROM sync_log WHERE user_id = ? AND sync_id = ?'),
    raiseReadSeq: db.prepare(
      `UPDATE conversation_members SET read_seq = MAX(read_seq, ?)
       WHERE conversation_id = ? AND user_id = ?`,
    ),
    moveReadSeq: db.prepare(
      `UPDATE conversation_members
       SET read_seq = MIN(@read_seq, (SELECT last_seq FROM conversations WHERE id = @conversation_id))
       WHERE conversation_id = @conversation_id AND user_id = @user_id
         AND MIN(@read_seq, (SELECT last_seq FROM conversations WHERE id = @conversation_id)) > read_seq
       RETURNING read_seq`,
    ),
    headSyncId: db.prepare(
      `SELECT max(COALESCE((SELECT MAX(sync_id) FROM sync_log WHERE user_id = @user_id), 0),
         COALESCE((SELECT floor_sync_id FROM sync_log_floors WHERE user_id = @user_id), 0))
         AS head`,
    ),
    syncLogFloor: db.prepare('SELECT floor_sync_id FROM sync_log_floors WHERE user_id = ?').pluck(),
    syncLogUsers: db.prepare('SELECT DISTINCT user_id FROM sync_log').pluck(),
    nthNewestSyncId: db
      .prepare(
        'SELECT sync_id FROM sync_log WHERE user_id = ? ORDER BY sync_id DESC LIMIT 1 OFFSET ?',
      )
      .pluck(),
    newestSyncIdBefore: db
      .prepare('SELECT MAX(sync_id) FROM sync_log WHERE user_id = ? AND created_at_ms < ?')
      .pluck(),
    pruneSyncLog: db.prepare('DELETE FROM sync_log WHERE user_id = ? AND sync_id <= ?'),
    raiseSyncLogFloor: db.prepare(
      `INSERT INTO sync_log_floors (user_id, floor_sync_id) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET
         floor_sync_id = max(floor_sync_id, excluded.floor_sync_id)`,
    ),
    snapshotConversations: db.prepare(
      `SELECT c.id, c.kind, c.title, c.created_at_ms, c.last_seq, m.read_seq, m.pinned, m.muted
       FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.user_id = ? ORDER BY c.rowid`,
    ),
    messagesBefore: db.prepare(
      'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ),
    unreadBetween: db
      .prepare(
        `SELECT count(*) FROM messages WHERE conversation_id = ? AND seq > ? AND seq < ?
           AND sender_id <> ? AND recalled = 0 AND notice IS NULL`,
      )
      .pluck(),
    allUserIds: db.prepare('SELECT id FROM users ORDER BY rowid').pluck(),
    countMembers: db
      .prepare('SELECT count(*) FROM conversation_members WHERE conversation_id = ?')
      .pluck(),
    groupLogHead: db
      .prepare('SELECT COALESCE(MAX(group_seq), 0) FROM group_log WHERE conversation_id = ?')
      .pluck(),
    insertGroupItem: db.prepare(
      'INSERT INTO group_log (conversation_id, group_seq, kind, created_at_ms) VALUES (?, ?, ?, ?)',
    ),
    saveGroupCursor: db.prepare(
      `INSERT INTO group_log_cursors (user_id, conversation_id, group_seq) VALUES (?, ?, ?)
       ON CONFLICT (user_id, conversation_id) DO UPDATE SET
         group_seq = max(group_seq, excluded.group_seq)`,
    ),
    pendingGroupItems: db.prepare(
      `SELECT g.conversation_id, g.group_seq, g.kind
       FROM conversation_members m
       JOIN group_log g ON g.conversation_id = m.conversation_id
       LEFT JOIN group_log_cursors c
         ON c.user_id = m.user_id AND c.conversation_id = m.conversation_id
       WHERE m.user_id = ? AND g.group_seq > COALESCE(c.group_seq, 0)
       ORDER BY g.created_at_ms, g.conversation_id, g.group_seq`,
    ),
    updateUser: db.prepare(
      `UPDATE users SET name = COALESCE(@name, name), name_en = COALESCE(@name_en, name_en),
         title = COALESCE(@title, title), department_id = COALESCE(@department_id, department_id),
         avatar_color = COALESCE(@avatar_color, avatar_color)
       WHERE id = @id RETURNING ${USER_COLUMNS}`,
    ),
    updateDepartment: db.prepare(
      `UPDATE departments SET name = COALESCE(@name, name), name_en = COALESCE(@name_en, name_en)
       WHERE id = @id RETURNING id, name, name_en, parent_id`,
    ),
    readSyncLog: db.prepare(
      'SELECT item FROM sync_log WHERE user_id = ? AND sync_id > ? ORDER BY sync_id LIMIT ?',
    ),
    insertSyncItem: db.prepare(
      'INSERT INTO sync_log (user_id, sync_id, item, created_at_ms) VALUES (?, ?, ?, ?)',
    ),
    insertAppsDepartment: db.prepare(
      `INSERT INTO departments (id, name, name_en, parent_id) VALUES (@id, @name, @name_en, NULL)
       ON CONFLICT (id) DO NOTHING`,
    ),
    upsertBotUser: db.prepare(
      `INSERT INTO users (${USER_COLUMNS}, password_hash)
       VALUES (@id, @username, @name, @name_en, @department_id, @title, @avatar_color, @password_hash)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
         title = excluded.title`,
    ),
    upsertMicroApp: db.prepare(
      `INSERT INTO micro_apps (agent_id, name, name_en, icon, description, home_url,
         allowed_origins, jsapi_list, app_key, app_secret_hash, bot_user_id, directory_write)
       VALUES (@agent_id, @name, @name_en, @icon, @description, @home_url, @allowed_origins,
         @jsapi_list, @app_key, @app_secret_hash, @bot_user_id, @directory_write)
       ON CONFLICT (agent_id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
         icon = excluded.icon,
         description = excluded.description, home_url = excluded.home_url,
         allowed_origins = excluded.allowed_origins, jsapi_list = excluded.jsapi_list,
         app_key = excluded.app_key, app_secret_hash = excluded.app_secret_hash,
         directory_write = excluded.directory_write`,
    ),
    listMicroApps: db.prepare('SELECT * FROM micro_apps ORDER BY rowid'),
    findMicroApp: db.prepare('SELECT * FROM micro_apps WHERE agent_id = ?'),
    findMicroAppByKey: db.prepare('SELECT * FROM micro_apps WHERE app_key = ?'),
    insertAuthCode: db.prepare(
      `INSERT INTO auth_codes (code_hash, user_id, agent_id, expires_at_ms)
       VALUES (@code_hash, @user_id, @agent_id, @expires_at_ms)`,
    ),
    deleteAuthCode: db.prepare('DELETE FROM auth_codes WHERE code_hash = ? RETURNING *'),
    insertAccessToken: db.prepare(
      'INSERT INTO access_tokens (token_hash, agent_id, expires_at_ms) VALUES (?, ?, ?)',
    ),
    findAccessToken: db.prepare('SELECT * FROM access_tokens WHERE token_hash = ?'),
    upsertJsApiTicket: db.prepare(
      `INSERT INTO jsapi_tickets (agent_id, ticket, expires_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (agent_id) DO UPDATE SET ticket = excluded.ticket,
         expires_at_ms = excluded.expires_at_ms`,
    ),
    findJsApiTicket: db.prepare('SELECT * FROM jsapi_tickets WHERE agent_id = ?'),
    upsertPackage: db.prepare(
      `INSERT INTO micro_app_packages (agent_id, version, zip, uploaded_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (agent_id) DO UPDATE SET version = excluded.version, zip = excluded.zip,
         uploaded_at_ms = excluded.uploaded_at_ms`,
    ),
    findPackage: db.prepare('SELECT version, zip FROM micro_app_packages WHERE agent_id = ?'),
    packageVersions: db.prepare('SELECT agent_id, version FROM micro_app_packages'),
  }
}

interface UploadRow {
  upload_id: string
  owner_id: string
  concat: string
  /** Space-separated partial upload ids. */
  parts: string
  created_at_ms: number
}

interface FileRow {
  file_id: string
  owner_id: string
  size: number
  sha256: string
  name: string
  mime: string
  created_at_ms: number
}

function prepareUploadStatements(db: Database.Database) {
  return {
    insertUpload: db.prepare(
      `INSERT INTO uploads (upload_id, owner_id, concat, parts, created_at_ms)
       VALUES (@upload_id, @owner_id, @concat, @parts, @created_at_ms)`,
    ),
    findUpload: db.prepare('SELECT * FROM uploads WHERE upload_id = ?'),
    findFinalUpload: db.prepare(
      `SELECT * FROM uploads WHERE owner_id = ? AND concat = 'final' AND parts = ?
       ORDER BY created_at_ms LIMIT 1`,
    ),
    deleteUpload: db.prepare('DELETE FROM uploads WHERE upload_id = ?'),
    insertFile: db.prepare(
      `INSERT INTO files (file_id, owner_id, size, sha256, name, mime, created_at_ms)
       VALUES (@file_id, @owner_id, @size, @sha256, @name, @mime, @created_at_ms)
       ON CONFLICT (file_id) DO NOTHING`,
    ),
    findFile: db.prepare('SELECT * FROM files WHERE file_id = ?'),
    findFileByHash: db.prepare(
      'SELECT * FROM files WHERE sha256 = ? ORDER BY created_at_ms, file_id LIMIT 1',
    ),
  }
}

function uploadToRow(upload: UploadRecord): UploadRow {
  return {
    upload_id: upload.uploadId,
    owner_id: upload.ownerId,
    concat: upload.concat,
    parts: upload.partIds.join(' '),
    created_at_ms: upload.createdAtMs,
  }
}

function rowToUpload(row: UploadRow): UploadRecord {
  return {
    uploadId: row.upload_id,
    ownerId: row.owner_id,
    concat: row.concat as UploadRecord['concat'],
    partIds: row.parts ? row.parts.split(' ') : [],
    createdAtMs: row.created_at_ms,
  }
}

function rowToFile(row: FileRow): FileRecord {
  return {
    fileId: row.file_id,
    ownerId: row.owner_id,
    size: row.size,
    sha256: row.sha256,
    name: row.name,
    mime: row.mime,
    createdAtMs: row.created_at_ms,
  }
}

/** A bot user's username: letters only, like people's, from the agent id. */
function botUsername(agentId: string): string {
  return `app${agentId.toLowerCase().replace(/[^a-z]/g, '')}`
}

function microAppToRow(app: MicroAppRecord): MicroAppRow {
  return {
    agent_id: app.agentId,
    name: app.name,
    name_en: app.nameEn,
    icon: app.icon,
    description: app.description,
    home_url: app.homeUrl,
    allowed_origins: JSON.stringify(app.allowedOrigins),
    jsapi_list: JSON.stringify(app.jsApiList),
    app_key: app.appKey,
    app_secret_hash: app.appSecretHash,
    bot_user_id: app.botUserId,
    directory_write: app.directoryWrite ? 1 : 0,
  }
}

function rowToMicroApp(row: MicroAppRow): MicroAppRecord {
  return {
    agentId: row.agent_id,
    name: row.name,
    nameEn: row.name_en,
    icon: row.icon,
    description: row.description,
    homeUrl: row.home_url,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    jsApiList: JSON.parse(row.jsapi_list) as string[],
    appKey: row.app_key,
    appSecretHash: row.app_secret_hash,
    botUserId: row.bot_user_id,
    directoryWrite: row.directory_write === 1,
  }
}

function userToRow(user: User): UserRow {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    name_en: user.nameEn,
    department_id: user.departmentId,
    title: user.title,
    avatar_color: user.avatarColor,
  }
}

function rowToUser(row: UserRow): User {
  return create(UserSchema, {
    id: row.id,
    username: row.username,
    name: row.name,
    nameEn: row.name_en,
    departmentId: row.department_id,
    title: row.title,
    avatarColor: row.avatar_color,
  })
}

function rowToDepartment(row: DepartmentRow): Department {
  return create(DepartmentSchema, {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    parentId: row.parent_id ?? '',
  })
}

function rowToDevice(row: DeviceRow): DeviceRecord {
  return {
    userId: row.user_id,
    deviceId: row.device_id,
    name: row.name,
    platform: row.platform,
    lastSeenMs: row.last_seen_ms,
    ackedSyncId: BigInt(row.acked_sync_id),
  }
}

function rowToMessage(row: MessageRow): Message {
  return create(MessageSchema, {
    id: row.id,
    conversationId: row.conversation_id,
    seq: BigInt(row.seq),
    senderId: row.sender_id,
    clientMessageId: row.client_message_id,
    text: row.text,
    sentAtMs: BigInt(row.sent_at_ms),
    attachment: row.attachment ? fromBinary(AttachmentSchema, row.attachment) : undefined,
    replyTo: row.reply_to ? fromBinary(ReplyQuoteSchema, row.reply_to) : undefined,
    mentionIds: row.mention_ids ? (JSON.parse(row.mention_ids) as string[]) : [],
    notice: row.notice ? fromBinary(GroupNoticeSchema, row.notice) : undefined,
  })
}
