// ClientCore: the client engine behind the HostApi contract. It composes the encrypted store,
// the link to the access layer, sync and the outbox, and runs unchanged under Electron, in the
// browser-mode host and in tests.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HostError } from '../../shared/errors'
import { ErrorCode } from '../../shared/gen/tack_pb'
import type {
  ConnectionState,
  ConversationView,
  DeviceView,
  HostEventListener,
  HostEventName,
  HostEvents,
  HostHandlers,
  HostInfo,
  HostState,
  NetworkDiagnostics,
  Person,
  SessionView,
  StoreProblemView,
  StoreRecoveryView,
} from '../../shared/host-api'
import { createLogger } from '../../shared/logger'
import { signedOutCodeOf, type SignedOutCode } from '../../shared/signed-out'
import { MicroAppHost } from './jsapi/micro-app-host'
import { OutboxSender, REFUSED_FOR_GOOD } from './messaging/outbox-sender'
import { ConnectionLostError, ServerError, type Connection, type FrameBody } from './net/connection'
import { Link, type LinkTuning } from './net/link'
import { DEFAULT_RTT_OPTIONS } from './net/rtt-estimator'
import { DEFAULT_HEARTBEAT } from './net/smart-heartbeat'
import type { KeyStore } from './store/key-store'
import { moveDatabaseAside, recoveryStamp } from './store/recovery'
import { accountFilesDir, measureStorage, stagingDir } from './store/storage-usage'
import { Store, StoreOpenError, type SyncChange } from './store/store'
import { SyncEngine } from './sync/sync-engine'
import {
  UploadManager,
  type UploadEndpoint,
  type UploadManagerOptions,
} from './upload/upload-manager'
import { AttachmentService, type EnqueueMessage } from './attachments/attachment-service'
import { stageChunk } from './attachments/staging'
import {
  conversationFromWire,
  departmentFromWire,
  messageFromWire,
  personFromWire,
  settingsFromWire,
} from './sync/wire'

const log = createLogger('core')

export interface ClientCoreOptions {
  /** The install's own folder: one encrypted database per account, and profile.json. */
  profileDir: string
  keyStore: KeyStore
  /** host:port of the access layer to fill in on the login screen. */
  defaultServerAddress: string
  /** PEM of the CA the client trusts for the server's certificate. Verification is never off. */
  trustedCaPem: string
  device: { name: string; platform: string }
  /** Upload manager tuning (chunk size, parallel streams, retries), for tests and benchmarks. */
  uploads?: Pick<UploadManagerOptions, 'chunkSize' | 'parallelStreams' | 'retry'>
  /** The shell the core runs in (default browser): Electron shows notifications and a badge. */
  shell?: HostInfo['shell']
  /** Connection tuning, for tests and the benchmark. */
  connection?: {
    /** The smart heartbeat's first interval; it probes upwards from there. */
    heartbeatMs?: number
    /** The smart heartbeat's bounds (default 20 s to 270 s). */
    heartbeatMinMs?: number
    heartbeatMaxMs?: number
    requestTimeoutMs?: number
    /** Longest wait for a TLS handshake (default 10000; less once round trips are known). */
    connectTimeoutMs?: number
    /** Longest wait for a probe's answer (default 4000). */
    pingTimeoutMs?: number
    /** Floor of the adaptive request timeout (default 1000). */
    minRtoMs?: number
    backoffBaseMs?: number
    backoffCapMs?: number
    /** More access addresses, raced with the account's own when connecting. */
    fallbackAddresses?: string[]
    /** Time before the next address joins the race. Default 2000. */
    raceStaggerMs?: number
  }
}

export type Attention = Args<'setAttention'>

/** What the host reports about the machine: each makes the link probe at once. */
export type SystemEvent = 'resume' | 'online' | 'offline' | 'network-changed'

interface Profile {
  deviceId: string
  lastAccount: { userId: string; serverAddress: string } | null
}

interface Account {
  me: Person
  serverAddress: string
  store: Store
  sync: SyncEngine
  outbox: OutboxSender
  uploads: UploadManager
  attachments: AttachmentService
}

type Args<M extends keyof HostHandlers> = Parameters<HostHandlers[M]>[0]

const KV_ME = 'me'
/** How much of a quoted message a reply shows before the server's quote arrives (as the server). */
const EXCERPT_CHARS = 100
const KV_TICKET = 'ticket'
const OFFLINE: ConnectionState = { status: 'offline', retryAt: null, attempt: 0, lastError: null }

export class ClientCore implements HostHandlers {
  private readonly listeners = new Set<HostEventListener>()
  private profile: Profile = { deviceId: randomUUID(), lastAccount: null }
  private account: Account | null = null
  private link: Link | null = null
  /** The connection whose resume also restarted the sync stream. */
  private syncStartedBy: Connection | null = null
  private connectionState: ConnectionState = OFFLINE
  private signedOutReason: string | null = null
  /** signedOutReason as a code the UI words in its language. */
  private signedOutCode: SignedOutCode | null = null
  /** A session the server ended, being closed down; close() waits for it. */
  private ending: Promise<void> | null = null
  /** Why the server last ended this device's session, when it said. */
  private kickReason: string | null = null
  /** The last account's database would not open; cleared by recoverStore or a good sign-in. */
  private storeProblem: StoreProblemView | null = null
  /** Where uploads go: the host dialed, the session's upload port, the same CA, the ticket. */
  private uploadEndpoint: UploadEndpoint | null = null
  /** What the renderer last said the reader has in front (setAttention). */
  private attention: Attention = { notificationsEnabled: true, openConversationId: null }

