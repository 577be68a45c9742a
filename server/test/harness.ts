// Test servers in temporary data folders, signed-in clients, sync helpers and log capture.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SyncItem, SyncPacket } from '../../shared/gen/tack_pb'
import { configureLogging, type LogLevel } from '../../shared/logger'
import { DEMO_PASSWORD, seedDemoOrganisation } from '../seed/demo-org'
import { DATABASE_FILE, startServer, type ServerOptions, type TackServer } from '../server'
import { openSqliteStorage } from '../storage/sqlite-storage'
import { FrameClient, bodyOf, type BodyValue } from './frame-client'

/** The level vitest.setup.ts gives every test run; captureLogs returns to it. */
const TEST_LOG_LEVEL = (process.env.TACK_LOG_LEVEL as LogLevel | undefined) ?? 'silent'

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tack-server-'))
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true })
}

let seededDatabase: Promise<Buffer> | undefined

/**
 * A data folder holding a copy of a freshly seeded database. Seeding hashes every demo password,
 * so a test file seeds once and its servers start from copies.
 */
export async function makeSeededDataDir(): Promise<string> {
  seededDatabase ??= seedOnce()
  const dataDir = await makeDataDir()
  await writeFile(join(dataDir, DATABASE_FILE), await seededDatabase)
  return dataDir
}

async function seedOnce(): Promise<Buffer> {
  const dataDir = await makeDataDir()
  try {
    const storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
    await seedDemoOrganisation(storage).finally(() => storage.close())
    return await readFile(join(dataDir, DATABASE_FILE))
  } finally {
    await removeDataDir(dataDir)
  }
}

export interface TestServer {
  server: TackServer
  dataDir: string
  connect(): Promise<FrameClient>
  /** A new connection signed in as `username` with the demo password. */
  login(username: string, deviceId?: string): Promise<SignedIn>
  /** Closes every client this test server made, then the server. */
  close(): Promise<void>
}

export interface SignedIn {
  client: FrameClient
  session: BodyValue<'session'>
}

export async function startTestServer(
  options: Partial<ServerOptions> & { dataDir: string },
): Promise<TestServer> {
  const server = await startServer(options)
  const clients: FrameClient[] = []
  const connect = async () => {
    const client = await FrameClient.connect({ port: server.port, caPem: server.caPem })
    clients.push(client)
    return client
  }
  return {
    server,
    dataDir: options.dataDir,
    connect,
    login: async (username, deviceId = `${username}-laptop`) => {
      const client = await connect()
      const session = await client.call(
        {
          case: 'login',
          value: { username, password: DEMO_PASSWORD, device: testDevice(deviceId) },
        },
        'session',
      )
      return { client, session }
    },
    close: async () => {
      for (const client of clients) client.close()
      await server.close()
    },
  }
}

export function testDevice(deviceId: string) {
  return { deviceId, name: `Test ${deviceId}`, platform: 'linux' }
}

/** Asks for sync packets after `fromSyncId` and checks the server's ok. */
export async function requestSync(client: FrameClient, fromSyncId: bigint): Promise<void> {
  await client.call({ case: 'syncRequest', value: { fromSyncId } }, 'ok')
}

export async function nextPacket(client: FrameClient, waitMs?: number): Promise<SyncPacket> {
  return bodyOf(await client.nextPush(waitMs), 'syncPacket')
}

export function ack(client: FrameClient, packet: SyncPacket): void {
  client.sendPush({
    case: 'syncAck',
    value: { packetNo: packet.packetNo, syncId: packet.toSyncId },
  })
}

/**
 * Reads and acknowledges sync packets until `count` items have arrived, checking on the way that
 * packets join up and sync ids rise by one. Returns the items in order.
 */
export async function receiveItems(client: FrameClient, count: number): Promise<SyncItem[]> {
  const items: SyncItem[] = []
  let previous: SyncPacket | undefined
  while (items.length < count) {
    const packet = await nextPacket(client)
    if (previous && packet.fromSyncId !== previous.toSyncId) {
      throw new Error(`packet ${packet.packetNo} starts at ${packet.fromSyncId}`)
    }
    for (const [index, item] of packet.items.entries()) {
      if (item.syncId !== packet.fromSyncId + BigInt(index) + 1n) {
        throw new Error(`sync id ${item.syncId} out of order in packet ${packet.packetNo}`)
      }
    }
    items.push(...packet.items)
    ack(client, packet)
    previous = packet
  }
  return items
}

/** The user's log head as the server reports it to a fresh session. */
export async function headSyncId(test: TestServer, username: string): Promise<bigint> {
  const { client, session } = await test.login(username, `${username}-head-probe`)
  client.close()
  return session.headSyncId
}

export interface CapturedLogs {
  records(): Record<string, unknown>[]
  restore(): void
}

/** Sends log lines at `level` and above to memory until restore(). */
export function captureLogs(level: LogLevel = 'warn'): CapturedLogs {
  const lines: string[] = []
  configureLogging({ level, destination: { write: (line: string) => void lines.push(line) } })
  return {
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => configureLogging({ level: TEST_LOG_LEVEL }),
  }
}
