// The reference server: certificates, storage and seed in a data folder, and the access layer.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createLogger } from '../shared/logger'
import { AccessServer } from './access/access-server'
import { registerDemoMicroApp } from './open-platform/demo-app'
import { OpenApiServer } from './open-platform/open-api-server'
import { OpenPlatform, setAuthCodeLifetime } from './open-platform/registry'
import { UploadServer } from './upload/upload-server'
import { seedDemoOrganisation } from './seed/demo-org'
import { openSqliteStorage } from './storage/sqlite-storage'
import type { Storage, SyncLogRetention } from './storage/storage'
import { startRetention } from './sync/retention'
import { ensureCertificates } from './tls/certificates'

const log = createLogger('server')

export interface ServerOptions {
  /** Holds the CA, the server certificate and the database; made if missing. */
  dataDir: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: a random free port. */
  port?: number
  /** Seed the demo organisation into an empty database. Default true. */
  seed?: boolean
  /** How long the oldest unacknowledged sync packet waits before a resend. Default 10000. */
  syncResendMs?: number
  /** Most sync packets unacknowledged at once. Default 4. */
  syncWindow?: number
  /**
   * Most sync items in one packet (and at most half a frame of bytes). Default 1000: a device
   * catching up applies each packet in one transaction, and larger ones apply faster.
   */
  packetItems?: number
  /**
   * How much of each user's sync log to keep (newest items, or items younger than an age).
   * Default: everything. A device whose sync point is older than what is kept gets a reset.
   */
  syncRetention?: SyncLogRetention
  /** How often the logs are pruned to the retention. Default one hour. */
  syncPruneIntervalMs?: number
  /**
   * Groups of at least this many members keep one shared log that members' logs take in when
   * they sync, instead of an item in every member's log per message. Default 100.
   */
  groupLogFrom?: number
  /**
   * A connection silent this long is dropped. Default 330000: above the client's longest
   * heartbeat interval (270 s) and its probe's answer time.
   */
  idleTimeoutMs?: number
  /** On shutdown, clients are asked to reconnect at a random time within this. Default 30000. */
  reconnectWindowMs?: number
  /** The open platform's HTTPS port. Default 0: a random free port. */
  openApiPort?: number
  /** Registers (or moves) the demo micro-app at this URL; with seeding it defaults to :7480. */
  demoMicroAppUrl?: string
  /** Free-login codes live this long. Default five minutes; tests of expiry shorten it. */
  authCodeLifetimeMs?: number
  /** The upload endpoint's HTTPS port. Default 0: a random free port. */
  uploadPort?: number
  /** Largest upload in bytes. Default 4 GiB. */
  maxUploadBytes?: number
  /** Unfinished uploads expire this long after creation. Default a week; tests shorten it. */
  uploadExpiryMs?: number
}

export interface TackServer {
  /** host:port, e.g. "127.0.0.1:7443". */
  address: string
  port: number
  /** The CA clients trust to verify the server. */
  caPem: string
  caPath: string
  /** The open platform's base URL for micro-app backends, e.g. "https://127.0.0.1:7444". */
  openApiUrl: string
  /** Prunes every sync log to the retention now (it also runs on its own); returns items gone. */
  pruneSyncLogs(): number
  /** The upload endpoint's base URL, e.g. "https://127.0.0.1:7445" (tus at /uploads). */
  uploadUrl: string
  /** File bytes the upload endpoint has received since the start (resent ones included). */
  uploadBytesReceived(): number
  close(): Promise<void>
}

export const DATABASE_FILE = 'tack.db'
/** Uploads in progress and finished files, inside the data folder. */
export const UPLOADS_FOLDER = 'uploads'

export async function startServer(options: ServerOptions): Promise<TackServer> {
  const dataDir = resolve(options.dataDir)
  const host = options.host ?? '127.0.0.1'

  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const credentials = await ensureCertificates(dataDir)
  const storage = await openStorage(dataDir, options.seed ?? true, options.groupLogFrom)
  if (options.demoMicroAppUrl || ((options.seed ?? true) && !storage.listMicroApps().length)) {
    registerDemoMicroApp(storage, options.demoMicroAppUrl)
  }

  const uploads = new UploadServer({
    storage,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    directory: join(dataDir, UPLOADS_FOLDER),
    maxSizeBytes: options.maxUploadBytes,
    expiryMs: options.uploadExpiryMs,
    // Members of a conversation where a message carries the file (not recalled).
    mayDownload: (userId, file) => storage.attachmentVisibleTo(file.fileId, userId),
  })
  const uploadPort = await uploads
    .listen(host, options.uploadPort ?? 0)
    .catch(async (error: unknown) => {
      await uploads.close()
      storage.close()
      throw error
    })

  const access = new AccessServer({
    storage,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    sync: {
      resendMs: options.syncResendMs ?? 10_000,
      window: options.syncWindow ?? 4,
      packetItems: options.packetItems ?? 1000,
    },
    idleTimeoutMs: options.idleTimeoutMs ?? 330_000,
    reconnectWindowMs: options.reconnectWindowMs ?? 30_000,
    uploadPort,
  })
  setAuthCodeLifetime(options.authCodeLifetimeMs)
  const openApi = new OpenApiServer({
    storage,
    platform: new OpenPlatform(storage),
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    logsGrew: (userIds) => access.hub.logsGrew(userIds),
  })
  const close = () => closeServer(access, storage, openApi, uploads)
  const port = await access.listen(host, options.port ?? 0).catch(async (error: unknown) => {
    await close()
    throw error
  })
  const openApiPort = await openApi
    .listen(host, options.openApiPort ?? 0)
    .catch(async (error: unknown) => {
      await close()
      throw error
    })

  const hostPart = host.includes(':') ? `[${host}]` : host
  const address = `${hostPart}:${port}`
  const openApiUrl = `https://${hostPart}:${openApiPort}`
  const uploadUrl = `https://${hostPart}:${uploadPort}`
  log.info({ address, openApiUrl, uploadUrl, dataDir }, 'server started')
  const retention = startRetention(
    storage,
    options.syncRetention,
    options.syncPruneIntervalMs ?? 3_600_000,
    () => access.hub.logsPruned(),
  )
  let closing: Promise<void> | undefined
  return {
    address,
    port,
    caPem: credentials.caPem,
    caPath: credentials.caPath,
    openApiUrl,
    uploadUrl,
    uploadBytesReceived: () => uploads.bytesReceived,
    pruneSyncLogs: () => retention.prune(),
    close: () => {
      retention.stop()
      return (closing ??= close())
    },
  }
}

async function openStorage(
  dataDir: string,
  seed: boolean,
  groupLogFrom: number | undefined,
): Promise<Storage> {
  const storage = openSqliteStorage(join(dataDir, DATABASE_FILE), { groupLogFrom })
  try {
    if (seed && storage.isEmpty()) await seedDemoOrganisation(storage)
    return storage
  } catch (error) {
    storage.close()
    throw error
  }
}

async function closeServer(
  access: AccessServer,
  storage: Storage,
  openApi: OpenApiServer,
  uploads: UploadServer,
): Promise<void> {
  await access.close()
  await openApi.close()
  await uploads.close()
  storage.close()
  log.info('server stopped')
}
