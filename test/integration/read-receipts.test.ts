// Read receipts, replies and mentions between three people on the real reference server: a
// member's read reaches the sender's receipt count live, a reply carries the server's quote, and
// a mention marks the conversation for the person mentioned until they read it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import type { MessageView } from '../../shared/host-api'
import { startServer, type TackServer } from '../../server/server'
import { makeTestCore, signInTestCore } from '../support/cores'
import { until } from '../support/wait'

const BOB = 'u-bob'
const CAROL = 'u-carol'
const ALICE = 'u-alice'

describe('read receipts, replies and mentions', () => {
  let dir: string
  let server: TackServer
  let alice: ClientCore
  let bob: ClientCore
  let carol: ClientCore
  let groupId: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-receipts-'))
    server = await startServer({ dataDir: join(dir, 'server') })
    alice = await signInTestCore(makeTestCore(dir, 'alice', server), server.address, 'alice')
    bob = await signInTestCore(makeTestCore(dir, 'bob', server), server.address, 'bob')
    carol = await signInTestCore(makeTestCore(dir, 'carol', server), server.address, 'carol')
    groupId = (await alice.createGroup({ title: 'Receipts', memberIds: [BOB, CAROL] })).id
    for (const core of [bob, carol]) {
      await until(
        async () => (await core.listConversations()).some((c) => c.id === groupId),
        'group',
      )
    }
  })

  afterAll(async () => {
    for (const core of [alice, bob, carol]) await core.close()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** The message of the group as `core` has it, once the server has given it an id. */
  function sentMessage(core: ClientCore, text: string): Promise<MessageView> {
    return sentMessageIn(core, groupId, text)
  }

  /** The message as `core` has it, once the server has given it an id. */
  async function sentMessageIn(
    core: ClientCore,
    conversationId: string,
    text: string,
  ): Promise<MessageView> {
    let found: MessageView | undefined
    await until(async () => {
      const messages = await core.loadMessages({ conversationId })
      found = messages.find((message) => message.text === text && message.id !== null)
      return found !== undefined
    }, `message "${text}"`)
    return found!
  }

  async function unreadCountOf(text: string): Promise<number | undefined> {
    return (await sentMessage(alice, text)).unreadCount
  }

  it('counts the members who have not read my message and moves as each one reads', async () => {
    await alice.sendMessage({ conversationId: groupId, text: 'status at five?' })
    const message = await sentMessage(alice, 'status at five?')
    expect(message.unreadCount).toBe(2)
    expect(
      await alice.getReadReceipts({ conversationId: groupId, messageId: message.id! }),
    ).toEqual({ read: [], unread: [BOB, CAROL] })

    await sentMessage(bob, 'status at five?')
    await bob.markRead({ conversationId: groupId })

    await until(async () => (await unreadCountOf('status at five?')) === 1, 'bob read it')
    expect(
      await alice.getReadReceipts({ conversationId: groupId, messageId: message.id! }),
    ).toEqual({ read: [BOB], unread: [CAROL] })
  })

  it('counts a member who wrote after my message as having read it', async () => {
    await alice.sendMessage({ conversationId: groupId, text: 'anyone?' })
    await sentMessage(carol, 'anyone?')

    await carol.sendMessage({ conversationId: groupId, text: 'here' })

    await until(async () => (await unreadCountOf('anyone?')) === 1, 'carol wrote')
    const message = await sentMessage(alice, 'anyone?')
    expect(
      await alice.getReadReceipts({ conversationId: groupId, messageId: message.id! }),
    ).toEqual({ read: [CAROL], unread: [BOB] })
  })

  it('delivers a reply with its quote and marks the conversation for the person mentioned', async () => {
    const original = await sentMessage(bob, 'status at five?')

    await bob.sendMessage({
      conversationId: groupId,
      text: '@王爱丽 <img src=x onerror=alert(1)> done',
      replyToMessageId: original.id!,
      mentionIds: [ALICE],
    })

    const reply = await sentMessage(alice, '@王爱丽 <img src=x onerror=alert(1)> done')
    expect(reply.replyTo).toEqual({
      messageId: original.id,
      senderId: ALICE,
      excerpt: 'status at five?',
      seq: original.seq,
    })
    expect(reply.mentionIds).toEqual([ALICE])
    const mentioned = async () =>
      (await alice.listConversations()).find((c) => c.id === groupId)?.mentionsMe
    expect(await mentioned()).toBe(true)
    expect((await carol.listConversations()).find((c) => c.id === groupId)?.mentionsMe).toBe(
      undefined,
    )

    await alice.markRead({ conversationId: groupId })
    expect(await mentioned()).toBe(undefined)
  })

  it('does not count a member added after my message as an unread reader of it', async () => {
    const group = await alice.createGroup({ title: 'Joiners', memberIds: [BOB] })
    await alice.sendMessage({ conversationId: group.id, text: 'before carol' })
    const before = await sentMessageIn(alice, group.id, 'before carol')

    await alice.updateConversation({ conversationId: group.id, addMemberIds: [CAROL] })
    await alice.sendMessage({ conversationId: group.id, text: 'after carol' })
    const after = await sentMessageIn(alice, group.id, 'after carol')

    const receipts = (messageId: string) =>
      alice.getReadReceipts({ conversationId: group.id, messageId })
    await until(async () => (await receipts(before.id!)).unread.length === 1, 'carol left out')
    expect(await receipts(before.id!)).toEqual({ read: [], unread: [BOB] })
    expect((await sentMessageIn(alice, group.id, 'before carol')).unreadCount).toBe(1)
    expect(await receipts(after.id!)).toEqual({ read: [], unread: [BOB, CAROL] })
  })

  it('refuses a reply to a message it does not have, keeping nothing', async () => {
    await expect(
      alice.sendMessage({ conversationId: groupId, text: 'lost', replyToMessageId: 'm:none' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const messages = await alice.loadMessages({ conversationId: groupId })
    expect(messages.some((message) => message.text === 'lost')).toBe(false)
  })
})
