// HostApi: the one contract between the renderer and the client core. Requests are named here
// with their parameter schema (checked by every transport before the core sees them) and their
// result type; events likewise. Electron's IPC and browser mode's WebSocket both carry exactly
// this, so the renderer never knows which it runs on.
import { z } from 'zod'
import { microAppRequestSchemas, type MicroAppResults } from './jsapi/host-types'
import type { ErrorParams, UploadErrorCode } from './errors'
import type { SignedOutCode } from './signed-out'

export type ConnectionStatus = 'connecting' | 'online' | 'waiting' | 'offline'

export interface ConnectionState {
  status: ConnectionStatus
  /** When the next attempt starts (epoch ms), while waiting to reconnect. */
  retryAt: number | null
  /** Failed attempts since the link was last up. */
  attempt: number
  lastError: string | null
}

/** The link's health for the network diagnostics view. */
export interface NetworkDiagnostics {
  connection: ConnectionState
  /** The access address of the live connection. */
  address: string | null
  /** The smart heartbeat's current idle interval. */
  heartbeatIntervalMs: number
  /** 'probing' while it tries longer intervals, 'stable' once it holds one. */
  heartbeatPhase: 'probing' | 'stable'
  /** Smoothed round trip and its variation; null before any sample. */
  srttMs: number | null
  rttvarMs: number | null
  /** How long an answer may take before the link is probed. */
  rtoMs: number
  /** Whether the live connection resumed an earlier TLS session; null when offline. */
  tlsSessionReused: boolean | null
  /** Connections opened since the link started. */
  connects: number
  lastCloseReason: string | null
}

export interface Person {
  id: string
  username: string
  name: string
  nameEn: string
  departmentId: string
  title: string
  avatarColor: string
  /** The pinyin of each character of `name`, lower case without tones ("wang", "ai", "li");
   * other characters as themselves. For finding and highlighting people by pinyin. */
  pinyin?: string[]
}

export interface DepartmentView {
  id: string
  name: string
  nameEn: string
  parentId: string | null
}

export interface SessionView {
  me: Person
  serverAddress: string
}

export interface HostState {
  session: SessionView | null
  connection: ConnectionState
  /** The local server's address, to fill in on the login screen. */
  defaultServerAddress: string
  /** Why the last session ended, when the server ended it: English detail, for logs. */
  signedOutReason: string | null
  /** The same as a code the UI words in its language (shared/signed-out.ts). */
  signedOutCode?: SignedOutCode | null
  /** The local database of the last account would not open: what the recovery screen shows. */
  storeProblem?: StoreProblemView | null
}

/**
 * Why an account's local database would not open: a key that does not fit it, no key at all, a
 * key the keychain would not give back, a damaged file, a file from a newer Tack, or a file that
 * cannot be opened at all.
 */
export type StoreProblemKind =
  'wrong-key' | 'missing-key' | 'key-unreadable' | 'corrupt' | 'newer-schema' | 'unreadable'

export interface StoreProblemView {
  userId: string
  kind: StoreProblemKind
  message: string
}

/** What recoverStore did: the files it renamed (never deleted), old name → new name. */
export interface StoreRecoveryView {
  movedAside: { from: string; to: string }[]
}

/** A message found by searchMessages, with the title of its conversation. */
export interface MessageSearchHit {
  message: MessageView
  conversationTitle: string
}

export type ConversationKind = 'direct' | 'group'

export interface LastMessageView {
  senderId: string
  /** The sender's name as the directory has it, for a notification; absent when unknown. */
  senderName?: string
  text: string
  sentAt: number
  /** The file, image or voice recording it carries, for the list's preview. */
  attachment?: { kind: AttachmentKind; name: string; durationMs?: number }
  /** It was recalled (its text is then empty): a notification shown for it is closed. */
  recalled?: boolean
  /** It is a note of a change to the group: the preview words it; no notification. */
  notice?: GroupNoticeView
}

