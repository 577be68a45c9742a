import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode, type SyncItem } from '../../shared/gen/tack_pb'
import { demoUserId } from '../seed/demo-org'
import { bodyOf, type FrameClient } from '../test/frame-client'
import {
  ack,
  makeSeededDataDir,
  nextPacket,
  removeDataDir,
  requestSync,
  startTestServer,
  type TestServer,
} from '../test/harness'

const bob = demoUserId('bob')
const carol = demoUserId('carol')
const dave = demoUserId('david')

/** Items of the user's log after `from`, read by a fresh device (gaps in sync ids allowed). */
async function logAfter(test: TestServer, username: string, from: bigint): Promise<SyncItem[]> {
  const { client, session } = await test.login(username, `${username}-reader`)
  const items: SyncItem[] = []
  if (session.headSyncId <= from) return items
  await requestSync(client, from)
  for (let to = from; to < session.headSyncId;) {
    const packet = await nextPacket(client)
    items.push(...packet.items)
    ack(client, packet)
    to = packet.toSyncId
  }
  client.close()
  return items.filter((item) => item.kind.case !== 'deviceListChanged')
}

function memberReads(items: SyncItem[]) {
  return items.flatMap((item) =>
    item.kind.case === 'memberReadMoved'
      ? [{ userId: item.kind.value.userId, readSeq: item.kind.value.readSeq }]
      : [],
  )
}

async function send(
  client: FrameClient,
  conversationId: string,
  text: string,
  extra: { replyToMessageId?: string; mentionIds?: string[] } = {},
) {
  return (
    await client.call(
      {
        case: 'sendMessage',
        value: { conversationId, clientMessageId: text.slice(0, 40), text, ...extra },
      },
      'sendMessageReply',
    )
  ).message!
}

async function markRead(client: FrameClient, conversationId: string, readSeq: bigint) {
  await client.call({ case: 'markRead', value: { conversationId, readSeq } }, 'ok')
}

