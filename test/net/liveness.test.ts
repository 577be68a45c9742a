// The client's connection and link against the real server through the fault proxy: dead links
// noticed fast, while idle and while requests wait; address racing; reconnect timing.
import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Connection, type ConnectionOptions } from '../../electron/core/net/connection'
import { Link } from '../../electron/core/net/link'
import { RttEstimator } from '../../electron/core/net/rtt-estimator'
import { SmartHeartbeat } from '../../electron/core/net/smart-heartbeat'
import type { ConnectionState } from '../../shared/host-api'
import {
  makeSeededDataDir,
  removeDataDir,
  startTestServer,
  type TestServer,
} from '../../server/test/harness'
import { FaultProxy } from '../netsim/fault-proxy'

const FIXED_HEARTBEAT = (ms: number) =>
  new SmartHeartbeat({ initialMs: ms, minMs: ms, maxMs: ms, stepMs: 0, confirmations: 1 })

describe('dead-link detection and reconnect', () => {
  let test: TestServer
  let proxy: FaultProxy
  const cleanups: (() => Promise<void> | void)[] = []

  beforeEach(async () => {
    test = await startTestServer({ dataDir: await makeSeededDataDir(), reconnectWindowMs: 2_000 })
    proxy = await FaultProxy.start({
      target: { host: '127.0.0.1', port: test.server.port },
      faults: { latencyMs: 20 },
    })
  })

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    await proxy.close()
    await test.close()
    await removeDataDir(test.dataDir)
  })

  function options(extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
    return { address: proxy.address, caPem: test.server.caPem, ...extra }
  }

  async function open(extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
    const connection = await Connection.open(options(extra))
    cleanups.push(() => connection.close('test over'))
    return connection
  }

  async function ping(connection: Connection): Promise<void> {
    await connection.request({ case: 'ping', value: { sentAtMs: 0n } })
  }

  it('notices a link black-holed under a pending request within an RTO and a short probe', async () => {
    const rtt = new RttEstimator({ initialRtoMs: 1_000, minRtoMs: 300, maxRtoMs: 5_000 })
    const connection = await open({ rtt, heartbeat: FIXED_HEARTBEAT(60_000) })
    for (let i = 0; i < 5; i += 1) await ping(connection)

    proxy.blackhole()
    const started = Date.now()
    const request = connection.request({ case: 'directoryRequest', value: {} }, 30_000)
    const reason = await connection.closed
    const elapsed = Date.now() - started

    await expect(request).rejects.toThrow(/dead link/)
    expect(reason).toMatch(/pending probe/)
    expect(elapsed).toBeLessThan(rtt.rtoMs + 1_000 + 500)
  })

  it('notices an idle black-holed link one heartbeat interval and a probe later', async () => {
    const heartbeat = FIXED_HEARTBEAT(400)
    const connection = await open({ heartbeat, minProbeTimeoutMs: 300, pingTimeoutMs: 600 })
    await ping(connection)

    proxy.blackhole()
    const started = Date.now()
    const reason = await connection.closed

    expect(reason).toMatch(/heartbeat probe/)
    expect(Date.now() - started).toBeLessThan(400 + 600 + 300)
  })

  it('keeps an idle healthy link open with heartbeats answered', async () => {
    const connection = await open({ heartbeat: FIXED_HEARTBEAT(100) })

    await new Promise((resolve) => setTimeout(resolve, 600))

    expect(connection.isOpen).toBe(true)
    expect(connection.rtt.sampleCount).toBeGreaterThanOrEqual(3)
  })

  it('probes at once on a system event and closes a dead link without waiting for the heartbeat', async () => {
    const connection = await open({
      heartbeat: FIXED_HEARTBEAT(60_000),
      minProbeTimeoutMs: 200,
      pingTimeoutMs: 400,
    })
    await ping(connection)
    proxy.blackhole()

    const started = Date.now()
    connection.probeNow('system')
    const reason = await connection.closed

    expect(reason).toMatch(/system probe/)
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  it('resumes the TLS session when it reconnects with the session it kept', async () => {
    const first = await open()
    await ping(first)
    const session = first.tlsSession
    const firstReused = first.tlsSessionReused
    first.close('done')

    const second = await open({ tlsSession: session })

    expect(session).toBeDefined()
    expect(firstReused).toBe(false)
    expect(second.tlsSessionReused).toBe(true)
  })

  it('lets go of the stop signal once each dial has settled', async () => {
    const stopping = new AbortController()

    for (let i = 0; i < 12; i += 1) (await open({ signal: stopping.signal })).close('next')
    await expect(open({ address: '127.0.0.1:1', signal: stopping.signal })).rejects.toThrow()

    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0)
  })

  it('races access addresses: a black-holed first address loses to a working second', async () => {
    const hole = await FaultProxy.start({ target: { host: '127.0.0.1', port: test.server.port } })
    cleanups.push(() => hole.close())
    hole.blackhole()

    const started = Date.now()
    const connection = await open({
      address: hole.address,
      fallbackAddresses: [proxy.address],
      race: { staggerMs: 150, maxInFlight: 3 },
    })

    expect(connection.address).toBe(proxy.address)
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  function startLink(
    extra: Partial<ConnectionOptions> = {},
    backoffCapMs = 5_000,
    stableUptimeMs = 0,
  ) {
    const states: (ConnectionState & { at: number })[] = []
    const link = new Link(
      { ...options(), heartbeatMs: 60_000, minProbeTimeoutMs: 200, pingTimeoutMs: 400, ...extra },
      {
        authenticate: (connection) => ping(connection),
        online: async () => undefined,
        isFatal: () => false,
        stopped: () => undefined,
        stateChanged: (state) => states.push({ ...state, at: Date.now() }),
      },
      { baseMs: 200, capMs: backoffCapMs, stableUptimeMs },
      { heartbeat: { initialMs: 60_000 } },
    )
    cleanups.push(() => link.stop())
    return { link, states }
  }

  async function onlineCount(states: ConnectionState[], count: number): Promise<void> {
    const deadline = Date.now() + 10_000
    while (states.filter((state) => state.status === 'online').length < count) {
      if (Date.now() > deadline) throw new Error(`not online ${count} times`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it('replaces a connection that died after a stable while at once, without a backoff wait', async () => {
    const { link, states } = startLink({}, 5_000, 300)
    await link.start({ failFast: true })
    await new Promise((resolve) => setTimeout(resolve, 400))

    const cutAt = Date.now()
    proxy.resetAll()
    await onlineCount(states, 2)

    const back = states.filter((state) => state.status === 'online')[1]!
    expect(back.at - cutAt).toBeLessThan(500)
    expect(states.some((state) => state.status === 'waiting' && state.at >= cutAt)).toBe(false)
  })

  it('backs off, not reconnects at once, when a connection dies right after it came up', async () => {
    const { link, states } = startLink({}, 5_000, 60_000)
    await link.start({ failFast: true })

    const cutAt = Date.now()
    proxy.resetAll()
    await onlineCount(states, 2)

    expect(states.some((state) => state.status === 'waiting' && state.at >= cutAt)).toBe(true)
  })

  it('comes back within the window a restarting server names, waiting meanwhile', async () => {
    const { link, states } = startLink({}, 30_000)
    await link.start({ failFast: true })
    const port = test.server.port

    await test.server.close()
    const waiting = await (async () => {
      const deadline = Date.now() + 5_000
      for (;;) {
        const state = states.find((s) => s.status === 'waiting')
        if (state) return state
        if (Date.now() > deadline) throw new Error('never waited')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    const restarted = await startTestServer({ dataDir: test.dataDir, port })
    cleanups.push(() => restarted.close())
    link.retryNow()
    await onlineCount(states, 2)

    expect(waiting.retryAt! - waiting.at).toBeLessThanOrEqual(2_000)
  })

  it('stops at once while a dial hangs in a black hole', async () => {
    proxy.blackhole()
    const { link } = startLink({ connectTimeoutMs: 20_000 })
    void link.start({ failFast: false })
    await new Promise((resolve) => setTimeout(resolve, 200))

    const started = Date.now()
    await link.stop()

    expect(Date.now() - started).toBeLessThan(500)
    expect(link.connectionState.status).toBe('offline')
  })

  it('never holds more than one open connection through resets, black holes and probes', async () => {
    const opened: Connection[] = []
    const link = new Link(
      { ...options(), heartbeatMs: 60_000, minProbeTimeoutMs: 200, pingTimeoutMs: 400 },
      {
        authenticate: async (connection) => {
          opened.push(connection)
          await ping(connection)
        },
        online: async () => undefined,
        isFatal: () => false,
        stopped: () => undefined,
        stateChanged: () => undefined,
      },
      { baseMs: 50, capMs: 300 },
    )
    cleanups.push(() => link.stop())
    await link.start({ failFast: true })
    let most = 0
    const watch = setInterval(() => {
      most = Math.max(most, opened.filter((connection) => connection.isOpen).length)
    }, 2)

    for (let round = 0; round < 6; round += 1) {
      if (round % 2 === 0) proxy.resetAll()
      else {
        proxy.blackhole(300)
        link.probeNow()
        link.probeNow()
      }
      await new Promise((resolve) => setTimeout(resolve, 700))
    }
    proxy.restore()
    const deadline = Date.now() + 10_000
    while (!link.connection?.isOpen && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    clearInterval(watch)

    expect(opened.length).toBeGreaterThanOrEqual(4)
    expect(most).toBe(1)
    expect(link.connection?.isOpen).toBe(true)
  })
})