export interface ConversationView {
  id: string
  kind: ConversationKind
  title: string
  /** The pinyin of each character of `title` (as Person.pinyin), when the title has any
   * character beyond ASCII: the quick switcher finds "研发部" by "yanfa" and "yfb". */
  titlePinyin?: string[]
  /** In the order they joined: a group's first is its owner (shared/group-owner.ts). */
  memberIds: string[]
  /** The other person of a direct conversation. */
  peerId: string | null
  lastMessage: LastMessageView | null
  unreadCount: number
  lastActivityAt: number
  /** My own settings of the conversation, the same on all my devices. */
  pinned?: boolean
  muted?: boolean
  /** An unread message in it @-mentions me: the list shows "[@me]" until it is read. */
  mentionsMe?: boolean
  /** What I was writing in it on this device (saveDraft), kept across restarts. */
  draft?: DraftView
}

/** An unsent text and the people picked with @ for it (each by the name as it stands after @). */
export interface DraftView {
  text: string
  mentions: { userId: string; name: string }[]
}

export interface DeviceView {
  deviceId: string
  name: string
  platform: string
  lastSeenAt: number
  /** This device. */
  current: boolean
}

export type MessageState = 'sending' | 'sent' | 'failed'

export interface MessageView {
  conversationId: string
  clientMessageId: string
  /** Server id and position; null until the server has acknowledged the message. */
  id: string | null
  seq: number | null
  senderId: string
  text: string
  sentAt: number
  state: MessageState
  /** The sender took it back: its text is gone; show it as recalled. */
  recalled?: boolean
  /** The message it answers, as quoted when it was sent. */
  replyTo?: ReplyQuoteView
  /** Members it @-mentions. */
  mentionIds?: string[]
  /** My sent messages: how many other members have not read it yet (read receipts). */
  unreadCount?: number
  /** A file, image or voice recording sent with the message (absent once recalled). */
  attachment?: AttachmentView
  /** A note of a change to the group (senderId made it); the text is empty. */
  notice?: GroupNoticeView
}

/** What changed in a group: the chat shows it as a line of its own, never as unread news. */
export interface GroupNoticeView {
  /** changed: a kind this Tack does not know yet (a newer server's). */
  kind: 'created' | 'renamed' | 'membersAdded' | 'membersRemoved' | 'left' | 'changed'
  /** created and renamed: the title the group got. */
  title?: string
  /** membersAdded and membersRemoved: who. */
  memberIds?: string[]
}

export interface ReplyQuoteView {
  messageId: string
  senderId: string
  /** The start of the quoted text. */
  excerpt: string
  /** Its position in the conversation, to scroll to it. */
  seq: number
  /** The quoted message was recalled: the excerpt is empty, and the quote says so instead. */
  recalled?: boolean
}

/** Who of the other members has read one of my messages, and who has not. */
export interface ReadReceiptsView {
  read: string[]
  unread: string[]
}

/** The account's share of the disk: its local database (with WAL) and its file folder. */
export interface StorageUsageView {
  databaseBytes: number
  filesBytes: number
}

/** What the shell around the renderer does itself. */
export interface HostInfo {
  shell: 'electron' | 'browser'
  /** Desktop notifications come from the shell (Electron's main process), not the page. */
  nativeNotifications: boolean
  /** The unread total is on the app's dock or taskbar badge, set by the shell. */
  appBadge: boolean
}

export type AttachmentKind = 'file' | 'image' | 'voice'

/** How far the upload of an attachment of mine has come; absent once the message is sent. */
export interface AttachmentUploadView {
  state: 'uploading' | 'paused' | 'failed'
  sentBytes: number
  /** Null while a recording's length is unknown. */
  totalBytes: number | null
  /** Why it failed: English detail; the UI words errorCode with errorParams beside "retry". */
  error: string | null
  /** It failed for good (the file is over the server's limit): retry is refused, only cancel. */
  permanent?: true
  errorCode?: UploadErrorCode
  errorParams?: ErrorParams
}