describe('read receipts and message extras', () => {
  let test: TestServer
  let aliceClient: FrameClient
  let bobClient: FrameClient
  let carolClient: FrameClient
  let groupId: string

  beforeAll(async () => {
    test = await startTestServer({ dataDir: await makeSeededDataDir() })
    aliceClient = (await test.login('alice')).client
    bobClient = (await test.login('bob')).client
    carolClient = (await test.login('carol')).client
    const reply = await aliceClient.call(
      { case: 'createGroup', value: { title: 'Receipts', memberIds: [bob, carol] } },
      'createGroupReply',
    )
    groupId = reply.conversation!.id
  })
  afterAll(async () => {
    await test.close()
    await removeDataDir(test.dataDir)
  })

  async function head(username: string): Promise<bigint> {
    const { client, session } = await test.login(username, `${username}-head`)
    client.close()
    return session.headSyncId
  }

  it('tells only the senders of the messages a read newly covers, not the reader or others', async () => {
    const fromMessage = await send(aliceClient, groupId, 'please read')
    const aliceHead = await head('alice')
    const carolHead = await head('carol')
    const bobHead = await head('bob')

    await markRead(bobClient, groupId, fromMessage.seq)

    expect(memberReads(await logAfter(test, 'alice', aliceHead))).toEqual([
      { userId: bob, readSeq: fromMessage.seq },
    ])
    // Carol sent nothing in that range; Bob hears only of his own position.
    expect(await logAfter(test, 'carol', carolHead)).toEqual([])
    const bobItems = await logAfter(test, 'bob', bobHead)
    expect(bobItems.map((item) => item.kind.case)).toEqual(['readPositionMoved'])
  })

  it('keeps one item per reader in a sender’s log: the newer replaces the older, with a new sync id', async () => {
    const first = await send(aliceClient, groupId, 'first of two')
    const aliceHead = await head('alice')
    await markRead(carolClient, groupId, first.seq)
    const afterFirst = await head('alice')
    const second = await send(aliceClient, groupId, 'second of two')
    await markRead(carolClient, groupId, second.seq)

    const items = await logAfter(test, 'alice', aliceHead)
    expect(memberReads(items)).toEqual([{ userId: carol, readSeq: second.seq }])
    const carolRead = items.find((item) => item.kind.case === 'memberReadMoved')!
    // A device that already had the first item (sync point afterFirst) still gets the second.
    expect(carolRead.syncId).toBeGreaterThan(afterFirst)
    expect(memberReads(await logAfter(test, 'alice', afterFirst))).toEqual([
      { userId: carol, readSeq: second.seq },
    ])
  })

  it('tells the senders of earlier messages when a member joins, and keeps it in later reads', async () => {
    const group = (
      await aliceClient.call(
        { case: 'createGroup', value: { title: 'Joiners', memberIds: [bob] } },
        'createGroupReply',
      )
    ).conversation!
    const early = await send(bobClient, group.id, 'before dave')
    const aliceHead = await head('alice')
    const bobHead = await head('bob')

    await aliceClient.call(
      {
        case: 'updateConversation',
        value: { conversationId: group.id, addMemberIds: [dave], removeMemberIds: [] },
      },
      'updateConversationReply',
    )
    const daveClient = (await test.login('david')).client
    await markRead(daveClient, group.id, early.seq)

    const joined = (items: SyncItem[]) =>
      items.flatMap((item) => (item.kind.case === 'memberReadMoved' ? [item.kind.value] : []))
    // Bob wrote before Dave joined; Alice wrote nothing, so she hears of nothing.
    expect(joined(await logAfter(test, 'bob', bobHead))).toMatchObject([
      { userId: dave, readSeq: early.seq, joinedSeq: early.seq },
    ])
    expect(joined(await logAfter(test, 'alice', aliceHead))).toEqual([])
  })

  it('delivers a reply’s quote, filled from the original by the server, and its mentions', async () => {
    const original = await send(bobClient, groupId, `<b>bold</b> ${'长'.repeat(150)}`)
    const carolHead = await head('carol')

    const reply = await send(aliceClient, groupId, 'answer', {
      replyToMessageId: original.id,
      mentionIds: [bob, bob, carol],
    })

    expect(reply.replyTo).toMatchObject({ messageId: original.id, senderId: bob })
    expect([...reply.replyTo!.excerpt]).toHaveLength(100)
    expect(reply.replyTo!.excerpt.startsWith('<b>bold</b> 长')).toBe(true)
    expect(reply.mentionIds).toEqual([bob, carol])
    const carolItems = await logAfter(test, 'carol', carolHead)
    expect(carolItems[0]?.kind).toMatchObject({
      case: 'messageCreated',
      value: { id: reply.id, mentionIds: [bob, carol], replyTo: { messageId: original.id } },
    })
  })

  it('takes a recalled message’s text out of the quotes it serves, and quotes it blank after', async () => {
    const original = await send(aliceClient, groupId, 'secret oops')
    const reply = await send(bobClient, groupId, 'which one?', { replyToMessageId: original.id })
    expect(reply.replyTo).toMatchObject({ excerpt: 'secret oops', recalled: false })

    await aliceClient.call(
      { case: 'recallMessage', value: { conversationId: groupId, messageId: original.id } },
      'ok',
    )
    // A reply already on its way when the recall came goes through, quoting nothing.
    const late = await send(carolClient, groupId, 'too late', { replyToMessageId: original.id })
    const history = await carolClient.call(
      {
        case: 'historyRequest',
        value: { conversationId: groupId, beforeSeq: late.seq + 1n, limit: 5 },
      },
      'historyReply',
    )

    const blank = { messageId: original.id, excerpt: '', recalled: true }
    expect(late.replyTo).toMatchObject(blank)
    const served = history.messages.filter((m) => m.id === reply.id || m.id === late.id)
    expect(served.map((m) => m.replyTo)).toMatchObject([blank, blank])
    expect(JSON.stringify(history.messages.map((m) => [m.text, m.replyTo?.excerpt]))).not.toContain(
      'secret',
    )
  })

  it('refuses mentions of people outside the conversation and quotes from elsewhere', async () => {
    const direct = await aliceClient.call(
      { case: 'openDirect', value: { peerId: bob } },
      'openDirectReply',
    )
    const elsewhere = await send(aliceClient, direct.conversation!.id, 'in the direct chat')
    const refuse = async (text: string, extra: Parameters<typeof send>[3]) =>
      bodyOf(
        await aliceClient.request({
          case: 'sendMessage',
          value: { conversationId: groupId, clientMessageId: text, text, ...extra },
        }),
        'error',
      )

    expect((await refuse('mention a stranger', { mentionIds: [dave] })).code).toBe(
      ErrorCode.BAD_REQUEST,
    )
    expect((await refuse('quote elsewhere', { replyToMessageId: elsewhere.id })).code).toBe(
      ErrorCode.BAD_REQUEST,
    )
    expect((await refuse('quote nothing', { replyToMessageId: 'm:nope' })).code).toBe(
      ErrorCode.NOT_FOUND,
    )
  })
})
