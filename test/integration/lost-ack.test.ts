// A message the server stored whose answer never reached the sender: the connection is reset
// while the answer (and the sync push of the same message) is still on its way. The sender's
// outbox sends it again on the next connection, the server answers with the message it already
// has, and sync brings the same message: it is stored and shown once, on both sides.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { startServer, type TackServer } from '../../server/server'
import { FaultProxy, NO_FAULTS } from '../netsim/fault-proxy'
import { makeTestCore, signInTestCore } from '../support/cores'
import { until } from '../support/wait'

/** One-way delay on Alice's link while she sends: her answer is this long behind Bob's push. */
const SLOW_ANSWER_MS = 600

describe('a send whose answer was lost in a dropped connection', () => {
  let dir: string
  let server: TackServer
  let proxy: FaultProxy
  const cores: ClientCore[] = []

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-lost-ack-'))
    server = await startServer({ dataDir: join(dir, 'server') })
    proxy = await FaultProxy.start({
      target: { host: '127.0.0.1', port: server.port },
      faults: NO_FAULTS,
      seed: 7,
    })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await proxy.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is stored and shown once by the sender and the receiver', async () => {
    const throughProxy = { address: proxy.address, caPem: server.caPem }
    const alice = makeTestCore(dir, 'alice', throughProxy)
    const bob = makeTestCore(dir, 'bob', server)
    cores.push(alice, bob)
    await signInTestCore(alice, proxy.address, 'alice')
    await signInTestCore(bob, server.address, 'bob')
    const conversation = await alice.openDirectConversation({ peerId: 'u-bob' })
    const texts = async (core: ClientCore) =>
      (await core.loadMessages({ conversationId: conversation.id }))
        .filter((m) => m.text === 'did you get this?')
        .map((m) => m.state)

    proxy.setFaults({ latencyMs: SLOW_ANSWER_MS })
    const sent = await alice.sendMessage({
      conversationId: conversation.id,
      text: 'did you get this?',
    })
    // Bob, on a direct link, has it as soon as the server stored it; Alice's answer is still in
    // the slow link when every connection through it is reset.
    await until(async () => (await texts(bob)).length === 1, 'the message at Bob', {
      intervalMs: 5,
    })
    proxy.resetAll()
    proxy.setFaults({ latencyMs: 0 })
    expect(await texts(alice)).toEqual(['sending'])

    await alice.retryNow()
    await until(async () => (await texts(alice)).join() === 'sent', 'Alice sees it sent')
    // Whatever else arrives (sync's copy, the resend's answer), it stays one message.
    await new Promise((settle) => setTimeout(settle, 1_000))
    const mine = (await alice.loadMessages({ conversationId: conversation.id })).filter(
      (m) => m.text === 'did you get this?',
    )
    expect(mine).toHaveLength(1)
    expect(mine[0]!.clientMessageId).toBe(sent.clientMessageId)
    expect(await texts(bob)).toHaveLength(1)
    expect((await bob.listConversations()).find((c) => c.id === conversation.id)?.unreadCount).toBe(
      1,
    )
    expect(proxy.stats.resets).toBe(1)
  })
})