  private readonly microApps: MicroAppHost
  /** How the page loads a kept attachment (set by the host that serves them). */
  private attachmentUrl: ((senderId: string, clientMessageId: string) => string) | null = null

  constructor(private readonly options: ClientCoreOptions) {
    this.microApps = new MicroAppHost({
      profileDir: options.profileDir,
      request: (body) => this.request(body),
      me: () => this.account?.me ?? null,
      online: () => this.connectionState.status === 'online',
    })
  }

  /** Restores the last signed-in account, if any, and starts connecting. */
  async start(): Promise<void> {
    this.profile = await this.readProfile()
    const last = this.profile.lastAccount
    if (!last) return
    try {
      const store = await this.openStore(last.userId, { create: false })
      const me = JSON.parse((await store.getValue(KV_ME)) ?? 'null') as Person | null
      const ticket = await store.getValue(KV_TICKET)
      if (!me || !ticket) {
        await store.close()
        return
      }
      this.account = this.makeAccount(me, last.serverAddress, store)
      this.emit('session', { session: this.sessionView(), reason: null })
      void this.startLink(last.serverAddress, null).catch(() => undefined)
    } catch (error) {
      this.signedOutReason = error instanceof Error ? error.message : String(error)
      this.signedOutCode = 'NOT_RESTORED'
      log.error({ userId: last.userId, error: this.signedOutReason }, 'could not restore account')
    }
  }

  /**
   * The way out of a database that will not open: its files are renamed aside (never deleted),
   * an unreadable key is retired, and the account is signed out, so the next sign-in makes a
   * new database that sync fills from the server.
   */
  async recoverStore(): Promise<StoreRecoveryView> {
    const problem = this.storeProblem
    if (!problem) return { movedAside: [] }
    if (this.account) throw new HostError('BAD_PARAMS', 'sign out before recovering a database')
    const keyStore = this.options.keyStore
    if (problem.kind === 'key-unreadable' && !keyStore.retireKey) {
      throw new HostError(
        'STORE_LOCKED',
        `${keyStore.description} cannot replace an unreadable key`,
      )
    }

    const stamp = recoveryStamp()
    const movedAside = await moveDatabaseAside(this.databasePath(problem.userId), stamp)
    if (problem.kind === 'key-unreadable') await keyStore.retireKey!(problem.userId, stamp)

    this.storeProblem = null
    this.profile.lastAccount = null
    await this.writeProfile()
    this.signedOutReason = null
    this.signedOutCode = null
    log.warn({ userId: problem.userId, kind: problem.kind }, 'local database recovered aside')
    return { movedAside }
  }

  /** The signed-in account's database (with WAL) and file folders, in bytes. */
  async getStorageUsage() {
    const { me } = this.requireAccount()
    const filesDir = accountFilesDir(this.options.profileDir, me.id)
    const staging = stagingDir(this.options.profileDir, me.id)
    return measureStorage(this.databasePath(me.id), [filesDir, staging])
  }

  async getHostInfo(): Promise<HostInfo> {
    const electron = this.options.shell === 'electron'
    return {
      shell: electron ? 'electron' : 'browser',
      nativeNotifications: electron,
      appBadge: electron,
    }
  }

  async setAttention(params: Args<'setAttention'>): Promise<void> {
    this.attention = { ...params }
  }

  /** Whether the reader wants notifications and which conversation is in front of them. */
  readerAttention(): Attention {
    return this.attention
  }

  async searchMessages(params: Args<'searchMessages'>) {
    const account = this.requireAccount()
    const hits = await account.store.searchMessages(params.query, params.limit ?? 50, account.me.id)
    // A hit may have been found by its file's name, which the result shows.
    const messages = await account.attachments.decorate(hits.map((hit) => hit.message))
    return hits.map((hit, i) => ({ ...hit, message: messages[i]! }))
  }

  async searchContacts(params: Args<'searchContacts'>) {
    return this.requireAccount().store.searchContacts(params.query, params.limit ?? 20)
  }

