// The server's storage contract. SQLite implements it (sqlite-storage.ts); another backend would
// implement the same interface. Calls are synchronous because the reference backend is: each
// method that writes is one transaction, so a log append never happens without its cause.
import type {
  Attachment,
  Conversation,
  ConversationSettings,
  Department,
  GroupNotice,
  Message,
  ReplyQuote,
  SyncItem,
  User,
} from '../../shared/gen/tack_pb'

export interface NewUser {
  user: User
  /** scrypt hash from auth/passwords.ts, never the password. */
  passwordHash: string
}

export interface Credentials {
  user: User
  passwordHash: string
}

export interface TicketRecord {
  /** SHA-256 of the ticket; the ticket itself is never stored. */
  ticketHash: string
  userId: string
  deviceId: string
  createdAtMs: number
  expiresAtMs: number
  /** Set when the ticket's device was retired: why, to tell the device at its next resume. */
  retiredReason?: string
}

export interface DeviceSighting {
  userId: string
  deviceId: string
  name: string
  platform: string
  lastSeenMs: number
}

export interface DeviceRecord extends DeviceSighting {
  /** The highest sync point this device has acknowledged. */
  ackedSyncId: bigint
}

export interface NewMessage {
  conversationId: string
  senderId: string
  clientMessageId: string
  text: string
  sentAtMs: number
  /** Checked by the request handler: a complete upload of the sender's. */
  attachment?: Attachment
  /** Checked by the request handler: an earlier message of the same conversation. */
  replyTo?: ReplyQuote
  /** Checked by the request handler: members of the conversation. */
  mentionIds?: string[]
  /** A note of a change to the group, written by the server (text empty). */
  notice?: GroupNotice
}

export interface StoredMessage {
  message: Message
  recalled: boolean
}

export interface ConversationChange {
  title?: string
  addMemberIds: string[]
  removeMemberIds: string[]
}

export interface SettingsChange {
  pinned?: boolean
  muted?: boolean
}

export interface AddedMessage {
  message: Message
  /** False when the sender had already sent this client message id: `message` is the original. */
  created: boolean
}

/** A micro-app in the registry. Its secret is kept only as a SHA-256. */
export interface MicroAppRecord {
  agentId: string
  name: string
  /** The English name; the bot user shows it where people's English names show. */
  nameEn: string
  icon: string
  description: string
  homeUrl: string
  allowedOrigins: string[]
  jsApiList: string[]
  appKey: string
  appSecretHash: string
  /** The directory entry the app's messages come from. */
  botUserId: string
  /**
   * May change people and departments (`/user/update`, `/department/update`): an HR or
   * directory sync, not an ordinary micro-app. Absent means no.
   */
  directoryWrite?: boolean
}

/** A free-login auth code, by its SHA-256: one use, bound to one user and one app. */
export interface AuthCodeRecord {
  codeHash: string
  userId: string
  agentId: string
  expiresAtMs: number
}

export interface AccessTokenRecord {
  tokenHash: string
  agentId: string
  expiresAtMs: number
}

export interface JsApiTicketRecord {
  agentId: string
  ticket: string
  expiresAtMs: number
}

/** A tus upload in progress or done, and whose it is (server/upload). */
export interface UploadRecord {
  uploadId: string
  ownerId: string
  /** '' for a plain upload; tus concatenation's 'partial' or 'final'. */
  concat: '' | 'partial' | 'final'
  /** A final upload's partial upload ids, in order. */
  partIds: string[]
  createdAtMs: number
}

/** A finished upload: a file clients may download by id or find by content hash. */
export interface FileRecord {
  /** The id of the upload that became this file. */
  fileId: string
  ownerId: string
  size: number
  /** SHA-256 of the content, lowercase hex. */
  sha256: string
  name: string
  mime: string
  createdAtMs: number
}

/** How much of each user's sync log the server keeps; absent limits keep everything. */
export interface SyncLogRetention {
  /** Keep at most this many newest items per user. */
  keepItems?: number
  /** Keep items written within this long. */
  keepMs?: number
}

