import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FrameClient } from './test/frame-client'
import {
  makeDataDir,
  makeSeededDataDir,
  removeDataDir,
  startTestServer,
  testDevice,
  type TestServer,
} from './test/harness'
import { CERTIFICATE_FILES } from './tls/certificates'

describe('server start', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function startIn(dataDir: string): Promise<TestServer> {
    const test = await startTestServer({ dataDir })
    cleanups.push(() => test.close())
    return test
  }

  /** An empty data folder, or with `seeded` one holding a copy of a seeded database. */
  async function newDataDir(seeded = false): Promise<string> {
    const dataDir = seeded ? await makeSeededDataDir() : await makeDataDir()
    cleanups.push(() => removeDataDir(dataDir))
    return dataDir
  }

  async function readCertificateFiles(dataDir: string) {
    const files: Record<string, { pem: string; mode: number }> = {}
    for (const name of Object.values(CERTIFICATE_FILES)) {
      const path = join(dataDir, name)
      files[name] = { pem: await readFile(path, 'utf8'), mode: (await stat(path)).mode & 0o777 }
    }
    return files
  }

  it('creates a CA and a server certificate on first start and reuses them on the next', async () => {
    const dataDir = await newDataDir()

    const first = await startIn(dataDir)
    const created = await readCertificateFiles(dataDir)
    expect(first.server.caPath).toBe(join(dataDir, 'ca.pem'))
    expect(first.server.caPem).toBe(created['ca.pem']!.pem)
    expect(created['ca-key.pem']!.mode).toBe(0o600)
    expect(created['server-key.pem']!.mode).toBe(0o600)
    await first.close()

    const second = await startIn(dataDir)
    expect(await readCertificateFiles(dataDir)).toEqual(created)
    expect(second.server.caPem).toBe(first.server.caPem)
  })

  it('serves TLS 1.3 to a client that trusts its CA and fails verification without it', async () => {
    const { server, connect } = await startIn(await newDataDir(true))

    const trusting = await connect()
    expect(trusting.protocol).toBe('TLSv1.3')

    await expect(FrameClient.connect({ port: server.port })).rejects.toThrow(/certificate|verify/i)
  })

  it('resumes a session with the same ticket after a restart on the same data folder', async () => {
    const dataDir = await newDataDir(true)
    const first = await startIn(dataDir)
    const { session } = await first.login('alice', 'alice-desktop')
    await first.close()

    const second = await startIn(dataDir)
    const client = await second.connect()
    const resumed = await client.call(
      { case: 'resume', value: { ticket: session.ticket, device: testDevice('alice-desktop') } },
      'session',
    )
    expect(resumed.ticket).toBe(session.ticket)
    expect(resumed.me?.username).toBe('alice')
    expect(resumed.headSyncId).toBe(session.headSyncId)
  })
})
