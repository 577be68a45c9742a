// The client core on a link that keeps dropping (resets and black holes every fraction of a
// second, through the fault proxy): every message typed meanwhile arrives exactly once, in order.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { startServer, type TackServer } from '../../server/server'
import { FaultProxy, PROFILES } from '../netsim/fault-proxy'
import { makeTestCore } from '../support/cores'
import { until } from '../support/wait'

const FLAPPING_FAST = {
  ...PROFILES.flapping,
  flap: {
    everyMs: [300, 900] as [number, number],
    blackholeMs: [200, 600] as [number, number],
    resetShare: 0.5,
  },
}

const TUNED = {
  connectTimeoutMs: 1_500,
  heartbeatMs: 1_000,
  requestTimeoutMs: 3_000,
  pingTimeoutMs: 400,
  minRtoMs: 200,
  backoffBaseMs: 50,
  backoffCapMs: 400,
}

const WAIT = { timeoutMs: 30_000, intervalMs: 100 }

describe('client core on a flapping link', () => {
  let dir: string
  let server: TackServer
  let proxy: FaultProxy
  const cores: ClientCore[] = []

  function makeCore(name: string, address: string): ClientCore {
    const core = makeTestCore(dir, name, { address, caPem: server.caPem }, TUNED)
    cores.push(core)
    return core
  }

  async function signedIn(name: string, username: string, address: string) {
    const core = makeCore(name, address)
    await core.start()
    await core.login({ serverAddress: address, username, password: 'demo1234' })
    return core
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-flap-'))
    server = await startServer({ dataDir: join(dir, 'server') })
    proxy = await FaultProxy.start({
      target: { host: '127.0.0.1', port: server.port },
      faults: PROFILES['good-office'],
      seed: 42,
    })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await proxy.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('delivers every message typed on a flapping link exactly once and in order', async () => {
    const alice = await signedIn('a', 'alice', proxy.address)
    const bob = await signedIn('b', 'bob', server.address)
    const bobId = (await bob.getState()).session!.me.id
    const conversation = await alice.openDirectConversation({ peerId: bobId })
    const texts = Array.from({ length: 30 }, (_, i) => `flap ${String(i).padStart(2, '0')}`)

    proxy.setFaults(FLAPPING_FAST)
    const statuses = new Set<string>()
    alice.onEvent((name, payload) => {
      if (name === 'connection') statuses.add((payload as { status: string }).status)
    })
    for (const text of texts) {
      await alice.sendMessage({ conversationId: conversation.id, text })
      await new Promise((resolve) => setTimeout(resolve, 120))
    }
    proxy.setFaults({ flap: null })
    proxy.restore()

    const received = await until(
      async () => {
        const messages = await bob.loadMessages({ conversationId: conversation.id, limit: 500 })
        return messages.length >= texts.length && messages
      },
      'every message at Bob',
      WAIT,
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    const settled = await bob.loadMessages({ conversationId: conversation.id, limit: 500 })
    const mine = await until(
      async () => {
        const messages = await alice.loadMessages({ conversationId: conversation.id, limit: 500 })
        return messages.every((m) => m.state === 'sent') && messages
      },
      'every message sent at Alice',
      WAIT,
    )

    expect(proxy.stats.resets + proxy.stats.blackholes).toBeGreaterThanOrEqual(3)
    expect(statuses.has('online') && statuses.size).toBeGreaterThan(1)
    expect(received.length).toBe(texts.length)
    expect(settled.map((m) => m.text)).toEqual(texts)
    expect(settled.map((m) => m.seq)).toEqual(texts.map((_, i) => i + 1))
    expect(mine.map((m) => m.text)).toEqual(texts)
  })
})