/** A finished upload, as a micro-app's biz.util.uploadFile receives it. */
export interface UploadedFileView {
  fileId: string
  name: string
  size: number
  type: string
  sha256: string
}

export interface AttachmentView {
  kind: AttachmentKind
  name: string
  /** Bytes; 0 while a recording is still being made. */
  size: number
  mime: string
  /** The server's file id; null until the upload is done. */
  fileId: string | null
  width?: number
  height?: number
  durationMs?: number
  /** A small preview as a data: URL (images). */
  thumbnailUrl?: string
  upload?: AttachmentUploadView
  /** Where the page can load the file from, once it is on this device (sent or downloaded). */
  url?: string
  /** A download in progress (or stopped part-way: resumable). */
  download?: { receivedBytes: number; totalBytes: number; state: 'downloading' | 'stopped' }
}

export interface DirectoryView {
  departments: DepartmentView[]
  people: Person[]
}

const id = z.string().min(1).max(128)

export const MAX_MESSAGE_CHARS = 10_000

/** A file on disk (Electron names its path) or one browser mode's host staged. */
const fileSourceSchema = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ stagedId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/) }).strict(),
])

const attachmentMessage = z
  .object({ conversationId: id, clientMessageId: id, senderId: id.optional() })
  .strict()

/** Attachments (issue 6): what the renderer asks of the core about files in messages. */
const attachmentRequestSchemas = {
  /**
   * Sends a file: the message shows at once with upload progress and goes out when the upload
   * is done. The file is a path (Electron gives one) or a file staged by browser mode's host.
   */
  sendFile: z
    .object({
      conversationId: id,
      source: fileSourceSchema,
      name: z.string().trim().min(1).max(255),
      mime: z.string().max(127).optional(),
      kind: z.enum(['file', 'image']).optional(),
      text: z.string().max(MAX_MESSAGE_CHARS).optional(),
      width: z.number().int().min(0).max(100_000).optional(),
      height: z.number().int().min(0).max(100_000).optional(),
      /** A small preview the page drew (base64 PNG or JPEG, at most 32 KiB). */
      thumbnailBase64: z.string().max(44_000).optional(),
      thumbnailMime: z.enum(['image/png', 'image/jpeg', 'image/webp']).optional(),
    })
    .strict(),
  /**
   * Stages bytes the page holds without a path (a pasted image under Electron), in pieces
   * of at most 150 KiB: the first call (no stagedId) starts a file; sendFile then names it.
   */
  stageChunk: z
    .object({
      stagedId: z
        .string()
        .regex(/^[A-Za-z0-9-]{8,64}$/)
        .optional(),
      chunkBase64: z.string().max(200_000),
    })
    .strict(),
  /** Starts a voice message whose recording is uploaded while it is being made. */
  startVoice: z.object({ conversationId: id, mime: z.string().min(1).max(127) }).strict(),
  /** The next piece of the recording, in order (base64, at most 150 KiB). */
  appendVoice: z.object({ recordingId: id, chunkBase64: z.string().max(200_000) }).strict(),
  /** The person stopped recording: the upload finishes and the message is sent. */
  finishVoice: z
    .object({ recordingId: id, durationMs: z.number().int().min(0).max(3_600_000) })
    .strict(),
  /** Throws the recording away (cancelled before sending). */
  discardVoice: z.object({ recordingId: id }).strict(),
  /** A failed message of mine: resumes its upload (or sends it again) once. */
  retryMessage: attachmentMessage,
  pauseUpload: attachmentMessage,
  resumeUpload: attachmentMessage,
  /** Stops the upload and takes the message away. */
  cancelUpload: attachmentMessage,
  /** Downloads a message's file into the profile (resuming a part), with downloadProgress. */
  downloadFile: attachmentMessage,
  /** A file a micro-app asked for (biz.util.uploadFile), uploaded; resolves once it is done. */
  uploadFileForMicroApp: z
    .object({
      source: fileSourceSchema,
      name: z.string().trim().min(1).max(255),
      mime: z.string().max(127).optional(),
    })
    .strict(),
}

