import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sqlcipher from '@journeyapps/sqlcipher'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from './migrations'
import { Store, StoreOpenError, type MessageRecord, type SyncChange } from './store'

const ME = 'u-me'
const PEER = 'u-peer'

function conversationChange(id = 'c1'): SyncChange {
  return {
    kind: 'conversation',
    conversation: { id, kind: 'direct', title: '', memberIds: [ME, PEER], createdAt: 1000 },
  }
}

function messageChange(seq: number, senderId = PEER, text = `hello ${seq}`): SyncChange {
  return {
    kind: 'message',
    message: {
      id: `m${seq}`,
      conversationId: 'c1',
      seq,
      senderId,
      clientMessageId: `cm-${senderId}-${seq}`,
      text,
      sentAt: 1000 + seq,
    },
  }
}

describe('Store', () => {
  let dir: string
  let key: Buffer
  let path: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-store-'))
    key = randomBytes(32)
    path = join(dir, 'account.db')
  })

  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps no plaintext of a message in the database or its WAL', async () => {
    const secret = 'the launch code is PLAINTEXT-CANARY-4711'
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges([conversationChange(), messageChange(1, PEER, secret)], 2, ME)
    await store.close()

    const files = readdirSync(dir).filter((name) => name.startsWith('account.db'))
    expect(files).toContain('account.db')
    for (const name of files) {
      expect(readFileSync(join(dir, name)).includes(Buffer.from('PLAINTEXT-CANARY'))).toBe(false)
    }
  })

  it('refuses to open with a wrong key and leaves the data intact', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges([conversationChange(), messageChange(1)], 2, ME)
    await store.close()

    await expect(Store.open(path, randomBytes(32), { create: true })).rejects.toThrow(
      StoreOpenError,
    )
    await expect(Store.open(path, randomBytes(32), { create: true })).rejects.toThrow(
      /key does not match/,
    )

    const again = await Store.open(path, key, { create: false })
    expect((await again.loadMessages('c1', undefined, 50)).map((m) => m.text)).toEqual(['hello 1'])
    await again.close()
  })

  it('cannot be read by plain SQLite without the key', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.close()
    const plain = new sqlcipher.Database(path)
    const error = await new Promise<Error | null>((resolve) =>
      plain.get('SELECT count(*) FROM sqlite_master', (err: Error | null) => resolve(err)),
    )
    plain.close()
    expect(error?.message).toMatch(/not a database/)
  })

  it('does not create a database when asked to open an existing one that is missing', async () => {
    await expect(Store.open(path, key, { create: false })).rejects.toThrow(/no database/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('migrates a new database to the current schema version', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.close()
    const db = await new Promise<sqlcipher.Database>((resolve) => {
      const handle: sqlcipher.Database = new sqlcipher.Database(path, () => resolve(handle))
    })
    const version = await new Promise<number>((resolve, reject) => {
      db.exec(`PRAGMA key = "x'${key.toString('hex')}'"`, (err: Error | null) => {
        if (err) return reject(err)
        db.get('PRAGMA user_version', (e: Error | null, row: { user_version: number }) =>
          e ? reject(e) : resolve(row.user_version),
        )
      })
    })
    db.close()
    expect(version).toBe(SCHEMA_VERSION)
  })

  it('applies the same sync changes twice as once', async () => {
    const store = await Store.open(path, key, { create: true })
    const changes = [conversationChange(), messageChange(1), messageChange(2)]
    await store.applySyncChanges(changes, 3, ME)
    await store.applySyncChanges(changes, 3, ME)
    expect((await store.loadMessages('c1', undefined, 50)).map((m) => m.seq)).toEqual([1, 2])
    const [conversation] = await store.listConversations(ME)
    expect(conversation?.unreadCount).toBe(2)
    expect(await store.getSyncPoint()).toBe(3)
    await store.close()
  })

  it('gives a Chinese conversation title its pinyin, and an English one none', async () => {
    const store = await Store.open(path, key, { create: true })
    const group = (id: string, title: string): SyncChange => ({
      kind: 'conversation',
      conversation: { id, kind: 'group', title, memberIds: [ME, PEER], createdAt: 1000 },
    })
    await store.applySyncChanges([group('g1', '研发部 Eng'), group('g2', 'Launch')], 2, ME)
    const byId = new Map((await store.listConversations(ME)).map((c) => [c.id, c]))
    expect(byId.get('g1')?.titlePinyin).toEqual(['yan', 'fa', 'bu', ' ', 'e', 'n', 'g'])
    expect(byId.get('g2')?.titlePinyin).toBeUndefined()
    await store.close()
  })

  it('counts unread messages from others after the read position only', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges(
      [conversationChange(), messageChange(1), messageChange(2), messageChange(3, ME)],
      4,
      ME,
    )
    const [conversation] = await store.listConversations(ME)
    // No directory here: the last message comes without its sender's name.
    expect(conversation?.lastMessage).not.toHaveProperty('senderName')
    // My own message at seq 3 moved my read position past the two before it.
    expect(conversation?.unreadCount).toBe(0)
    await store.applySyncChanges([messageChange(4)], 5, ME)
    expect((await store.listConversations(ME))[0]?.unreadCount).toBe(1)
    expect(await store.markRead('c1')).toBe(4)
    expect((await store.listConversations(ME))[0]?.unreadCount).toBe(0)
    // Once the directory knows the sender, the last message carries the name (for notifications).
    const peer = { id: PEER, username: 'bob', name: '李博', nameEn: 'Bob Li' }
    const person = { ...peer, departmentId: 'd1', title: '', avatarColor: '#333' }
    await store.applySyncChanges([{ kind: 'user', person }], 6, ME)
    expect((await store.listConversations(ME))[0]?.lastMessage).toMatchObject({
      senderId: PEER,
      senderName: '李博',
    })
    await store.close()
  })

  it('lists only the conversations asked for by id, with their counts', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges(
      [
        conversationChange('c1'),
        conversationChange('c2'),
        conversationChange('c3'),
        messageChange(1),
      ],
      5,
      ME,
    )
    expect((await store.listConversations(ME)).map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c3'])
    const asked = await store.listConversations(ME, ['c1', 'c3', 'missing'])
    expect(asked.map((c) => c.id).sort()).toEqual(['c1', 'c3'])
    expect(asked.find((c) => c.id === 'c1')?.unreadCount).toBe(1)
    expect((await store.getConversation('c2', ME))?.id).toBe('c2')
    await store.close()
  })

  it('keeps a note of a group change as a message that is never unread', async () => {
    const store = await Store.open(path, key, { create: true })
    const note: SyncChange = {
      kind: 'message',
      message: {
        ...(messageChange(2) as { message: MessageRecord }).message,
        text: '',
        notice: { kind: 'renamed', title: 'Launch' },
      },
    }
    await store.applySyncChanges([conversationChange(), messageChange(1), note], 3, ME)

    const [conversation] = await store.listConversations(ME)
    expect(conversation?.unreadCount).toBe(1)
    expect(conversation?.lastMessage).toMatchObject({ text: '', notice: { kind: 'renamed' } })
    const messages = await store.loadMessages('c1', undefined, 10)
    expect(messages.map((m) => m.notice ?? null)).toEqual([
      null,
      { kind: 'renamed', title: 'Launch' },
    ])
    // Applied again (a resent packet), it is still one note.
    await store.applySyncChanges([note], 3, ME)
    expect(await store.loadMessages('c1', undefined, 10)).toHaveLength(2)
    await store.close()
  })

  it('keeps a draft with its mentions across a reopen, and forgets it when emptied', async () => {
    const first = await Store.open(path, key, { create: true })
    await first.applySyncChanges([conversationChange('c1'), conversationChange('c2')], 2, ME)
    const draft = {
      text: '@Li Na can you <b>check</b> this',
      mentions: [{ userId: 'u-li', name: 'Li Na' }],
    }
    await first.saveDraft('c1', draft)
    await first.saveDraft('c1', { ...draft, text: `${draft.text}?` })
    await first.close()

    const store = await Store.open(path, key, { create: true })
    const listed = await store.listConversations(ME)
    expect(listed.find((c) => c.id === 'c1')?.draft).toEqual({ ...draft, text: `${draft.text}?` })
    expect(listed.find((c) => c.id === 'c2')).not.toHaveProperty('draft')
    await store.saveDraft('c1', { text: '', mentions: [] })
    expect(await store.getConversation('c1', ME)).not.toHaveProperty('draft')
    await store.close()
  })

  it("shows as a conversation's last message the later by send time of its newest pending one and its highest seq", async () => {
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges([conversationChange(), messageChange(2), messageChange(1)], 3, ME)
    expect((await store.getConversation('c1', ME))?.lastMessage?.text).toBe('hello 2')
    for (const [clientMessageId, text] of [
      ['cm-a', 'first typed'],
      ['cm-b', 'typed last'],
    ]) {
      await store.enqueueMessage(
        {
          clientMessageId: clientMessageId!,
          conversationId: 'c1',
          text: text!,
          createdAt: 2000,
          attempts: 0,
        },
        ME,
      )
    }
    expect((await store.getConversation('c1', ME))?.lastMessage?.text).toBe('typed last')

    // A message sent before mine arrives late: mine, still unsent, stays the last.
    await store.applySyncChanges([messageChange(3)], 4, ME)
    expect((await store.getConversation('c1', ME))?.lastMessage?.text).toBe('typed last')
    // One sent after mine is the last, though mine is still unsent.
    await store.applySyncChanges([messageChange(1500)], 5, ME)
    expect((await store.getConversation('c1', ME))?.lastMessage).toMatchObject({
      senderId: PEER,
      text: 'hello 1500',
    })
    await store.close()
  })

  it('keeps a typed message in the outbox until the server confirms it', async () => {
    const store = await Store.open(path, key, { create: true })
    await store.applySyncChanges([conversationChange()], 1, ME)
    const pending = await store.enqueueMessage(
      { clientMessageId: 'cm-1', conversationId: 'c1', text: 'hi', createdAt: 5000, attempts: 0 },
      ME,
    )
    expect(pending.state).toBe('sending')
    expect((await store.listOutbox()).map((e) => e.clientMessageId)).toEqual(['cm-1'])

    await store.confirmMessage(
      {
        id: 'srv-1',
        conversationId: 'c1',
        seq: 1,
        senderId: ME,
        clientMessageId: 'cm-1',
        text: 'hi',
        sentAt: 5001,
      },
      ME,
    )
    expect(await store.listOutbox()).toEqual([])
    const messages = await store.loadMessages('c1', undefined, 50)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ state: 'sent', seq: 1, id: 'srv-1' })
    await store.close()
  })
})