  onEvent(listener: HostEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The signed-in account's upload manager (electron/core/upload), or null when signed out. */
  get uploads(): UploadManager | null {
    return this.account?.uploads ?? null
  }

  async close(): Promise<void> {
    await this.ending
    await this.link?.stop()
    this.link = null
    this.account?.attachments.close()
    await this.account?.uploads.close()
    await this.account?.store.close()
    this.account = null
  }

  async getState(): Promise<HostState> {
    return {
      session: this.sessionView(),
      connection: this.connectionState,
      defaultServerAddress: this.options.defaultServerAddress,
      signedOutReason: this.signedOutReason,
      signedOutCode: this.signedOutCode,
      storeProblem: this.storeProblem,
    }
  }

  async login(params: Args<'login'>): Promise<SessionView> {
    if (this.account) throw new HostError('BAD_PARAMS', 'already signed in; sign out first')
    try {
      await this.startLink(params.serverAddress, {
        username: params.username,
        password: params.password,
      })
    } catch (error) {
      throw loginError(toHostError(error), params.serverAddress)
    }
    this.signedOutReason = null
    this.signedOutCode = null
    return this.sessionView()!
  }

  async logout(): Promise<void> {
    const account = this.account
    if (!account) return
    await this.request({ case: 'logout', value: {} }).catch(() => undefined)
    await this.endSession(null)
  }

  async retryNow(): Promise<void> {
    this.link?.retryNow()
  }

  async getNetworkDiagnostics(): Promise<NetworkDiagnostics> {
    const link = this.link
    return {
      connection: this.connectionState,
      ...(link ? link.diagnostics() : idleDiagnostics(this.options.connection?.heartbeatMs)),
    }
  }

  /**
   * The host's power and network events (Electron's powerMonitor and online/offline): resume
   * from sleep, back online, offline or a changed interface all make the link probe now, since
   * a socket says nothing of a path that died while the machine slept or moved.
   */
  onSystemEvent(event: SystemEvent): void {
    log.info({ event }, 'system event: probing the link')
    if (event === 'network-changed') this.link?.networkChanged()
    else this.link?.probeNow()
  }

  async listConversations(params: Args<'listConversations'> = {}): Promise<ConversationView[]> {
    const account = this.requireAccount()
    return account.store.listConversations(account.me.id, params.conversationIds)
  }

  async loadMessages(params: Args<'loadMessages'>) {
    const account = this.requireAccount()
    const views =
      params.aroundSeq !== undefined
        ? await account.store.loadMessagesAround(params.conversationId, params.aroundSeq)
        : await this.loadPage(account, params)
    const counted = await account.store.withUnreadCounts(
      params.conversationId,
      views,
      account.me.id,
    )
    return account.attachments.decorate(counted)
  }

  private async loadPage(account: Account, params: Args<'loadMessages'>) {
    const limit = params.limit ?? 100
    await this.fillHistoryHole(account, params.conversationId, params.beforeSeq, limit)
    return account.store.loadMessages(params.conversationId, params.beforeSeq, limit)
  }

  /** Who of the other members has read my message, and who has not (read receipts). */
  async getReadReceipts(params: Args<'getReadReceipts'>) {
    const account = this.requireAccount()
    return account.store.readReceipts(params.conversationId, params.messageId, account.me.id)
  }

  /**
   * After a sync reset the store may lack older messages of a conversation: when the page asked
   * for has a hole, the server's page is fetched and kept first. Offline (or refused), the page
   * is what the store has.
   */
  private async fillHistoryHole(
    account: Account,
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<void> {
    const { whole, top } = await account.store.hasWholePage(conversationId, beforeSeq, limit)
    const connection = this.link?.connection
    if (whole || !connection?.isOpen) return
    try {
      const reply = await connection.request({
        case: 'historyRequest',
        // The server pages at most 200 messages (MAX_HISTORY_PAGE); a larger page gets its newest.
        value: { conversationId, beforeSeq: BigInt(top + 1), limit: Math.min(limit, 200) },
      })
      if (reply.body.case !== 'historyReply') return
      const changes: SyncChange[] = [
        ...reply.body.value.messages.map((message): SyncChange => ({
          kind: 'message',
          message: messageFromWire(message),
        })),
        ...reply.body.value.recalledMessageIds.map((messageId): SyncChange => ({
          kind: 'recall',
          conversationId,
          messageId,
        })),
      ]
      await account.store.applyReplyChanges(changes, account.me.id)
      log.debug({ conversationId, beforeSeq: top + 1, got: changes.length }, 'history fetched')
    } catch (error) {
      log.info({ conversationId, error: String(error) }, 'older history not fetched')
    }
  }

  async sendMessage(params: Args<'sendMessage'>) {
    const account = this.requireAccount()
    await requireConversation(account, params.conversationId)
    const replyTo = params.replyToMessageId
      ? await account.store.quoteOf(params.conversationId, params.replyToMessageId, EXCERPT_CHARS)
      : null
    if (params.replyToMessageId && !replyTo) {
      throw new HostError('NOT_FOUND', `no message ${params.replyToMessageId} to quote`)
    }
    // Recalled after the reply was started: refuse, so the page can say so and let the person
    // send without the quote (its text is gone). One recalled after this goes with a blank quote.
    if (replyTo?.recalled) {
      throw new HostError('QUOTE_RECALLED', 'the message being answered was recalled')
    }
    const view = await account.store.enqueueMessage(
      {
        clientMessageId: randomUUID(),
        conversationId: params.conversationId,
        text: params.text,
        createdAt: Date.now(),
        attempts: 0,
        replyToMessageId: params.replyToMessageId ?? null,
        mentionIds: [...new Set(params.mentionIds ?? [])],
      },
      account.me.id,
      replyTo ?? undefined,
    )
    this.emitConversationChanges([params.conversationId], [params.conversationId])
    void account.outbox.kick()
    return view
  }

  /** Keeps what I am writing in a conversation, so it outlasts a restart of the app. */
  async saveDraft(params: Args<'saveDraft'>): Promise<void> {
    const account = this.requireAccount()
    await requireConversation(account, params.conversationId)
    await account.store.saveDraft(params.conversationId, {
      text: params.text,
      mentions: params.mentions,
    })
  }

  /**
   * Moves the read position here at once and tells the server, which tells my other devices.
   * Offline, the position is kept as unsent and goes out when the link is back.
   */
  async markRead(params: Args<'markRead'>): Promise<void> {
    const account = this.requireAccount()
    const readSeq = await account.store.markRead(params.conversationId)
    if (readSeq === null) return
    this.emit('conversationsChanged', { conversationIds: [params.conversationId] })
    await account.store.addUnsentRead(params.conversationId, readSeq)
    await this.sendUnsentReads(account)
  }

  /** My signed-in devices as the last device list item said, least recently seen first. */
  async listDevices(): Promise<DeviceView[]> {
    const account = this.requireAccount()
    return (await account.store.listDevices()).map((device) => ({
      ...device,
      current: device.deviceId === this.profile.deviceId,
    }))
  }

  /** How far this device's store has applied its sync log; null signed out. Tests and benchmarks. */
  async syncPoint(): Promise<number | null> {
    return this.account ? this.account.store.getSyncPoint() : null
  }

  async signOutDevice(params: Args<'signOutDevice'>): Promise<void> {
    this.requireAccount()
    await this.request({ case: 'signOutDevice', value: { deviceId: params.deviceId } })
  }

  async recallMessage(params: Args<'recallMessage'>): Promise<void> {
    await this.request({ case: 'recallMessage', value: params })
    // The recall reaches this device, like the others, by sync.
  }

  async updateConversation(params: Args<'updateConversation'>): Promise<ConversationView> {
    const account = this.requireAccount()
    const reply = await this.request({
      case: 'updateConversation',
      value: {
        ...params,
        addMemberIds: params.addMemberIds ?? [],
        removeMemberIds: params.removeMemberIds ?? [],
      },
    })
    if (reply.body.case !== 'updateConversationReply' || !reply.body.value.conversation) {
      throw new HostError('SERVER_ERROR', 'unexpected reply to updateConversation')
    }
    const { conversation, settings } = reply.body.value
    const changes: SyncChange[] = [
      { kind: 'conversation', conversation: conversationFromWire(conversation) },
    ]
    if (settings) changes.push({ kind: 'settings', settings: settingsFromWire(settings) })
    await account.store.applyReplyChanges(changes, account.me.id)
    this.emit('conversationsChanged', { conversationIds: [conversation.id] })
    const view = await account.store.getConversation(conversation.id, account.me.id)
    if (!view) throw new HostError('INTERNAL', 'conversation vanished')
    return view
  }

  /**
   * Sends read positions not yet told to the server; each leaves the list once the server has
   * it, or refuses it for good. Stops at the first that fails otherwise, to try again later.
   */
  private async sendUnsentReads(account: Account, given?: Connection): Promise<void> {
    for (const [conversationId, readSeq] of await account.store.unsentReads()) {
      const connection = given ?? this.link?.connection
      if (!connection?.isOpen) return
      try {
        await connection.request({
          case: 'markRead',
          value: { conversationId, readSeq: BigInt(readSeq) },
        })
      } catch (error) {
        log.info({ error: String(error), conversationId }, 'read position not sent')
        if (!(error instanceof ServerError && REFUSED_FOR_GOOD.has(error.code))) return
      }
      await account.store.clearUnsentRead(conversationId, readSeq)
    }
  }

  async listContacts() {
    return this.requireAccount().store.listDirectory()
  }

  async openDirectConversation(params: Args<'openDirectConversation'>): Promise<ConversationView> {
    const account = this.requireAccount()
    const reply = await this.request({ case: 'openDirect', value: { peerId: params.peerId } })
    if (reply.body.case !== 'openDirectReply' || !reply.body.value.conversation) {
      throw new HostError('SERVER_ERROR', 'unexpected reply to openDirect')
    }
    return this.keepConversation(account, conversationFromWire(reply.body.value.conversation))
  }

  async createGroup(params: Args<'createGroup'>): Promise<ConversationView> {
    const account = this.requireAccount()
    const reply = await this.request({
      case: 'createGroup',
      value: { title: params.title, memberIds: params.memberIds },
    })
    if (reply.body.case !== 'createGroupReply' || !reply.body.value.conversation) {
      throw new HostError('SERVER_ERROR', 'unexpected reply to createGroup')
    }
    return this.keepConversation(account, conversationFromWire(reply.body.value.conversation))
  }

  // ---- micro-apps (the checks live in jsapi/micro-app-host.ts) ------------------------------

  async listMicroApps() {
    this.requireAccount()
    return this.microApps.list()
  }

  async addDevMicroApp(params: Args<'addDevMicroApp'>) {
    return this.microApps.addDevApp(params.url, params.name)
  }

  async removeDevMicroApp(params: Args<'removeDevMicroApp'>) {
    return this.microApps.removeDevApp(params.agentId)
  }

  async invokeJsApi(params: Args<'invokeJsApi'>) {
    return this.microApps.invoke(params)
  }

  async authorizeMicroApp(params: Args<'authorizeMicroApp'>) {
    return { url: await this.microApps.authorize(params.agentId, params.url) }
  }

  async installMicroAppPackage(params: Args<'installMicroAppPackage'>) {
    return this.microApps.installPackage(Buffer.from(params.zipBase64, 'base64'))
  }

  /** The host that serves offline packages (browser mode's package host) says where. */
  servePackagesAt(originOf: (agentId: string) => string): void {
    this.microApps.servePackagesAt(originOf)
  }

  /** The installed package of an app, for the host that serves it. */
  packageOf(agentId: string) {
    return this.microApps.packageDir(agentId)
  }

  // ---- session and link -------------------------------------------------------------------

  /**
   * Starts the link. With credentials, the first attempt decides (a login reports its error);
   * without, it resumes the stored ticket and keeps retrying.
   */
  private startLink(
    serverAddress: string,
    credentials: { username: string; password: string } | null,
  ): Promise<void> {
    const settings = this.options.connection ?? {}
    let pendingCredentials = credentials
    const link = new Link(
      {
        address: serverAddress,
        fallbackAddresses: settings.fallbackAddresses,
        caPem: this.options.trustedCaPem,
        requestTimeoutMs: settings.requestTimeoutMs,
        connectTimeoutMs: settings.connectTimeoutMs,
        pingTimeoutMs: settings.pingTimeoutMs,
        race: { staggerMs: settings.raceStaggerMs ?? 2_000, maxInFlight: 3 },
      },
      {
        authenticate: async (connection) => {
          await this.authenticate(connection, serverAddress, pendingCredentials)
          pendingCredentials = null
        },
        online: (connection) => this.goOnline(connection),
        isFatal: (error) => isFatalSessionError(error),
        stopped: (error) => {
          if (this.link === link) this.link = null
          if (isFatalSessionError(error) && this.account) {
            const ending = this.endSession(this.kickReason ?? endedReason(error))
              .catch((failure: unknown) =>
                log.warn({ err: failure }, 'the ended session was not closed down cleanly'),
              )
              .finally(() => {
                if (this.ending === ending) this.ending = null
              })
            this.ending = ending
          }
        },
        stateChanged: (state) => {
          this.connectionState = state
          this.emit('connection', state)
        },
      },
      {
        baseMs: settings.backoffBaseMs ?? 500,
        capMs: settings.backoffCapMs ?? 30_000,
      },
      linkTuning(settings),
    )
    this.link = link
    return link.start({ failFast: credentials !== null })
  }

  /** Logs in with credentials, or resumes the stored ticket, on a fresh connection. */
  private async authenticate(
    connection: Connection,
    serverAddress: string,
    credentials: { username: string; password: string } | null,
  ): Promise<void> {
    const device = { deviceId: this.profile.deviceId, ...this.options.device }
    const ticket = credentials ? null : await this.account?.store.getValue(KV_TICKET)
    if (!credentials && !ticket)
      throw new ServerError(ErrorCode.UNAUTHENTICATED, 'no session to resume')
    const reply = credentials
      ? await connection.request({ case: 'login', value: { ...credentials, device } })
      : await this.resume(connection, ticket!, device)
    if (reply.body.case !== 'session' || !reply.body.value.me) {
      throw new ServerError(ErrorCode.INTERNAL, `unexpected reply ${reply.body.case}`)
    }
    this.syncStartedBy = reply.body.value.syncStarted ? connection : null
    const me = personFromWire(reply.body.value.me)
    if (!this.account) await this.openAccount(me, serverAddress)
    await this.account!.store.setValue(KV_TICKET, reply.body.value.ticket)
    await this.account!.store.setValue(KV_ME, JSON.stringify(me))
    const uploadPort = reply.body.value.uploadPort
    this.uploadEndpoint = uploadPort
      ? {
          url: `https://${connection.address.replace(/:\d+$/, '')}:${uploadPort}`,
          ticket: reply.body.value.ticket,
          ca: this.options.trustedCaPem,
        }
      : null
  }

  private async openAccount(me: Person, serverAddress: string): Promise<void> {
    const store = await this.openStore(me.id, { create: true })
    this.storeProblem = null
    this.account = this.makeAccount(me, serverAddress, store)
    this.profile.lastAccount = { userId: me.id, serverAddress }
    await this.writeProfile()
    log.info({ userId: me.id }, 'signed in')
    this.emit('session', { session: this.sessionView(), reason: null })
  }

  /**
   * Resumes the stored session and restarts the sync stream in the same exchange: the sync
   * engine listens before the request leaves, since packets may follow the reply at once.
   */
  private async resume(
    connection: Connection,
    ticket: string,
    device: { deviceId: string; name: string; platform: string },
  ) {
    const account = this.account
    if (!account) return connection.request({ case: 'resume', value: { ticket, device } })
    account.sync.listen(connection)
    const syncFromSyncId = BigInt(await account.store.getSyncPoint())
    return connection.request({ case: 'resume', value: { ticket, device, syncFromSyncId } })
  }

  /**
   * The session is up on `connection`: start sync (unless the resume already did), send the
   * outbox, and refresh the directory: first thing after a login, in the background after a
   * resume, so a reconnect costs one exchange.
   */
  private async goOnline(connection: Connection): Promise<void> {
    const account = this.account
    if (!account) return
    this.kickReason = null
    connection.onPush((frame) => {
      // A kick without a reconnect window ends the session (this device was retired); its reason
      // is what the person is shown when the resume that follows is refused.
      if (frame.body.case === 'kick' && frame.body.value.reconnectWithinMs === 0) {
        this.kickReason = frame.body.value.reason
      }
    })
    const resumedWithSync = this.syncStartedBy === connection
    if (!resumedWithSync) {
      await this.refreshDirectory(connection, account)
      await account.sync.start(connection)
    }
    void account.outbox.kick()
    void this.sendUnsentReads(account, connection).catch((error: unknown) =>
      log.info({ error: String(error) }, 'unsent read positions not sent'),
    )
    if (resumedWithSync) {
      void this.refreshDirectory(connection, account).catch((error: unknown) =>
        log.info({ error: String(error) }, 'directory refresh after resume failed'),
      )
    }
  }

  private async refreshDirectory(connection: Connection, account: Account): Promise<void> {
    const reply = await connection.request({ case: 'directoryRequest', value: {} })
    if (reply.body.case !== 'directoryReply') return
    await account.store.replaceDirectory({
      departments: reply.body.value.departments.map(departmentFromWire),
      people: reply.body.value.users.map(personFromWire),
    })
    this.emit('contactsChanged', {})
  }

  private async endSession(reason: string | null): Promise<void> {
    const account = this.account
    this.account = null
    this.signedOutReason = reason
    this.signedOutCode = reason === null ? null : signedOutCodeOf(reason)
    const link = this.link
    this.link = null
    await link?.stop()
    this.uploadEndpoint = null
    if (account) {
      account.attachments.close()
      await account.uploads.close()
      await account.store.setValue(KV_TICKET, '').catch(() => undefined)
      await account.store.close()
    }
    this.profile.lastAccount = null
    await this.writeProfile()
    this.connectionState = OFFLINE
    this.emit('connection', OFFLINE)
    this.emit('session', { session: null, reason, code: this.signedOutCode })
  }

  private makeAccount(me: Person, serverAddress: string, store: Store): Account {
    const sync = new SyncEngine(store, me.id, (applied) => {
      this.emitConversationChanges(
        [...applied.conversationIds],
        [...applied.messageConversationIds],
      )
      if (applied.contactsChanged) this.emit('contactsChanged', {})
      if (applied.devicesChanged) this.emit('devicesChanged', {})
    })
    const outbox = new OutboxSender(
      store,
      me.id,
      () => this.link?.connection ?? null,
      (conversationId) => this.emitConversationChanges([conversationId], [conversationId]),
    )
    // Uploads a previous run left unfinished go on once the session gives an endpoint.
    const uploads = new UploadManager({
      store: store.uploads,
      endpoint: () => this.uploadEndpoint,
      ...this.options.uploads,
    })
    const restored = uploads
      .restore()
      .catch((error: unknown) =>
        log.warn({ error: String(error) }, 'unfinished uploads not restored'),
      )
    const attachments = this.makeAttachments(me, store, uploads, outbox, restored)
    return { me, serverAddress, store, sync, outbox, uploads, attachments }
  }

  // ---- attachments (attachments/attachment-service.ts) -------------------------------------

  private makeAttachments(
    me: Person,
    store: Store,
    uploads: UploadManager,
    outbox: OutboxSender,
    restored: Promise<void>,
  ): AttachmentService {
    const attachments = new AttachmentService({
      store,
      myId: me.id,
      filesDir: accountFilesDir(this.options.profileDir, me.id),
      stagingDir: stagingDir(this.options.profileDir, me.id),
      uploads,
      endpoint: () => this.uploadEndpoint,
      kickOutbox: () => void outbox.kick(),
      changed: (conversationId) => this.emitConversationChanges([conversationId], [conversationId]),
      emit: (name, payload) => this.emit(name, payload),
      fileUrl: (senderId, clientMessageId) =>
        this.attachmentUrl?.(senderId, clientMessageId) ?? null,
    })
    void attachments
      .start(restored)
      .catch((error: unknown) => log.warn({ error: String(error) }, 'attachments not settled'))
    return attachments
  }

  /** Where browser mode's host stages files the page streams to it: the account's folder. */
  stagingDir(): string {
    return stagingDir(this.options.profileDir, this.account?.me.id)
  }

  /** The host that serves kept files to the page says how the page finds them. */
  serveAttachmentsAt(url: (senderId: string, clientMessageId: string) => string): void {
    this.attachmentUrl = url
  }

  /** A message's file as kept on this device, for the host that serves it; null when not here. */
  async attachmentFile(senderId: string, clientMessageId: string) {
    return this.account?.attachments.localFile(senderId, clientMessageId) ?? null
  }

  /** The attachment side of the signed-in account (tests). */
  get attachments(): AttachmentService | null {
    return this.account?.attachments ?? null
  }

  async sendFile(params: Args<'sendFile'>) {
    const account = this.requireAccount()
    return account.attachments.sendFile(
      params,
      this.enqueueWithAttachment(account, params.conversationId),
    )
  }

  async stageChunk(params: Args<'stageChunk'>) {
    this.requireAccount()
    return stageChunk(this.stagingDir(), params.stagedId, Buffer.from(params.chunkBase64, 'base64'))
  }

  async startVoice(params: Args<'startVoice'>) {
    const account = this.requireAccount()
    return account.attachments.startVoice(
      params,
      this.enqueueWithAttachment(account, params.conversationId),
    )
  }

  async appendVoice(params: Args<'appendVoice'>) {
    return this.requireAccount().attachments.appendVoice(params)
  }

  async finishVoice(params: Args<'finishVoice'>) {
    return this.requireAccount().attachments.finishVoice(params)
  }

  async discardVoice(params: Args<'discardVoice'>) {
    return this.requireAccount().attachments.discardVoice(params)
  }

  async retryMessage(params: Args<'retryMessage'>) {
    return this.requireAccount().attachments.retry(params)
  }

  async pauseUpload(params: Args<'pauseUpload'>) {
    return this.requireAccount().attachments.pause(params)
  }

  async resumeUpload(params: Args<'resumeUpload'>) {
    return this.requireAccount().attachments.resume(params)
  }

  async cancelUpload(params: Args<'cancelUpload'>) {
    return this.requireAccount().attachments.cancel(params)
  }

  async uploadFileForMicroApp(params: Args<'uploadFileForMicroApp'>) {
    return this.requireAccount().attachments.uploadForMicroApp(params)
  }

  async downloadFile(params: Args<'downloadFile'>) {
    return this.requireAccount().attachments.download(params)
  }

  /** Queues a message of mine with a file; it waits in the outbox for its upload. */
  private enqueueWithAttachment(account: Account, conversationId: string): EnqueueMessage {
    return async (text, attachment) => {
      await requireConversation(account, conversationId)
      const view = await account.store.enqueueMessage(
        {
          clientMessageId: randomUUID(),
          conversationId,
          text,
          createdAt: Date.now(),
          attempts: 0,
        },
        account.me.id,
        undefined,
        attachment,
      )
      this.emitConversationChanges([conversationId], [conversationId])
      return view
    }
  }

  /**
   * Opens the account's database with its key. A failure that needs the recovery screen is kept
   * as the store problem; a key is only ever made for a database that does not exist yet.
   */
  private async openStore(userId: string, options: { create: boolean }): Promise<Store> {
    const path = this.databasePath(userId)
    await mkdir(join(this.options.profileDir, 'accounts'), { recursive: true, mode: 0o700 })
    try {
      const key = await this.databaseKey(userId, path, options)
      return await Store.open(path, key, options)
    } catch (error) {
      if (error instanceof StoreOpenError && error.failure !== 'missing-database') {
        this.storeProblem = { userId, kind: error.failure, message: error.message }
      }
      throw error
    }
  }

  private async databaseKey(
    userId: string,
    path: string,
    options: { create: boolean },
  ): Promise<Buffer> {
    const keyStore = this.options.keyStore
    let key: Buffer | null
    try {
      key = await keyStore.getKey(userId)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      throw new StoreOpenError('key-unreadable', `the local database key cannot be read: ${detail}`)
    }
    if (key) return key
    if (existsSync(path)) {
      throw new StoreOpenError(
        'missing-key',
        `the key of the local database ${path} is missing from the ${keyStore.description}`,
      )
    }
    if (!options.create) throw new StoreOpenError('missing-database', `no database at ${path}`)
    return keyStore.getOrCreateKey(userId)
  }

  private databasePath(userId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(userId)) throw new HostError('INTERNAL', `bad user id ${userId}`)
    return join(this.options.profileDir, 'accounts', `${userId}.db`)
  }

  // ---- helpers -----------------------------------------------------------------------------

  private async keepConversation(
    account: Account,
    record: ReturnType<typeof conversationFromWire>,
  ): Promise<ConversationView> {
    await account.store.upsertConversation(record)
    this.emit('conversationsChanged', { conversationIds: [record.id] })
    const view = await account.store.getConversation(record.id, account.me.id)
    if (!view) throw new HostError('INTERNAL', 'conversation vanished')
    return view
  }

  private async request(body: FrameBody) {
    const connection = this.link?.connection
    if (!connection?.isOpen)
      throw new HostError('UNREACHABLE', 'offline: not connected to the server')
    try {
      return await connection.request(body)
    } catch (error) {
      throw toHostError(error)
    }
  }

  private requireAccount(): Account {
    if (!this.account) throw new HostError('NOT_SIGNED_IN', 'not signed in')
    return this.account
  }

  private sessionView(): SessionView | null {
    return this.account ? { me: this.account.me, serverAddress: this.account.serverAddress } : null
  }

  private emitConversationChanges(
    conversationIds: string[],
    messageConversationIds: string[],
  ): void {
    if (conversationIds.length > 0) this.emit('conversationsChanged', { conversationIds })
    for (const conversationId of messageConversationIds) {
      this.emit('messagesChanged', { conversationId })
    }
  }

  private emit<E extends HostEventName>(name: E, payload: HostEvents[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload)
      } catch (error) {
        log.error({ event: name, error: String(error) }, 'event listener failed')
      }
    }
  }

  private async readProfile(): Promise<Profile> {
    try {
      const text = await readFile(join(this.options.profileDir, 'profile.json'), 'utf8')
      const parsed = JSON.parse(text) as Partial<Profile>
      return {
        deviceId: typeof parsed.deviceId === 'string' ? parsed.deviceId : randomUUID(),
        lastAccount: parsed.lastAccount ?? null,
      }
    } catch {
      const profile: Profile = { deviceId: randomUUID(), lastAccount: null }
      this.profile = profile
      await this.writeProfile()
      return profile
    }
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a profile. */
  private async writeProfile(): Promise<void> {
    await mkdir(this.options.profileDir, { recursive: true, mode: 0o700 })
    const path = join(this.options.profileDir, 'profile.json')
    await writeFile(`${path}.tmp`, JSON.stringify(this.profile, null, 2), { mode: 0o600 })
    await rename(`${path}.tmp`, path)
  }
}