/** One conversation of a user's snapshot, for a device whose sync point was pruned away. */
export interface ConversationSnapshotRecord {
  conversation: Conversation
  pinned: boolean
  muted: boolean
  readSeq: bigint
  lastSeq: bigint
  /** The oldest seq among the snapshot's messages of it; lastSeq + 1 when it has none. */
  firstSeq: bigint
  /** Messages from others, not recalled, after readSeq and before firstSeq. */
  unreadBeforeFirst: bigint
}

/** A user's state at one sync id: what a reset sends before the stream goes on from there. */
export interface SyncSnapshot {
  syncId: bigint
  conversations: ConversationSnapshotRecord[]
  /** The newest messages of each conversation, oldest first per conversation. */
  messages: StoredMessage[]
  devices: DeviceRecord[]
}

/** A person's fields an administrator may change; absent ones stay. */
export interface UserChange {
  name?: string
  nameEn?: string
  title?: string
  departmentId?: string
  avatarColor?: string
}

/** Limits for one read of a sync log: at least one item is returned when any is pending. */
export interface SyncLogRead {
  maxItems: number
  /** Budget for the items' encoded size, so a sync packet stays under the frame limit. */
  maxBytes: number
}

export interface Storage {
  /** True when no department, user or conversation exists yet: the time to seed. */
  isEmpty(): boolean

  addDirectory(entries: { departments: Department[]; users: NewUser[] }): void
  listDepartments(): Department[]
  listUsers(): User[]
  findUser(userId: string): User | undefined
  findCredentials(username: string): Credentials | undefined

  saveTicket(ticket: TicketRecord): void
  findTicket(ticketHash: string): TicketRecord | undefined
  deleteTicket(ticketHash: string): void

  /**
   * Registers the device, or updates its name, platform and last seen time. A new device appends
   * device_list_changed to the user's log.
   */
  touchDevice(sighting: DeviceSighting): DeviceRecord & { added: boolean }
  /** The user's devices, least recently seen first. */
  listDevices(userId: string): DeviceRecord[]
  /**
   * Forgets the device and appends device_list_changed to the user's log. Its tickets are
   * deleted, or with a reason kept as retired, so its next resume is told why. Returns false
   * when there was no such device.
   */
  retireDevice(userId: string, deviceId: string, reason?: string): boolean
  /** Raises the device's acknowledged sync point to `syncId`; never lowers it. */
  recordDeviceAck(userId: string, deviceId: string, syncId: bigint): void

  findConversation(conversationId: string): Conversation | undefined
  /**
   * Creates the conversation with its members and appends conversation_changed to every
   * member's sync log. Returns false, changing nothing, when the id already exists.
   */
  createConversation(conversation: Conversation): boolean

  /**
   * Stores a message with the conversation's next seq and appends message_created to every
   * member's sync log (a large group's goes once into its shared log: deliverGroupLogs), or
   * returns the original when (sender, client message id) exists. The
   * sender's read position moves to the message (clients do the same from message_created).
   */
  addMessage(message: NewMessage): AddedMessage

  findMessage(messageId: string): StoredMessage | undefined
  /**
   * Whether the user may download the uploaded file: a member of a conversation where a message
   * carries it (a recalled message no longer shares it).
   */
  attachmentVisibleTo(fileId: string, userId: string): boolean
  /**
   * Marks the message recalled and appends message_recalled to every member's sync log; the
   * replies quoting it keep their quote marked recalled, without its text.
   * Returns false, changing nothing, when it was already recalled.
   */
  recallMessage(messageId: string): boolean

  /**
   * Renames the conversation and adds or removes members, appending conversation_changed to the
   * log of every member before and after the change. A member added records the last seq as
   * their joined_seq, and each sender of a message up to it gets a member_read_moved about them
   * carrying it (read receipts leave them out). Returns the conversation as it now is.
   */
  updateConversation(conversationId: string, change: ConversationChange): Conversation

  /**
   * Sets the user's own pinned and muted flags of the conversation and, when one changed,
   * appends conversation_settings_changed to the user's own log. Returns the settings now.
   */
  updateSettings(
    userId: string,
    conversationId: string,
    change: SettingsChange,
  ): ConversationSettings

