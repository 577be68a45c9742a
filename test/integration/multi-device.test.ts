// Several devices of one person against the real reference server: reads, recalls and
// conversation changes made on one device reach the others, live and at their next sign-in.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { startServer, type TackServer } from '../../server/server'
import { makeTestCore, signInTestCore } from '../support/cores'
import { until } from '../support/wait'

describe('one person on several devices', () => {
  let dir: string
  let server: TackServer
  const cores: ClientCore[] = []

  function makeCore(name: string): ClientCore {
    const core = makeTestCore(dir, name, server)
    cores.push(core)
    return core
  }

  function signedIn(name: string, username: string): Promise<ClientCore> {
    return signInTestCore(makeCore(name), server.address, username)
  }

  /** The device as it comes back from its profile, signed in without a password. */
  async function reopened(name: string): Promise<ClientCore> {
    const core = makeCore(name)
    await core.start()
    await until(async () => (await core.getState()).connection.status === 'online', 'online')
    return core
  }

  async function unread(core: ClientCore, conversationId: string): Promise<number | undefined> {
    return (await core.listConversations()).find((c) => c.id === conversationId)?.unreadCount
  }

  /** Bob writes `count` messages to Alice; resolves once both of Alice's devices count them. */
  async function bobWrites(bob: ClientCore, aliceDevices: ClientCore[], count: number) {
    const aliceId = 'u-alice'
    const conversation = await bob.openDirectConversation({ peerId: aliceId })
    for (let i = 0; i < count; i++) {
      await bob.sendMessage({ conversationId: conversation.id, text: `note ${i}` })
    }
    for (const device of aliceDevices) {
      await until(async () => (await unread(device, conversation.id)) === count, 'unread')
    }
    return conversation.id
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-multi-'))
    server = await startServer({ dataDir: join(dir, 'server') })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reading on one device clears the unread count on the other within a second', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const bob = await signedIn('bob', 'bob')
    const conversationId = await bobWrites(bob, [desktop, laptop], 3)

    await desktop.markRead({ conversationId })
    const started = Date.now()
    await until(async () => (await unread(laptop, conversationId)) === 0, 'laptop cleared', {
      timeoutMs: 1_000,
    })

    expect(Date.now() - started).toBeLessThan(1_000)
    expect(await unread(desktop, conversationId)).toBe(0)
  })

  it('a device that was offline while its twin read shows nothing unread at its next sign-in', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const bob = await signedIn('bob', 'bob')
    const conversationId = await bobWrites(bob, [desktop, laptop], 2)
    await laptop.close()

    await desktop.markRead({ conversationId })
    const again = await reopened('laptop')

    await until(async () => (await unread(again, conversationId)) === 0, 'laptop cleared')
    const counts = await Promise.all([again, desktop].map((core) => unread(core, conversationId)))
    expect(counts).toEqual([0, 0])
  })

  it('a read while the server is away is sent when it is back and reaches the other device', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const bob = await signedIn('bob', 'bob')
    const conversationId = await bobWrites(bob, [desktop, laptop], 2)
    const port = server.port
    await server.close()
    await until(async () => (await desktop.getState()).connection.status !== 'online', 'offline')

    await desktop.markRead({ conversationId })
    expect(await unread(desktop, conversationId)).toBe(0)
    server = await startServer({ dataDir: join(dir, 'server'), port })
    for (const core of [desktop, laptop]) await core.retryNow()

    await until(async () => (await unread(laptop, conversationId)) === 0, 'laptop cleared', {
      timeoutMs: 20_000,
    })
  })

  it('a recall shows the message as recalled on every device of both people', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const bob = await signedIn('bob', 'bob')
    const conversation = await desktop.openDirectConversation({ peerId: 'u-bob' })
    await desktop.sendMessage({ conversationId: conversation.id, text: 'oops, wrong chat' })
    const sent = await until(async () => {
      const [message] = await desktop.loadMessages({ conversationId: conversation.id })
      return message?.id ? message : undefined
    }, 'sent')
    await until(async () => (await unread(bob, conversation.id)) === 1, 'at Bob')

    await expect(
      bob.recallMessage({ conversationId: conversation.id, messageId: sent.id! }),
    ).rejects.toMatchObject({ code: 'NOT_ALLOWED' })
    await desktop.recallMessage({ conversationId: conversation.id, messageId: sent.id! })

    for (const core of [desktop, laptop, bob]) {
      const [message] = await until(async () => {
        const messages = await core.loadMessages({ conversationId: conversation.id })
        return messages[0]?.recalled ? messages : undefined
      }, 'recalled')
      expect(message).toMatchObject({ id: sent.id, text: '', recalled: true })
    }
    expect(await unread(bob, conversation.id)).toBe(0)
  })

  it('a sixth sign-in retires the least recently used device, which is told why', async () => {
    const devices: ClientCore[] = []
    for (let i = 1; i <= 5; i++) devices.push(await signedIn(`device-${i}`, 'alice'))
    const oldest = devices[0]!

    const sixth = await signedIn('device-6', 'alice')

    const state = await until(async () => {
      const now = await oldest.getState()
      return now.session === null ? now : undefined
    }, 'the oldest device signed out')
    expect(state.signedOutReason).toMatch(/sixth device/)
    expect(state.signedOutCode).toBe('DEVICE_RETIRED')
    const listed = await until(async () => {
      const list = await sixth.listDevices()
      return list.length === 5 && list.some((d) => d.current) ? list : undefined
    }, 'the device list on the sixth device')
    expect(listed.map((d) => d.name).sort()).toEqual([
      'device-2',
      'device-3',
      'device-4',
      'device-5',
      'device-6',
    ])
    await until(
      async () => (await devices[1]!.listDevices()).every((d) => d.name !== 'device-1'),
      'the list on another device',
    )
    for (const device of devices.slice(1)) {
      expect((await device.getState()).session?.me.username).toBe('alice')
    }
  })

  it('a device retired while it was closed is told why at its next start', async () => {
    const first = await signedIn('device-1', 'alice')
    await first.close()
    for (let i = 2; i <= 6; i++) await signedIn(`device-${i}`, 'alice')

    const again = makeCore('device-1')
    await again.start()

    const state = await until(async () => {
      const now = await again.getState()
      return now.session === null ? now : undefined
    }, 'signed out at start')
    expect(state.signedOutReason).toMatch(/sixth device/)
    expect(state.signedOutCode).toBe('DEVICE_RETIRED')
  })

  it('signs another device out from this one; that device is told so and leaves the list', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const listed = await until(async () => {
      const list = await desktop.listDevices()
      return list.length === 2 ? list : undefined
    }, 'both devices listed')
    const other = listed.find((device) => !device.current)!

    await desktop.signOutDevice({ deviceId: other.deviceId })

    const state = await until(async () => {
      const now = await laptop.getState()
      return now.session === null ? now : undefined
    }, 'the laptop signed out')
    expect(state.signedOutReason).toMatch(/another of your devices/)
    expect(state.signedOutCode).toBe('SIGNED_OUT_ELSEWHERE')
    await until(async () => (await desktop.listDevices()).length === 1, 'one device left')
  })

  it('a rename reaches every member; pinned and muted reach only my own devices', async () => {
    const desktop = await signedIn('desktop', 'alice')
    const laptop = await signedIn('laptop', 'alice')
    const bob = await signedIn('bob', 'bob')
    const group = await desktop.createGroup({ title: 'Launch', memberIds: ['u-bob'] })
    await until(async () => (await unread(laptop, group.id)) === 0, 'group on the laptop')

    const updated = await desktop.updateConversation({
      conversationId: group.id,
      title: 'Launch day',
      pinned: true,
      muted: true,
    })

    expect(updated).toMatchObject({ title: 'Launch day', pinned: true, muted: true })
    const onLaptop = await until(async () => {
      const view = (await laptop.listConversations()).find((c) => c.id === group.id)
      return view?.pinned && view.muted && view.title === 'Launch day' ? view : undefined
    }, 'settings on the laptop')
    expect(onLaptop.title).toBe('Launch day')
    const atBob = await until(async () => {
      const view = (await bob.listConversations()).find((c) => c.id === group.id)
      return view?.title === 'Launch day' ? view : undefined
    }, 'rename at Bob')
    expect(atBob).toMatchObject({ pinned: false, muted: false })

    await laptop.updateConversation({ conversationId: group.id, pinned: false })
    await until(async () => {
      const view = (await desktop.listConversations()).find((c) => c.id === group.id)
      return view?.pinned === false && view.muted
    }, 'unpinned on the desktop, still muted')
  })
})
