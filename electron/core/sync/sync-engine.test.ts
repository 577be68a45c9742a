// The sync engine on a real encrypted store, fed frames by a stand-in for the connection (it
// records what the engine sends back): packets queued behind a busy store are applied in one
// transaction and acknowledged once; duplicates are acknowledged, gaps asked again, resets applied.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { create } from '@bufbuild/protobuf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Frame } from '../../../shared/frame-codec'
import { ConversationKind, SyncPacketSchema, SyncResetSchema } from '../../../shared/gen/tack_pb'
import type { Connection, FrameBody } from '../net/connection'
import { Store } from '../store/store'
import { SyncEngine } from './sync-engine'

const ME = 'u-me'

/** Packet `from`..`to` (sync ids), one message each in conversation c-1, seq = sync id. */
function packet(packetNo: number, from: number, to: number) {
  return create(SyncPacketSchema, {
    packetNo: BigInt(packetNo),
    fromSyncId: BigInt(from),
    toSyncId: BigInt(to),
    items: Array.from({ length: to - from }, (_, index) => {
      const syncId = from + index + 1
      return {
        syncId: BigInt(syncId),
        kind: {
          case: 'messageCreated' as const,
          value: {
            id: `m-${syncId}`,
            conversationId: 'c-1',
            seq: BigInt(syncId),
            senderId: 'u-peer',
            clientMessageId: `cm-${syncId}`,
            text: `message ${syncId}`,
            sentAtMs: BigInt(1_790_000_000_000 + syncId),
          },
        },
      }
    }),
  })
}

/** Stands in for the link: hands pushes to the engine, records what it sends. */
function standInConnection() {
  const listeners: ((frame: Frame) => void)[] = []
  const sent: FrameBody[] = []
  const connection = {
    isOpen: true,
    onPush: (listener: (frame: Frame) => void) => listeners.push(listener),
    push: (body: FrameBody) => sent.push(body),
    request: async (body: FrameBody) => {
      sent.push(body)
      return { id: 1, body: { case: 'ok', value: {} } }
    },
    close: () => undefined,
  }
  return {
    connection: connection as unknown as Connection,
    sent,
    deliver(body: Frame['body']) {
      for (const listener of listeners) listener({ id: 0, body } as Frame)
    },
  }
}

describe('sync engine', () => {
  let dir: string
  let store: Store
  let transactions: number

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-engine-'))
    store = await Store.open(join(dir, 'account.db'), randomBytes(32), { create: true })
    transactions = 0
    const apply = store.applySyncChanges.bind(store)
    store.applySyncChanges = (...args) => {
      transactions += 1
      return apply(...args)
    }
  })

  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Waits until the engine has sent `count` frames back. */
  async function settled(sent: FrameBody[], count: number): Promise<void> {
    for (let i = 0; sent.length < count; i++) {
      if (i === 500) throw new Error(`the engine sent ${sent.length} frames, not ${count}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  it('applies packets that arrived together in one transaction and acknowledges the last', async () => {
    const engine = new SyncEngine(store, ME, () => undefined)
    const link = standInConnection()
    engine.listen(link.connection)

    for (const [no, from, to] of [
      [1, 0, 3],
      [2, 3, 6],
      [3, 6, 9],
    ] as const) {
      link.deliver({ case: 'syncPacket', value: packet(no, from, to) })
    }
    for (let i = 0; (await store.getSyncPoint()) < 9; i++) {
      if (i === 500) throw new Error('the packets were not applied')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }

    expect(await store.getSyncPoint()).toBe(9)
    const messages = await store.loadMessages('c-1', undefined, 50)
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    const acks = link.sent.filter((body) => body.case === 'syncAck')
    expect(acks.at(-1)).toMatchObject({ value: { packetNo: 3n, syncId: 9n } })
    expect(transactions).toBe(acks.length)
    expect(transactions).toBeLessThan(3)
  })

  it('acknowledges a duplicate, asks again after a gap, and applies nothing twice', async () => {
    const engine = new SyncEngine(store, ME, () => undefined)
    const link = standInConnection()
    engine.listen(link.connection)
    link.deliver({ case: 'syncPacket', value: packet(1, 0, 3) })
    await settled(link.sent, 1)

    link.deliver({ case: 'syncPacket', value: packet(2, 0, 3) })
    await settled(link.sent, 2)
    link.deliver({ case: 'syncPacket', value: packet(3, 5, 8) })
    await settled(link.sent, 3)

    expect(link.sent.map((body) => body.case)).toEqual(['syncAck', 'syncAck', 'syncRequest'])
    expect(link.sent[2]).toMatchObject({ value: { fromSyncId: 3n } })
    expect(await store.getSyncPoint()).toBe(3)
  })

  it('applies a reset sent in two parts once the last arrives, keeping what it had', async () => {
    const engine = new SyncEngine(store, ME, () => undefined)
    const link = standInConnection()
    engine.listen(link.connection)
    link.deliver({ case: 'syncPacket', value: packet(1, 0, 2) })
    await settled(link.sent, 1)

    const conversation = {
      id: 'c-1',
      kind: ConversationKind.GROUP,
      title: 'Launch',
      memberIds: [ME, 'u-peer'],
      createdAtMs: 1n,
    }
    const recent = packet(9, 40, 42).items.flatMap((item) =>
      item.kind.case === 'messageCreated' ? [item.kind.value] : [],
    )
    link.deliver({
      case: 'syncReset',
      value: create(SyncResetSchema, {
        syncId: 50n,
        part: 1,
        conversations: [
          { conversation, readSeq: 0n, lastSeq: 42n, firstSeq: 41n, unreadBeforeFirst: 38n },
        ],
        devices: { devices: [{ deviceId: 'd-1', name: 'Desktop', platform: 'linux' }] },
      }),
    })
    expect(await store.getSyncPoint()).toBe(2)
    link.deliver({
      case: 'syncReset',
      value: create(SyncResetSchema, {
        syncId: 50n,
        part: 2,
        last: true,
        messages: recent,
      }),
    })
    await settled(link.sent, 2)

    expect(await store.getSyncPoint()).toBe(50)
    expect(link.sent[1]).toMatchObject({ case: 'syncAck', value: { syncId: 50n } })
    const messages = await store.loadMessages('c-1', undefined, 50)
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 41, 42])
    const [view] = await store.listConversations(ME)
    expect(view).toMatchObject({ title: 'Launch', unreadCount: 40 })
    expect(await store.listDevices()).toMatchObject([{ deviceId: 'd-1' }])
  })
})
