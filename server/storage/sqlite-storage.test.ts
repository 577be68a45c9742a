import { create } from '@bufbuild/protobuf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ConversationKind,
  ConversationSchema,
  DepartmentSchema,
  UserSchema,
} from '../../shared/gen/tack_pb'
import { openSqliteStorage, type SqliteStorage } from './sqlite-storage'

const NO_LIMIT = { maxItems: 1000, maxBytes: 1 << 20 }

describe('sqlite storage', () => {
  let storage: SqliteStorage

  beforeEach(() => {
    storage = openSqliteStorage(':memory:')
    storage.addDirectory({
      departments: [create(DepartmentSchema, { id: 'dept', name: '部', nameEn: 'Dept' })],
      users: ['u-a', 'u-b'].map((id) => ({
        user: create(UserSchema, { id, username: id.slice(2), departmentId: 'dept' }),
        passwordHash: 'scrypt$unused',
      })),
    })
    storage.createConversation(
      create(ConversationSchema, {
        id: 'd:u-a:u-b',
        kind: ConversationKind.DIRECT,
        memberIds: ['u-a', 'u-b'],
      }),
    )
  })
  afterEach(() => storage.close())

  function send(clientMessageId: string, text = 'x') {
    return storage.addMessage({
      conversationId: 'd:u-a:u-b',
      senderId: 'u-a',
      clientMessageId,
      text,
      sentAtMs: 1,
    })
  }

  it('gives each user sync ids from 1 without gaps, and a message seq per conversation', () => {
    send('m1')
    send('m2')

    const items = storage.readSyncLog('u-b', 0n, NO_LIMIT)
    expect(items.map((item) => [item.syncId, item.kind.case])).toEqual([
      [1n, 'conversationChanged'],
      [2n, 'messageCreated'],
      [3n, 'messageCreated'],
    ])
    const seqs = items.map((item) => item.kind.case === 'messageCreated' && item.kind.value.seq)
    expect(seqs.slice(1)).toEqual([1n, 2n])
    expect(storage.headSyncId('u-a')).toBe(3n)
  })

  it('keeps one message per sender and client message id', () => {
    const first = send('same', 'first')
    const second = send('same', 'second')

    expect(first.created).toBe(true)
    expect(second).toEqual({ message: first.message, created: false })
    expect(storage.headSyncId('u-b')).toBe(2n)
  })

  it('stops a sync log read at its byte budget but always returns at least one item', () => {
    send('m1', 'a'.repeat(1000))
    send('m2', 'b'.repeat(1000))

    expect(storage.readSyncLog('u-a', 1n, { maxItems: 10, maxBytes: 10 })).toHaveLength(1)
    expect(storage.readSyncLog('u-a', 1n, { maxItems: 10, maxBytes: 2500 })).toHaveLength(2)
    expect(storage.readSyncLog('u-a', 1n, { maxItems: 1, maxBytes: 2500 })).toHaveLength(1)
  })

  it('moves a read position forward only, and never past the last message', () => {
    send('m1')
    send('m2')

    expect(storage.moveReadPosition('u-b', 'd:u-a:u-b', 99n)).not.toBeNull()
    expect(storage.moveReadPosition('u-b', 'd:u-a:u-b', 1n)).toBeNull()
    expect(storage.moveReadPosition('u-b', 'd:u-a:u-b', 2n)).toBeNull()

    const last = storage.readSyncLog('u-b', 3n, NO_LIMIT)
    expect(last.map((item) => item.kind)).toMatchObject([
      { case: 'readPositionMoved', value: { conversationId: 'd:u-a:u-b', readSeq: 2n } },
    ])
    // The sender of the messages read gets one receipt item.
    expect(storage.readSyncLog('u-a', 3n, NO_LIMIT).map((item) => item.kind)).toMatchObject([
      {
        case: 'memberReadMoved',
        value: { conversationId: 'd:u-a:u-b', userId: 'u-b', readSeq: 2n },
      },
    ])
  })

  it('prunes each log to the newest items kept, and the head and next sync id stay where they were', () => {
    for (let i = 1; i <= 6; i++) send(`m${i}`)
    const head = storage.headSyncId('u-b')

    expect(storage.pruneSyncLogs({ keepItems: 2 }, Date.now())).toBeGreaterThan(0)

    expect(storage.syncLogFloor('u-b')).toBe(head - 2n)
    expect(storage.headSyncId('u-b')).toBe(head)
    expect(storage.readSyncLog('u-b', 0n, NO_LIMIT).map((item) => item.syncId)).toEqual([
      head - 1n,
      head,
    ])
    storage.pruneSyncLogs({ keepMs: 0 }, Date.now() + 1)
    expect(storage.readSyncLog('u-b', 0n, NO_LIMIT)).toEqual([])
    expect(storage.headSyncId('u-b')).toBe(head)
    send('m7')
    expect(storage.readSyncLog('u-b', 0n, NO_LIMIT).map((item) => item.syncId)).toEqual([head + 1n])
  })

  it('snapshots a user: conversations with read position, newest messages, unread before them', () => {
    for (let i = 1; i <= 5; i++) send(`m${i}`, `text ${i}`)

    const snapshot = storage.snapshot('u-b', 2)

    expect(snapshot.syncId).toBe(storage.headSyncId('u-b'))
    expect(snapshot.conversations).toMatchObject([
      { readSeq: 0n, lastSeq: 5n, firstSeq: 4n, unreadBeforeFirst: 3n },
    ])
    expect(snapshot.messages.map((stored) => stored.message.text)).toEqual(['text 4', 'text 5'])
    expect(storage.listMessagesBefore('d:u-a:u-b', 4n, 2).map((m) => m.message.seq)).toEqual([
      2n,
      3n,
    ])
  })
})
