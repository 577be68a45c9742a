import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation, SyncItem } from '../../shared/gen/tack_pb'
import {
  ALL_HANDS_CONVERSATION_ID,
  ENGINEERING_CONVERSATION_ID,
  demoUserId,
} from '../seed/demo-org'
import type { FrameClient } from '../test/frame-client'
import {
  ack,
  headSyncId,
  makeSeededDataDir,
  nextPacket,
  receiveItems,
  removeDataDir,
  requestSync,
  startTestServer,
  type SignedIn,
  type TestServer,
} from '../test/harness'

const bob = demoUserId('bob')
const carol = demoUserId('carol')

function kinds(items: SyncItem[]) {
  return items.map((item) => item.kind.case)
}

function messageTexts(items: SyncItem[]) {
  return items.flatMap((item) =>
    item.kind.case === 'messageCreated' ? [item.kind.value.text] : [],
  )
}

async function withServer(
  options: { syncWindow?: number; packetItems?: number; syncResendMs?: number },
  body: (test: TestServer) => Promise<void>,
): Promise<void> {
  const test = await startTestServer({ dataDir: await makeSeededDataDir(), ...options })
  try {
    await body(test)
  } finally {
    await test.close()
    await removeDataDir(test.dataDir)
  }
}

/** Signs in and starts syncing from the log head, so the test sees only what it causes. */
async function syncedAtHead(test: TestServer, username: string, deviceId?: string) {
  const signedIn = await test.login(username, deviceId)
  await requestSync(signedIn.client, signedIn.session.headSyncId)
  return signedIn
}

async function openDirect(client: FrameClient, peerId: string): Promise<Conversation> {
  return (await client.call({ case: 'openDirect', value: { peerId } }, 'openDirectReply'))
    .conversation!
}

async function send(client: FrameClient, conversationId: string, text: string, clientId = text) {
  return (
    await client.call(
      { case: 'sendMessage', value: { conversationId, clientMessageId: clientId, text } },
      'sendMessageReply',
    )
  ).message!
}