function linkTuning(settings: NonNullable<ClientCoreOptions['connection']>): LinkTuning {
  const initialMs = settings.heartbeatMs ?? DEFAULT_HEARTBEAT.initialMs
  return {
    heartbeat: {
      initialMs,
      minMs: settings.heartbeatMinMs ?? Math.min(initialMs, DEFAULT_HEARTBEAT.minMs),
      maxMs: settings.heartbeatMaxMs ?? Math.max(initialMs, DEFAULT_HEARTBEAT.maxMs),
    },
    rtt: settings.minRtoMs === undefined ? {} : { minRtoMs: settings.minRtoMs },
  }
}

/** Diagnostics while no link runs (signed out). */
function idleDiagnostics(heartbeatMs?: number): Omit<NetworkDiagnostics, 'connection'> {
  return {
    address: null,
    heartbeatIntervalMs: heartbeatMs ?? DEFAULT_HEARTBEAT.initialMs,
    heartbeatPhase: 'probing',
    srttMs: null,
    rttvarMs: null,
    rtoMs: DEFAULT_RTT_OPTIONS.initialRtoMs,
    tlsSessionReused: null,
    connects: 0,
    lastCloseReason: null,
  }
}

function isFatalSessionError(error: unknown): boolean {
  return (
    error instanceof ServerError &&
    [
      ErrorCode.BAD_CREDENTIALS,
      ErrorCode.UNAUTHENTICATED,
      ErrorCode.TICKET_EXPIRED,
      ErrorCode.DEVICE_RETIRED,
    ].includes(error.code)
  )
}

