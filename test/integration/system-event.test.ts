// A system event (resume from sleep, a network change) makes the client core probe its link at
// once: a path that died while the machine slept is noticed in about one probe, not one heartbeat.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientCore } from '../../electron/core/client-core'
import { FileKeyStore } from '../../electron/core/store/key-store'
import { startServer, type TackServer } from '../../server/server'
import { FaultProxy } from '../netsim/fault-proxy'

async function until(probe: () => Promise<boolean>, what: string, ms = 10_000): Promise<number> {
  const started = Date.now()
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return Date.now() - started
}

describe('client core and system events', () => {
  let dir: string
  let server: TackServer
  let proxy: FaultProxy
  let core: ClientCore

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-sys-'))
    server = await startServer({ dataDir: join(dir, 'server') })
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: server.port } })
    core = new ClientCore({
      profileDir: join(dir, 'a'),
      keyStore: new FileKeyStore(join(dir, 'a', 'keys')),
      defaultServerAddress: proxy.address,
      trustedCaPem: server.caPem,
      device: { name: 'a', platform: 'test' },
      connection: { heartbeatMs: 60_000, pingTimeoutMs: 500, connectTimeoutMs: 1_000 },
    })
    await core.start()
    await core.login({ serverAddress: proxy.address, username: 'alice', password: 'demo1234' })
  })

  afterEach(async () => {
    await core.close()
    await proxy.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const status = async () => (await core.getState()).connection.status

  it('notices a link that died in sleep right after the resume event and comes back online', async () => {
    proxy.blackhole()

    core.onSystemEvent('resume')
    const noticedMs = await until(async () => (await status()) !== 'online', 'the dead link')
    proxy.restore()
    await core.retryNow()
    await until(async () => (await status()) === 'online', 'back online')

    expect(noticedMs).toBeLessThan(1_500)
    const diagnostics = await core.getNetworkDiagnostics()
    expect(diagnostics.lastCloseReason).toMatch(/system probe/)
    expect(diagnostics.connects).toBeGreaterThanOrEqual(2)
    expect(diagnostics.heartbeatIntervalMs).toBe(60_000)
  })

  it('keeps a healthy link online through a network-changed event', async () => {
    core.onSystemEvent('network-changed')
    await new Promise((resolve) => setTimeout(resolve, 700))

    expect(await status()).toBe('online')
    expect((await core.getNetworkDiagnostics()).connects).toBe(1)
  })
})
