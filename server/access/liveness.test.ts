// The access layer's side of staying connected: immediate probes, resume with sync in one
// exchange, an idle timeout for silent connections and a spread reconnect on shutdown.
import { afterEach, describe, expect, it } from 'vitest'
import { bodyOf, FrameClient } from '../test/frame-client'
import {
  makeSeededDataDir,
  removeDataDir,
  startTestServer,
  testDevice,
  type TestServer,
} from '../test/harness'

describe('access layer liveness', () => {
  let test: TestServer | undefined

  afterEach(async () => {
    await test?.close()
    if (test) await removeDataDir(test.dataDir)
    test = undefined
  })

  async function start(options: { idleTimeoutMs?: number; reconnectWindowMs?: number } = {}) {
    test = await startTestServer({ dataDir: await makeSeededDataDir(), ...options })
    return test
  }

  it('answers an immediate ping ahead of a login still hashing its password', async () => {
    const server = await start()
    const client = await server.connect()
    const order: string[] = []

    const login = client
      .request({
        case: 'login',
        value: { username: 'alice', password: 'demo1234', device: testDevice('probe') },
      })
      .then((frame) => order.push(frame.body.case ?? 'none'))
    const probe = client
      .request({ case: 'ping', value: { sentAtMs: 1n, immediate: true } })
      .then((frame) => order.push(frame.body.case ?? 'none'))
    await Promise.all([login, probe])

    expect(order).toEqual(['pong', 'session'])
  })

  it('resumes a session and restarts its sync stream in one exchange', async () => {
    const server = await start()
    const { session } = await server.login('alice', 'alice-resume')
    const client = await server.connect()

    const resumed = await client.call(
      {
        case: 'resume',
        value: { ticket: session.ticket, device: testDevice('alice-resume'), syncFromSyncId: 0n },
      },
      'session',
    )
    const packet = bodyOf(await client.nextPush(), 'syncPacket')

    expect(resumed.syncStarted).toBe(true)
    expect(packet.fromSyncId).toBe(0n)
    expect(packet.items.length).toBeGreaterThan(0)
  })

  it('resumes without starting sync when the sync point is past the log head', async () => {
    const server = await start()
    const { session } = await server.login('bob', 'bob-resume')
    const client = await server.connect()

    const resumed = await client.call(
      {
        case: 'resume',
        value: { ticket: session.ticket, device: testDevice('bob-resume'), syncFromSyncId: 1000n },
      },
      'session',
    )

    expect(resumed.syncStarted).toBe(false)
    expect(await client.pushesWithin(100)).toEqual([])
  })

  it('drops a connection that stays silent past the idle timeout and keeps a talkative one', async () => {
    const server = await start({ idleTimeoutMs: 300 })
    const silent = await server.connect()
    const talkative = await server.connect()

    const pinging = setInterval(
      () => void talkative.request({ case: 'ping', value: { sentAtMs: 0n } }).catch(() => 0),
      100,
    )
    try {
      await silent.closed
      const pong = await talkative.call({ case: 'ping', value: { sentAtMs: 2n } }, 'pong')
      expect(pong.sentAtMs).toBe(2n)
    } finally {
      clearInterval(pinging)
    }
  })

  it('kicks every connection on shutdown with the reconnect window', async () => {
    const server = await start({ reconnectWindowMs: 12_345 })
    const client = await FrameClient.connect({
      port: server.server.port,
      caPem: server.server.caPem,
    })
    await client.call({ case: 'ping', value: { sentAtMs: 0n } }, 'pong')

    const closing = server.server.close()
    const kick = bodyOf(await client.nextPush(), 'kick')
    await client.closed
    await closing

    expect(kick.reconnectWithinMs).toBe(12_345)
    expect(kick.reason).toMatch(/shutting down/)
  })
})