/** What the person is told when the server ends the session; a retired device hears why. */
function endedReason(error: unknown): string {
  if (error instanceof ServerError && error.code === ErrorCode.DEVICE_RETIRED) return error.message
  return 'Your session has ended; please sign in again.'
}

/** An unreachable server at sign-in names the address, so the UI can say which. */
function loginError(error: HostError, serverAddress: string): HostError {
  if (error.code !== 'UNREACHABLE') return error
  return new HostError('UNREACHABLE', error.message, { address: serverAddress })
}

/** Refuses a write to a conversation this store does not have. */
async function requireConversation(account: Account, conversationId: string): Promise<void> {
  if (!(await account.store.hasConversation(conversationId))) {
    throw new HostError('NOT_FOUND', `no conversation ${conversationId}`)
  }
}

function toHostError(error: unknown): HostError {
  if (error instanceof HostError) return error
  if (error instanceof ServerError) {
    if (error.code === ErrorCode.BAD_CREDENTIALS) {
      return new HostError('BAD_CREDENTIALS', 'Wrong username or password')
    }
    if (error.code === ErrorCode.NOT_FOUND) return new HostError('NOT_FOUND', error.message)
    if (error.code === ErrorCode.BAD_REQUEST) return new HostError('BAD_PARAMS', error.message)
    if (error.code === ErrorCode.BOT_MEMBER_REFUSED) {
      return new HostError('BOT_MEMBER_REFUSED', error.message)
    }
    if (error.code === ErrorCode.FORBIDDEN) return new HostError('NOT_ALLOWED', error.message)
    return new HostError('SERVER_ERROR', `${error.codeName}: ${error.message}`)
  }
  if (error instanceof ConnectionLostError) return new HostError('UNREACHABLE', error.message)
  log.error({ error: String(error) }, 'unexpected error')
  return new HostError('INTERNAL', 'internal error')
}