  /**
   * Moves the user's read position in the conversation forward (never past the last message) and
   * appends read_position_moved to the user's own log, and member_read_moved to the log of every
   * other sender of a message the move newly covers (read receipts): a sender's log keeps only
   * the newest such item per reader and conversation. Returns the users whose logs grew, or null
   * when the position did not move.
   */
  moveReadPosition(userId: string, conversationId: string, readSeq: bigint): string[] | null

  /**
   * Takes the items of the user's large groups' shared logs that the user's log lacks into it,
   * in the order they were written. Returns how many. Call before reading the head or the log.
   */
  deliverGroupLogs(userId: string): number

  /** The newest sync id in the user's log; 0 for an empty log. */
  headSyncId(userId: string): bigint
  /** Items after `afterSyncId`, oldest first, within the read's limits. */
  readSyncLog(userId: string, afterSyncId: bigint, limits: SyncLogRead): SyncItem[]
  /**
   * The newest sync id pruned from the user's log (0 when none was): a device at an older sync
   * point cannot be streamed to and gets a reset.
   */
  syncLogFloor(userId: string): bigint
  /** Drops items beyond the retention from every log. Returns how many items went. */
  pruneSyncLogs(retention: SyncLogRetention, nowMs: number): number
  /** The user's conversations, their newest `recentMessages` messages each, and devices. */
  snapshot(userId: string, recentMessages: number): SyncSnapshot
  /** The newest `limit` messages of the conversation before `beforeSeq`, oldest first. */
  listMessagesBefore(conversationId: string, beforeSeq: bigint, limit: number): StoredMessage[]

  /**
   * Changes a person's directory entry and appends user_changed to every user's log (the
   * directory is everyone's). Returns the user now, or undefined when there is none.
   */
  updateUser(userId: string, change: UserChange): User | undefined
  /** Renames a department and appends department_changed to every user's log. */
  updateDepartment(
    departmentId: string,
    change: { name?: string; nameEn?: string },
  ): Department | undefined
  /** Every user id, for the sync hub to wake after a change everyone's log holds. */
  listUserIds(): string[]

  /**
   * Registers a micro-app, or replaces its settings, with the bot user its messages come from
   * (made in the Micro-apps department when missing).
   */
  saveMicroApp(app: MicroAppRecord): void
  listMicroApps(): MicroAppRecord[]
  findMicroApp(agentId: string): MicroAppRecord | undefined
  findMicroAppByKey(appKey: string): MicroAppRecord | undefined

  /** Stores the app's offline package, replacing the one before. */
  saveMicroAppPackage(agentId: string, version: string, zip: Buffer): void
  findMicroAppPackage(agentId: string): { version: string; zip: Buffer } | undefined
  /** Versions of every stored package, by agent id. */
  microAppPackageVersions(): Map<string, string>

  saveAuthCode(code: AuthCodeRecord): void
  /** Deletes the code and returns what it was, expired or not; a second call finds nothing. */
  takeAuthCode(codeHash: string): AuthCodeRecord | undefined

  saveAccessToken(token: AccessTokenRecord): void
  findAccessToken(tokenHash: string): AccessTokenRecord | undefined

  saveJsApiTicket(ticket: JsApiTicketRecord): void
  findJsApiTicket(agentId: string): JsApiTicketRecord | undefined

  saveUpload(upload: UploadRecord): void
  findUpload(uploadId: string): UploadRecord | undefined
  /** The owner's final upload joined from exactly these partial uploads, in this order. */
  findFinalUpload(ownerId: string, partIds: string[]): UploadRecord | undefined
  deleteUploads(uploadIds: string[]): void
  /** Records a finished upload as a file; a second call for the same id changes nothing. */
  saveFile(file: FileRecord): void
  findFile(fileId: string): FileRecord | undefined
  /** The oldest file with this content, if any. */
  findFileByHash(sha256: string): FileRecord | undefined

  close(): void
}
