// The client core against the real reference server over real TLS: sign in, chat, sync, go
// offline and come back.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import type { HostEventName } from '../../shared/host-api'
import { startServer, type TackServer } from '../../server/server'
import { makeTestCore, signInTestCore } from '../support/cores'
import { until } from '../support/wait'

describe('client core with the reference server', () => {
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

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-int-'))
    server = await startServer({ dataDir: join(dir, 'server') })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a wrong password and an unreachable server with clear errors', async () => {
    const core = makeCore('a')
    await core.start()
    await expect(
      core.login({ serverAddress: server.address, username: 'alice', password: 'nope' }),
    ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' })
    await expect(
      core.login({ serverAddress: '127.0.0.1:1', username: 'alice', password: 'demo1234' }),
    ).rejects.toMatchObject({ code: 'UNREACHABLE', params: { address: '127.0.0.1:1' } })
    expect((await core.getState()).session).toBeNull()
  })

  it('delivers a direct message live and counts it unread until read', async () => {
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const bobId = (await bob.getState()).session!.me.id
    const events: HostEventName[] = []
    bob.onEvent((name) => events.push(name))

    const conversation = await alice.openDirectConversation({ peerId: bobId })
    await alice.sendMessage({ conversationId: conversation.id, text: 'hello bob' })

    const seen = await until(async () => {
      const list = await bob.listConversations()
      return list.find((c) => c.id === conversation.id && c.unreadCount === 1)
    }, 'the message at Bob')
    expect(seen.title).toBe('王爱丽')
    expect(seen.lastMessage?.text).toBe('hello bob')
    expect(events).toContain('messagesChanged')

    await bob.markRead({ conversationId: conversation.id })
    expect((await bob.listConversations()).find((c) => c.id === conversation.id)?.unreadCount).toBe(
      0,
    )
    const [mine] = await alice.loadMessages({ conversationId: conversation.id })
    expect(mine).toMatchObject({ state: 'sent', seq: 1, text: 'hello bob' })
  })

  it('delivers a group message to every member', async () => {
    const alice = await signedIn('a', 'alice')
    const carol = await signedIn('c', 'carol')
    const allHands = await until(
      async () =>
        (await alice.listConversations()).find(
          (c) => c.kind === 'group' && c.memberIds.length >= 30,
        ),
      'the seeded All Hands group',
    )
    await alice.sendMessage({ conversationId: allHands.id, text: 'morning all' })
    await until(async () => {
      const messages = await carol.loadMessages({ conversationId: allHands.id })
      return messages.some((m) => m.text === 'morning all')
    }, 'the group message at Carol')
  })

  it('keeps a message typed while the server is down and delivers it once when it is back', async () => {
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const bobId = (await bob.getState()).session!.me.id
    const conversation = await alice.openDirectConversation({ peerId: bobId })
    const port = server.port

    await server.close()
    await until(async () => (await alice.getState()).connection.status !== 'online', 'offline')
    const pending = await alice.sendMessage({ conversationId: conversation.id, text: 'while down' })
    expect(pending.state).toBe('sending')

    server = await startServer({ dataDir: join(dir, 'server'), port })
    await alice.retryNow()
    await until(
      async () => {
        const messages = await bob.loadMessages({ conversationId: conversation.id })
        return messages.filter((m) => m.text === 'while down').length === 1
      },
      'the message at Bob',
      { timeoutMs: 20_000 },
    )
    const aliceMessages = await alice.loadMessages({ conversationId: conversation.id })
    expect(aliceMessages.filter((m) => m.text === 'while down')).toMatchObject([{ state: 'sent' }])
    // A while later, still exactly once.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const bobMessages = await bob.loadMessages({ conversationId: conversation.id })
    expect(bobMessages.filter((m) => m.text === 'while down')).toHaveLength(1)
  })

  it('restores the account, its history and a draft after the app restarts, without a password', async () => {
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const bobId = (await bob.getState()).session!.me.id
    const conversation = await alice.openDirectConversation({ peerId: bobId })
    await alice.sendMessage({ conversationId: conversation.id, text: 'before restart' })
    await until(
      async () =>
        (await alice.loadMessages({ conversationId: conversation.id }))[0]?.state === 'sent',
      'sent',
    )
    const draft = { text: '@Bob and after', mentions: [{ userId: bobId, name: 'Bob' }] }
    await alice.saveDraft({ conversationId: conversation.id, ...draft })
    await expect(
      alice.saveDraft({ conversationId: 'no-such-conversation', text: 'lost?', mentions: [] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await alice.close()

    const again = makeCore('a')
    await again.start()
    expect((await again.getState()).session?.me.username).toBe('alice')
    const messages = await again.loadMessages({ conversationId: conversation.id })
    expect(messages.map((m) => m.text)).toEqual(['before restart'])
    // What she was writing is still there; it stays on this device and never reaches Bob.
    expect((await again.listConversations({}))[0]?.draft).toEqual(draft)
    expect((await bob.listConversations({}))[0]).not.toHaveProperty('draft')
    await until(async () => (await again.getState()).connection.status === 'online', 'resumed')
  })

  it('signs out, forgets the ticket, and signs in again to the same history', async () => {
    const alice = await signedIn('a', 'alice')
    await alice.logout()
    expect((await alice.getState()).session).toBeNull()
    await expect(alice.listConversations()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' })
    await alice.login({ serverAddress: server.address, username: 'alice', password: 'demo1234' })
    await until(async () => (await alice.listConversations()).length > 0, 'synced conversations')
  })

  it('says NOT_ALLOWED when someone other than the owner removes a member', async () => {
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const bobId = (await bob.getState()).session!.me.id
    const group = await alice.createGroup({ title: 'Owned', memberIds: [bobId, 'u-carol'] })
    await until(async () => (await bob.listConversations()).some((c) => c.id === group.id), 'bob')

    await expect(
      bob.updateConversation({ conversationId: group.id, removeMemberIds: ['u-carol'] }),
    ).rejects.toMatchObject({ code: 'NOT_ALLOWED' })
    // Alice made it, so she owns it.
    const changed = await alice.updateConversation({
      conversationId: group.id,
      removeMemberIds: ['u-carol'],
    })
    expect(changed.memberIds).toEqual(['u-alice', bobId])
  })
})