/** Request name → parameter schema. */
export const hostRequestSchemas = {
  getState: z.object({}).strict(),
  login: z
    .object({
      serverAddress: z
        .string()
        .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port'),
      username: z.string().trim().min(1).max(64),
      password: z.string().min(1).max(256),
    })
    .strict(),
  logout: z.object({}).strict(),
  retryNow: z.object({}).strict(),
  getNetworkDiagnostics: z.object({}).strict(),
  /** Every conversation, or only those named (what a conversationsChanged event named). */
  listConversations: z
    .object({ conversationIds: z.array(id).min(1).max(1000).optional() })
    .strict(),
  loadMessages: z
    .object({
      conversationId: id,
      beforeSeq: z.number().int().positive().optional(),
      /** Messages on both sides of this one (which is included), for opening a search hit. */
      aroundSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
  sendMessage: z
    .object({
      conversationId: id,
      text: z
        .string()
        .max(MAX_MESSAGE_CHARS)
        .refine((text) => text.trim().length > 0, 'message is empty'),
      /** The server id of the message this one answers (quoted), in the same conversation. */
      replyToMessageId: id.optional(),
      /** Members to @-mention. */
      mentionIds: z.array(id).max(1000).optional(),
    })
    .strict(),
  /** Keeps what I am writing in a conversation on this device; empty text forgets it. */
  saveDraft: z
    .object({
      conversationId: id,
      text: z.string().max(MAX_MESSAGE_CHARS),
      mentions: z
        .array(z.object({ userId: id, name: z.string().min(1).max(100) }).strict())
        .max(100),
    })
    .strict(),
  /** Who of the other members has read my message up to now, and who has not. */
  getReadReceipts: z.object({ conversationId: id, messageId: id }).strict(),
  markRead: z.object({ conversationId: id }).strict(),
  /** My signed-in devices (up to five), with when each was last seen. */
  listDevices: z.object({}).strict(),
  /** Signs another of my devices out; it is told so. */
  signOutDevice: z.object({ deviceId: id }).strict(),
  /** The sender takes a message back, within two minutes of sending it. */
  recallMessage: z.object({ conversationId: id, messageId: id }).strict(),
  /** Title and members (groups, for everyone), pinned and muted (mine, on all my devices). */
  updateConversation: z
    .object({
      conversationId: id,
      title: z.string().trim().min(1).max(100).optional(),
      addMemberIds: z.array(id).max(500).optional(),
      removeMemberIds: z.array(id).max(500).optional(),
      pinned: z.boolean().optional(),
      muted: z.boolean().optional(),
    })
    .strict(),
  listContacts: z.object({}).strict(),
  openDirectConversation: z.object({ peerId: id }).strict(),
  createGroup: z
    .object({
      title: z.string().trim().min(1).max(100),
      memberIds: z.array(id).min(1).max(500),
    })
    .strict(),
  searchMessages: z
    .object({
      query: z.string().trim().min(1).max(200),
      limit: z.number().int().min(1).max(200).optional(),
    })
    .strict(),
  searchContacts: z
    .object({
      query: z.string().trim().min(1).max(100),
      limit: z.number().int().min(1).max(200).optional(),
    })
    .strict(),
  /** Moves the unopenable database aside (renamed, never deleted) so signing in starts afresh. */
  recoverStore: z.object({}).strict(),
  /** The size on disk of the signed-in account's database and files. */
  getStorageUsage: z.object({}).strict(),
  getHostInfo: z.object({}).strict(),
  /** What the reader has in front of them, for the shell's own notifications. */
  setAttention: z
    .object({ notificationsEnabled: z.boolean(), openConversationId: id.nullable() })
    .strict(),
  ...attachmentRequestSchemas,
  ...microAppRequestSchemas,
} as const

/** Request name → result type. */
export interface HostResults extends MicroAppResults {
  getState: HostState
  login: SessionView
  logout: void
  retryNow: void
  getNetworkDiagnostics: NetworkDiagnostics
  listConversations: ConversationView[]
  loadMessages: MessageView[]
  sendMessage: MessageView
  saveDraft: void
  getReadReceipts: ReadReceiptsView
  markRead: void
  listDevices: DeviceView[]
  signOutDevice: void
  recallMessage: void
  updateConversation: ConversationView
  listContacts: DirectoryView
  openDirectConversation: ConversationView
  createGroup: ConversationView
  searchMessages: MessageSearchHit[]
  searchContacts: Person[]
  recoverStore: StoreRecoveryView
  sendFile: MessageView
  stageChunk: { stagedId: string; size: number }
  startVoice: { recordingId: string; message: MessageView }
  appendVoice: void
  finishVoice: MessageView
  discardVoice: void
  retryMessage: void
  pauseUpload: void
  resumeUpload: void
  cancelUpload: void
  downloadFile: AttachmentView
  uploadFileForMicroApp: UploadedFileView
  getStorageUsage: StorageUsageView
  getHostInfo: HostInfo
  setAttention: void
}

export type HostMethod = keyof typeof hostRequestSchemas
export type HostParams<M extends HostMethod> = z.input<(typeof hostRequestSchemas)[M]>

/** Event name → payload. */
export interface HostEvents {
  connection: ConnectionState
  session: { session: SessionView | null; reason: string | null; code?: SignedOutCode | null }
  conversationsChanged: { conversationIds: string[] }
  messagesChanged: { conversationId: string }
  contactsChanged: Record<string, never>
  /** My list of signed-in devices changed (one signed in or out): listDevices again. */
  devicesChanged: Record<string, never>
  /** The shell asks the app to show a conversation (a notification click, a tack:// link). */
  openConversation: { conversationId: string }
  /** The shell asks the workbench to open a micro-app (a tack://microapp/ link), at a path. */
  openMicroApp: { agentId: string; path: string | null }
  /** An attachment of mine is uploading: bytes the server has confirmed. */
  uploadProgress: {
    conversationId: string
    clientMessageId: string
    sentBytes: number
    totalBytes: number | null
  }
  /** A message's file is downloading. */
  downloadProgress: {
    conversationId: string
    clientMessageId: string
    receivedBytes: number
    totalBytes: number
  }
}

export type HostEventName = keyof HostEvents
export const HOST_EVENT_NAMES: readonly HostEventName[] = [
  'connection',
  'session',
  'conversationsChanged',
  'messagesChanged',
  'contactsChanged',
  'devicesChanged',
  'openConversation',
  'openMicroApp',
  'uploadProgress',
  'downloadProgress',
]

export type HostEventListener = <E extends HostEventName>(name: E, payload: HostEvents[E]) => void

/**
 * Requests whose feature is still being built, which a transport may not serve yet: the HostApi
 * type leaves them optional. None at the moment; list one here while its feature is unfinished.
 */
export type RecentHostMethod = never

/** What the renderer holds: every request as a method, plus a way to hear events. */
export type HostApi = {
  [M in Exclude<HostMethod, RecentHostMethod>]: (params: HostParams<M>) => Promise<HostResults[M]>
} & {
  [M in RecentHostMethod]?: (params: HostParams<M>) => Promise<HostResults[M]>
} & {
  onEvent(listener: HostEventListener): () => void
}

/** What a transport serves: the same requests, taking already-validated parameters. */
export type HostHandlers = {
  [M in HostMethod]: (params: z.output<(typeof hostRequestSchemas)[M]>) => Promise<HostResults[M]>
}

export function isHostMethod(name: unknown): name is HostMethod {
  return typeof name === 'string' && Object.hasOwn(hostRequestSchemas, name)
}
