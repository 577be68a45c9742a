import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Store, type SyncChange } from './store'

const ME = 'u-me'
const BOB = 'u-bob'
const CAROL = 'u-carol'

const group: SyncChange = {
  kind: 'conversation',
  conversation: { id: 'g', kind: 'group', title: 'G', memberIds: [ME, BOB, CAROL], createdAt: 1 },
}

function message(seq: number, senderId: string, extra: object = {}): SyncChange {
  return {
    kind: 'message',
    message: {
      id: `m${seq}`,
      conversationId: 'g',
      seq,
      senderId,
      clientMessageId: `c${seq}`,
      text: `text ${seq}`,
      sentAt: 10 + seq,
      ...extra,
    },
  }
}

function memberRead(userId: string, readSeq: number): SyncChange {
  return { kind: 'memberRead', conversationId: 'g', userId, readSeq }
}

describe('read receipts in the store', () => {
  let dir: string
  let store: Store
  let syncPoint = 0

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-receipts-'))
    store = await Store.open(join(dir, 'account.db'), randomBytes(32), { create: true })
    syncPoint = 0
  })

  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const apply = (changes: SyncChange[]) => store.applySyncChanges(changes, ++syncPoint, ME)

  async function counts(): Promise<Record<string, number | undefined>> {
    const views = await store.loadMessages('g', undefined, 50)
    const withCounts = await store.withUnreadCounts('g', views, ME)
    return Object.fromEntries(withCounts.map((view) => [view.id!, view.unreadCount]))
  }

  it('counts, for each of my messages, the other members who have not read that far', async () => {
    await apply([group, message(1, ME), message(2, ME), message(3, ME)])
    expect(await counts()).toEqual({ m1: 2, m2: 2, m3: 2 })

    await apply([memberRead(BOB, 2)])
    expect(await counts()).toEqual({ m1: 1, m2: 1, m3: 2 })
    expect(await store.readReceipts('g', 'm3', ME)).toEqual({ read: [], unread: [BOB, CAROL] })
    expect(await store.readReceipts('g', 'm2', ME)).toEqual({ read: [BOB], unread: [CAROL] })
  })

  it('never moves a member back, and counts a member who wrote later as having read', async () => {
    await apply([group, message(1, ME), message(2, ME), memberRead(BOB, 2)])
    await apply([memberRead(BOB, 1)])
    await apply([message(3, CAROL)])

    expect(await counts()).toEqual({ m1: 0, m2: 0, m3: undefined })
  })

  it('keeps the quote and mentions a message arrived with', async () => {
    const replyTo = { messageId: 'm1', senderId: ME, excerpt: '<b>text 1</b>', seq: 1 }
    await apply([group, message(1, ME), message(2, BOB, { replyTo, mentionIds: [ME] })])

    const [, reply] = await store.loadMessages('g', undefined, 50)
    expect(reply).toMatchObject({ replyTo, mentionIds: [ME] })
    expect((await store.getConversation('g', ME))?.mentionsMe).toBe(true)
    await store.markRead('g')
    expect((await store.getConversation('g', ME))?.mentionsMe).toBeUndefined()
  })
})
