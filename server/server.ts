// The reference server: certificates, storage and seed in a data folder, and the access layer.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createLogger } from '../shared/logger'
import { AccessServer } from './access/access-server'
import { seedDemoOrganisation } from './seed/demo-org'
import { openSqliteStorage } from './storage/sqlite-storage'
import type { Storage } from './storage/storage'
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
  /** Most sync items in one packet. Default 100. */
  packetItems?: number
}

export interface TackServer {
  /** host:port, e.g. "127.0.0.1:7443". */
  address: string
  port: number
  /** The CA clients trust to verify the server. */
  caPem: string
  caPath: string
  close(): Promise<void>
}

export const DATABASE_FILE = 'tack.db'

export async function startServer(options: ServerOptions): Promise<TackServer> {
  const dataDir = resolve(options.dataDir)
  const host = options.host ?? '127.0.0.1'

  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const credentials = await ensureCertificates(dataDir)
  const storage = await openStorage(dataDir, options.seed ?? true)

  const access = new AccessServer({
    storage,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    sync: {
      resendMs: options.syncResendMs ?? 10_000,
      window: options.syncWindow ?? 4,
      packetItems: options.packetItems ?? 100,
    },
  })
  const port = await access.listen(host, options.port ?? 0).catch(async (error: unknown) => {
    await closeServer(access, storage)
    throw error
  })

  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`
  log.info({ address, dataDir }, 'server started')
  let closing: Promise<void> | undefined
  return {
    address,
    port,
    caPem: credentials.caPem,
    caPath: credentials.caPath,
    close: () => (closing ??= closeServer(access, storage)),
  }
}

async function openStorage(dataDir: string, seed: boolean): Promise<Storage> {
  const storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
  try {
    if (seed && storage.isEmpty()) await seedDemoOrganisation(storage)
    return storage
  } catch (error) {
    storage.close()
    throw error
  }
}

async function closeServer(access: AccessServer, storage: Storage): Promise<void> {
  await access.close()
  storage.close()
  log.info('server stopped')
}