describe('sync', () => {
  let test: TestServer
  beforeAll(async () => {
    test = await startTestServer({ dataDir: await makeSeededDataDir() })
  })
  afterAll(async () => {
    await test.close()
    await removeDataDir(test.dataDir)
  })

  it('starts every demo member with conversation_changed items for the seeded groups', async () => {
    const alice = await test.login('alice')
    const bobSession = await test.login('bob')
    await requestSync(alice.client, 0n)
    await requestSync(bobSession.client, 0n)

    // Each log ends with the device list its first login added.
    const aliceItems = await receiveItems(alice.client, 3)
    const bobItems = await receiveItems(bobSession.client, 2)
    expect([aliceItems[2]?.kind.case, bobItems[1]?.kind.case]).toEqual([
      'deviceListChanged',
      'deviceListChanged',
    ])

    const conversationIds = (items: SyncItem[]) =>
      items.flatMap((item) =>
        item.kind.case === 'conversationChanged' ? [item.kind.value.id] : [],
      )
    expect(conversationIds(aliceItems)).toEqual([
      ALL_HANDS_CONVERSATION_ID,
      ENGINEERING_CONVERSATION_ID,
    ])
    expect(conversationIds(bobItems)).toEqual([ALL_HANDS_CONVERSATION_ID])
  })

  it('delivers a direct conversation and its messages to both members in order', async () => {
    const alice = await syncedAtHead(test, 'alice')
    const bobSession = await syncedAtHead(test, 'bob')

    const conversation = await openDirect(alice.client, bob)
    const first = await send(alice.client, conversation.id, 'hello bob')
    const second = await send(bobSession.client, conversation.id, 'hi alice')

    expect([first.seq, second.seq]).toEqual([1n, 2n])
    for (const { client } of [alice, bobSession]) {
      const items = await receiveItems(client, 3)
      expect(kinds(items)).toEqual(['conversationChanged', 'messageCreated', 'messageCreated'])
      expect(messageTexts(items)).toEqual(['hello bob', 'hi alice'])
    }
  })

  it('delivers group messages to every member in seq order, the sender included', async () => {
    const members = await Promise.all(
      ['alice', 'bob', 'carol'].map((name) => syncedAtHead(test, name)),
    )
    const [alice] = members as [SignedIn, SignedIn, SignedIn]

    const group = (
      await alice.client.call(
        { case: 'createGroup', value: { title: '发布小组', memberIds: [bob, carol] } },
        'createGroupReply',
      )
    ).conversation!
    for (const text of ['one', 'two', 'three']) await send(alice.client, group.id, text)

    for (const { client } of members) {
      const items = await receiveItems(client, 5)
      expect(kinds(items)[0]).toBe('conversationChanged')
      // The note that Alice created the group is its first message.
      expect(messageTexts(items)).toEqual(['', 'one', 'two', 'three'])
      const seqs = items.flatMap((item) =>
        item.kind.case === 'messageCreated' ? [item.kind.value.seq] : [],
      )
      expect(seqs).toEqual([1n, 2n, 3n, 4n])
    }
  })

  it('returns the original message for a resent client message id and appends nothing', async () => {
    const alice = await test.login('alice')
    const conversation = await openDirect(alice.client, carol)
    const original = await send(alice.client, conversation.id, 'only once', 'client-msg-1')
    const aliceHead = await headSyncId(test, 'alice')
    const carolHead = await headSyncId(test, 'carol')

    const resent = await send(alice.client, conversation.id, 'only once', 'client-msg-1')

    expect(resent.id).toBe(original.id)
    expect(resent.seq).toBe(original.seq)
    expect(await headSyncId(test, 'alice')).toBe(aliceHead)
    expect(await headSyncId(test, 'carol')).toBe(carolHead)
  })

  it('syncs a read position that moved forward to the reader, and to the sender as a receipt', async () => {
    const alice = await syncedAtHead(test, 'alice')
    const carolSession = await test.login('carol')
    const conversation = await openDirect(carolSession.client, demoUserId('alice'))
    const message = await send(carolSession.client, conversation.id, 'read me')
    await receiveItems(alice.client, 1)
    const carolHead = await headSyncId(test, 'carol')

    const markRead = (readSeq: bigint) =>
      alice.client.call(
        { case: 'markRead', value: { conversationId: conversation.id, readSeq } },
        'ok',
      )
    await markRead(message.seq)
    await markRead(message.seq)

    const [moved] = await receiveItems(alice.client, 1)
    expect(moved?.kind).toMatchObject({
      case: 'readPositionMoved',
      value: { conversationId: conversation.id, readSeq: message.seq },
    })
    expect(await alice.client.pushesWithin(100)).toEqual([])
    // Carol's log gains one member_read_moved (read-receipts.test.ts checks its content).
    expect(await headSyncId(test, 'carol')).toBe(carolHead + 1n)
  })

  it('pushes new items to every synced session of the user', async () => {
    const laptop = await syncedAtHead(test, 'carol', 'carol-laptop')
    const desktop = await syncedAtHead(test, 'carol', 'carol-desktop')
    const bobSession = await test.login('bob')

    const conversation = await openDirect(bobSession.client, carol)
    await send(bobSession.client, conversation.id, 'to all your devices')

    // The laptop also hears of the desktop joining the device list.
    const laptopItems = await receiveItems(laptop.client, 3)
    expect(laptopItems[0]?.kind.case).toBe('deviceListChanged')
    expect(messageTexts(laptopItems)).toEqual(['to all your devices'])
    expect(messageTexts(await receiveItems(desktop.client, 2))).toEqual(['to all your devices'])
  })

  it('records the acknowledged sync point per device and reports it in the next session', async () => {
    const alice = await test.login('alice', 'alice-tablet')
    await requestSync(alice.client, 0n)
    const items = await receiveItems(alice.client, Number(alice.session.headSyncId))
    // Frames are served in order: once the pong is back, the acks before it are recorded.
    await alice.client.call({ case: 'ping', value: { sentAtMs: 0n } }, 'pong')

    const again = await test.login('alice', 'alice-tablet')

    expect(again.session.deviceSyncId).toBe(items[items.length - 1]!.syncId)
  })
})

describe('sync window and resend', () => {
  it('stops at the window of unacknowledged packets and continues after an ack', async () => {
    await withServer({ syncWindow: 2, packetItems: 1 }, async (test) => {
      const alice = await test.login('alice')
      await openDirect(alice.client, bob)
      const head = await headSyncId(test, 'alice')
      expect(head).toBeGreaterThanOrEqual(3n)

      await requestSync(alice.client, 0n)
      const first = await nextPacket(alice.client)
      const second = await nextPacket(alice.client)
      expect(await alice.client.pushesWithin(200)).toEqual([])

      ack(alice.client, first)
      const third = await nextPacket(alice.client)

      expect([first, second, third].map((p) => [p.packetNo, p.fromSyncId, p.toSyncId])).toEqual([
        [1n, 0n, 1n],
        [2n, 1n, 2n],
        [3n, 2n, 3n],
      ])
      expect(third.items).toHaveLength(1)
      expect(third.headSyncId).toBe(head)
    })
  })

  it('resends from the last acknowledged sync point when a packet is not acknowledged in time', async () => {
    await withServer({ syncResendMs: 400 }, async (test) => {
      const alice = await test.login('alice')
      await requestSync(alice.client, 0n)
      const first = await nextPacket(alice.client)
      expect(first.items.length).toBeGreaterThanOrEqual(2)

      const resent = await nextPacket(alice.client, 2000)
      expect(resent).toMatchObject({ packetNo: 2n, fromSyncId: 0n, toSyncId: first.toSyncId })

      ack(alice.client, resent)
      expect(await alice.client.pushesWithin(700)).toEqual([])

      const bobSession = await test.login('bob')
      await openDirect(bobSession.client, demoUserId('alice'))
      const next = await nextPacket(alice.client)
      expect(next).toMatchObject({ packetNo: 3n, fromSyncId: first.toSyncId })
    })
  })
})
