// One migration, one test: each builds a database at the version before, with data in it, and
// opens it with the current code.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newAttachment } from './attachments'
import { SCHEMA_VERSION } from './migrations'
import { openEncryptedDatabase } from './open-database'
import { Store } from './store'

const ME = 'u-me'

describe('store migrations', () => {
  let dir: string
  let path: string
  const key = randomBytes(32)

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-migrate-'))
    path = join(dir, 'account.db')
  })

  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A database at `version`, with rows written the way that version wrote them. */
  async function databaseAt(version: number, fill: (sql: string[]) => void): Promise<void> {
    const db = await openEncryptedDatabase(path, key, { create: true, upToVersion: version })
    const statements: string[] = []
    fill(statements)
    for (const statement of statements) await db.exec(statement)
    expect(await db.get('PRAGMA user_version')).toEqual({ user_version: version })
    await db.close()
  }

  it('migration 1 makes an empty file a store with every table', async () => {
    const store = await Store.open(path, key, { create: true })
    expect(await store.getSyncPoint()).toBe(0)
    expect(await store.listOutbox()).toEqual([])
    await store.close()
  })

  it('migration 2 indexes the messages and contacts a version-1 database already holds', async () => {
    await databaseAt(1, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, '明天上午十点的评审会改到三楼', 2, 'sent'),
                ('c1', 'u-me', 'cm2', NULL, NULL, 'see you at the review', 3, 'sending')`,
        `INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
         VALUES ('cm2', 'c1', 'see you at the review', 3)`,
        `INSERT INTO contacts (id, username, name, name_en, department_id, title, avatar_color)
         VALUES ('u-wang', 'alice', '王爱丽', 'Alice Wang', 'd1', 'Engineer', '#333')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const hits = await store.searchMessages('评审会', 10, ME)
    expect(hits.map((hit) => hit.message.clientMessageId)).toEqual(['cm1'])
    expect(hits[0]?.conversationTitle).toBe('Launch')
    expect((await store.searchMessages('review', 10, ME)).map((h) => h.message.text)).toEqual([
      'see you at the review',
    ])
    expect((await store.searchContacts('wal', 10)).map((p) => p.username)).toEqual(['alice'])
    expect((await store.listOutbox()).map((entry) => entry.clientMessageId)).toEqual(['cm2'])
    await store.close()
  })

  it('migration 3 applies a whole packet in one statement on a version-2 database with history', async () => {
    await databaseAt(2, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'direct', '', '["u-me","u-wang"]', 1, 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, 'first', 2, 'sent'),
                ('c1', 'u-me', 'cm2', NULL, NULL, 'typed before the upgrade', 3, 'sending')`,
        `INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
         VALUES ('cm2', 'c1', 'typed before the upgrade', 3)`,
        `INSERT INTO kv (key, value) VALUES ('sync_point', '1')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const mine = {
      id: 'm2',
      conversationId: 'c1',
      seq: 2,
      senderId: ME,
      clientMessageId: 'cm2',
      text: 'typed before the upgrade',
      sentAt: 4,
    }
    const theirs = { ...mine, id: 'm3', seq: 3, senderId: 'u-wang', clientMessageId: 'cm3' }
    await store.applySyncChanges(
      [
        { kind: 'message', message: mine },
        { kind: 'message', message: { ...theirs, text: 'after the upgrade' } },
      ],
      3,
      ME,
    )
    expect(await store.getSyncPoint()).toBe(3)
    expect(await store.listOutbox()).toEqual([])
    const messages = await store.loadMessages('c1', undefined, 10)
    expect(messages.map((m) => [m.seq, m.state])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [3, 'sent'],
    ])
    const [conversation] = await store.listConversations(ME)
    expect(conversation?.unreadCount).toBe(1)
    expect((await store.searchMessages('after the', 5, ME)).map((h) => h.message.id)).toEqual([
      'm3',
    ])
    await store.close()
  })

  it('migration 4 recalls, pins and mutes through the packet statement on a version-3 database', async () => {
    await databaseAt(3, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 2)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, 'the secret plan', 2, 'sent'),
                ('c1', 'u-wang', 'cm2', 'm2', 2, 'the public plan', 3, 'sent')`,
        `INSERT INTO kv (key, value) VALUES ('sync_point', '2')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const settings = { conversationId: 'c1', pinned: true, muted: false }
    await store.applySyncChanges(
      [
        { kind: 'recall', conversationId: 'c1', messageId: 'm1' },
        { kind: 'settings', settings: { ...settings, muted: true } },
        { kind: 'settings', settings },
      ],
      4,
      ME,
    )

    expect(await store.getSyncPoint()).toBe(4)
    const messages = await store.loadMessages('c1', undefined, 10)
    expect(messages.map((m) => [m.id, m.text, m.recalled ?? false])).toEqual([
      ['m1', '', true],
      ['m2', 'the public plan', false],
    ])
    expect(await store.searchMessages('secret', 5, ME)).toEqual([])
    const [conversation] = await store.listConversations(ME)
    expect(conversation).toMatchObject({ unreadCount: 1, pinned: true, muted: false })
    expect(await store.unsentReads()).toEqual(new Map())
    await store.close()
  })

  it('migration 5 keeps history and unread counts on a version-4 database, then takes a reset', async () => {
    await databaseAt(4, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq, pinned)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 2, 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, 'first', 2, 'sent'),
                ('c1', 'u-wang', 'cm2', 'm2', 2, 'second', 3, 'sent')`,
        `INSERT INTO kv (key, value) VALUES ('sync_point', '2')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    expect(await store.listConversations(ME)).toMatchObject([{ unreadCount: 2, pinned: true }])

    // A reset at sync point 40: messages 9 and 10 only; 3 to 8 are a hole with 5 unread in it
    // (one of the six is mine), and the conversation is no longer pinned.
    const conversation = {
      id: 'c1',
      kind: 'group' as const,
      title: 'Launch v2',
      memberIds: ['u-me', 'u-wang'],
      createdAt: 1,
    }
    const message = (seq: number) => ({
      id: `m${seq}`,
      conversationId: 'c1',
      seq,
      senderId: 'u-wang',
      clientMessageId: `cm${seq}`,
      text: `message ${seq}`,
      sentAt: 10 + seq,
    })
    await store.applySnapshot(
      {
        syncId: 40,
        conversations: [
          {
            conversation,
            pinned: false,
            muted: true,
            readSeq: 1,
            lastSeq: 10,
            firstSeq: 9,
            unreadBeforeFirst: 6,
          },
        ],
        messages: [message(9), message(10)],
        recalledMessageIds: [],
        devices: null,
      },
      ME,
    )

    expect(await store.getSyncPoint()).toBe(40)
    const [view] = await store.listConversations(ME)
    expect(view).toMatchObject({ title: 'Launch v2', unreadCount: 8, pinned: false, muted: true })
    const kept = await store.loadMessages('c1', undefined, 10)
    expect(kept.map((m) => m.seq)).toEqual([1, 2, 9, 10])
    expect(await store.hasWholePage('c1', undefined, 2)).toEqual({ whole: true, top: 10 })
    expect(await store.hasWholePage('c1', 9, 3)).toEqual({ whole: false, top: 8 })
    await store.close()
  })

  it('migration 6 keeps uploads and their chunks on a version-5 database with history', async () => {
    // Version 5 (sync, #5) may not exist in this tree yet; the database is at whatever comes
    // before 6, with a message in the outbox that must survive.
    const before = await openEncryptedDatabase(path, key, { create: true, upToVersion: 5 })
    await before.exec(
      `INSERT INTO conversations (id, kind, title, member_ids, created_at)
       VALUES ('c1', 'direct', '', '["u-me","u-wang"]', 1);
       INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
       VALUES ('cm1', 'c1', 'the file follows', 2)`,
    )
    expect(
      (await before.get<{ user_version: number }>('PRAGMA user_version'))!.user_version,
    ).toBeLessThan(6)
    await before.close()

    const store = await Store.open(path, key, { create: false })
    const record = {
      id: 'up1',
      kind: 'file' as const,
      name: 'plan.pdf',
      mime: 'application/pdf',
      conversationId: 'c1',
      path: '/home/me/plan.pdf',
      size: 20,
      mtimeMs: 1_700_000_000_123.5,
      sha256: null,
      chunkSize: 8,
      chunks: [
        { index: 0, start: 0, length: 8, url: '/uploads/p0', offset: 8 },
        { index: 1, start: 8, length: 8, url: '/uploads/p1', offset: 3 },
        { index: 2, start: 16, length: 4, url: null, offset: 0 },
      ],
      finalUrl: null,
      fileId: null,
      status: 'uploading' as const,
      error: null,
      createdAt: 10,
      updatedAt: 11,
    }
    await store.uploads.saveUpload(record)
    await store.uploads.saveChunk('up1', {
      index: 2,
      start: 16,
      length: 4,
      url: '/uploads/p2',
      offset: 1,
    })
    expect(await store.uploads.loadUploads()).toEqual([
      {
        ...record,
        chunks: [
          ...record.chunks.slice(0, 2),
          { index: 2, start: 16, length: 4, url: '/uploads/p2', offset: 1 },
        ],
      },
    ])
    expect((await store.listOutbox()).map((entry) => entry.clientMessageId)).toEqual(['cm1'])

    await store.uploads.deleteUpload('up1')
    expect(await store.uploads.loadUploads()).toEqual([])
    await store.close()
  })

  it('migration 7 keeps the outbox on a version-6 database and holds a file message back', async () => {
    await databaseAt(6, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at)
         VALUES ('c1', 'direct', '', '["u-me","u-wang"]', 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, text, sent_at, state)
         VALUES ('c1', 'u-me', 'cm1', 'typed before', 2, 'sending')`,
        `INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
         VALUES ('cm1', 'c1', 'typed before', 2)`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    expect((await store.listOutbox()).map((entry) => entry.clientMessageId)).toEqual(['cm1'])
    const file = newAttachment('file', 'plan.pdf', 'application/pdf', 20)
    await store.enqueueMessage(
      { clientMessageId: 'cm2', conversationId: 'c1', text: '', createdAt: 3, attempts: 0 },
      ME,
      undefined,
      { ...file, localPath: '/home/me/plan.pdf', uploadId: 'up1' },
    )
    // Waiting for its upload, the file message is not listed for sending.
    expect((await store.listOutbox()).map((entry) => entry.clientMessageId)).toEqual(['cm1'])

    await store.attachments.completeUpload(ME, 'cm2', { fileId: 'f1', sha256: 'ab', size: 20 })
    const outbox = await store.listOutbox()
    expect(outbox.map((entry) => entry.clientMessageId)).toEqual(['cm1', 'cm2'])
    expect(outbox[1]?.attachment).toEqual({ ...file, fileId: 'f1', sha256: 'ab' })
    expect(await store.attachments.find(ME, 'cm2')).toMatchObject({
      localPath: '/home/me/plan.pdf',
      uploadId: null,
    })
    await store.close()
  })

  it('migration 8 adds quotes, mentions and member read positions on a version-7 database', async () => {
    await databaseAt(7, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-me', 'cm1', 'm1', 1, 'review at ten', 2, 'sent'),
                ('c1', 'u-me', 'cm2', NULL, NULL, 'on my way', 3, 'sending')`,
        `INSERT INTO outbox (client_message_id, conversation_id, text, created_at)
         VALUES ('cm2', 'c1', 'on my way', 3)`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    expect(await store.listOutbox()).toMatchObject([{ clientMessageId: 'cm2', mentionIds: [] }])
    const [sent] = await store.withUnreadCounts(
      'c1',
      await store.loadMessages('c1', undefined, 10),
      ME,
    )
    expect(sent).toMatchObject({ text: 'review at ten', unreadCount: 1 })
    expect(sent?.replyTo).toBeUndefined()
    await store.applySyncChanges(
      [{ kind: 'memberRead', conversationId: 'c1', userId: 'u-wang', readSeq: 1 }],
      9,
      ME,
    )
    expect(await store.readReceipts('c1', 'm1', ME)).toEqual({ read: ['u-wang'], unread: [] })
    await store.close()
  })

  it('migration 9 indexes the file names of the messages a version-8 database holds', async () => {
    const attachment = (cm: string, kind: string, name: string) =>
      `('u-wang', '${cm}', 'c1', '${kind}', 'f-${cm}', '${name}', 20, 'application/octet-stream')`
    await databaseAt(8, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 5)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text,
           sent_at, state, recalled)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, '', 2, 'sent', 0),
                ('c1', 'u-wang', 'cm2', 'm2', 2, '路线图见附件', 3, 'sent', 0),
                ('c1', 'u-wang', 'cm3', 'm3', 3, '', 4, 'sent', 0),
                ('c1', 'u-wang', 'cm4', 'm4', 4, '', 5, 'sent', 1),
                ('c1', 'u-wang', 'cm5', 'm5', 5, 'review at ten', 6, 'sent', 0)`,
        `INSERT INTO attachments (sender_id, client_message_id, conversation_id, kind, file_id,
           name, size, mime)
         VALUES ${attachment('cm1', 'file', 'Q3 plan.pdf')}, ${attachment('cm2', 'image', '第三季度路线图.png')},
                ${attachment('cm3', 'voice', 'voice-1.webm')}, ${attachment('cm4', 'file', 'old plan.pdf')}`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const found = async (query: string) =>
      (await store.searchMessages(query, 10, ME)).map((hit) => hit.message.seq)
    expect(await found('Q3 plan')).toEqual([1])
    expect(await found('plan')).toEqual([1])
    expect(await found('季度路线')).toEqual([2])
    expect(await found('路线图')).toEqual([2])
    expect(await found('voice')).toEqual([])
    expect(await found('review')).toEqual([5])

    // New messages are indexed with their file's name through the packet statement.
    await store.applySyncChanges(
      [
        {
          kind: 'message',
          message: {
            id: 'm6',
            conversationId: 'c1',
            seq: 6,
            senderId: 'u-wang',
            clientMessageId: 'cm6',
            text: '',
            sentAt: 7,
            attachment: newAttachment('file', 'plan B.pdf', 'application/pdf', 20),
          },
        },
        { kind: 'recall', conversationId: 'c1', messageId: 'm1' },
      ],
      9,
      ME,
    )
    expect(await found('plan')).toEqual([6])
    await store.close()
  })

  it('migration 10 blanks the quotes of recalled messages a version-9 database holds, and later ones', async () => {
    const quote = (id: string, seq: number, excerpt: string) =>
      JSON.stringify({ messageId: id, senderId: 'u-wang', excerpt, seq })
    await databaseAt(9, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 4)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text,
           sent_at, state, recalled, reply_to)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, '', 2, 'sent', 1, NULL),
                ('c1', 'u-me', 'cm2', 'm2', 2, 'noted', 3, 'sent', 0,
                 '${quote('m1', 1, 'secret oops')}'),
                ('c1', 'u-wang', 'cm3', 'm3', 3, 'lunch at noon', 4, 'sent', 0, NULL),
                ('c1', 'u-me', 'cm4', 'm4', 4, 'yes', 5, 'sent', 0,
                 '${quote('m3', 3, 'lunch at noon')}')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const quotes = async () =>
      Object.fromEntries(
        (await store.loadMessages('c1', undefined, 20)).map((m) => [m.id, m.replyTo]),
      )
    expect((await quotes())['m2']).toEqual({
      messageId: 'm1',
      senderId: 'u-wang',
      excerpt: '',
      seq: 1,
      recalled: true,
    })
    expect((await quotes())['m4']).toMatchObject({ excerpt: 'lunch at noon' })

    // A recall blanks its quotes; a reply arriving after the recall, and a reply to a message
    // this store never had, are blanked as they arrive.
    const reply = (n: number, quoted: string, excerpt: string) => ({
      kind: 'message' as const,
      message: {
        id: `m${n}`,
        conversationId: 'c1',
        seq: n,
        senderId: 'u-wang',
        clientMessageId: `cm${n}`,
        text: 'ok',
        sentAt: n,
        replyTo: { messageId: quoted, senderId: 'u-me', excerpt, seq: 1 },
      },
    })
    await store.applySyncChanges(
      [
        { kind: 'recall', conversationId: 'c1', messageId: 'm3' },
        reply(5, 'm1', 'secret oops'),
        reply(6, 'm0', 'from before I joined'),
        { kind: 'recall', conversationId: 'c1', messageId: 'm0' },
      ],
      9,
      ME,
    )
    const after = await quotes()
    for (const id of ['m4', 'm5', 'm6']) {
      expect(after[id]).toMatchObject({ excerpt: '', recalled: true })
    }
    expect(await store.searchMessages('lunch', 10, ME)).toEqual([])
    await store.close()
  })

  it('migration 11 keeps member read positions on a version-10 database and learns who joined later', async () => {
    await databaseAt(10, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang","u-li"]', 1, 2)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-me', 'cm1', 'm1', 1, 'review at ten', 2, 'sent'),
                ('c1', 'u-me', 'cm2', 'm2', 2, 'room 3', 3, 'sent')`,
        `INSERT INTO member_reads (conversation_id, user_id, read_seq) VALUES ('c1', 'u-wang', 1)`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    expect(await store.readReceipts('c1', 'm1', ME)).toEqual({
      read: ['u-wang'],
      unread: ['u-li'],
    })
    // Li joined after message 1 (the server says so with the receipt); message 2 is after.
    await store.applySyncChanges(
      [{ kind: 'memberRead', conversationId: 'c1', userId: 'u-li', readSeq: 0, joinedSeq: 1 }],
      9,
      ME,
    )
    expect(await store.readReceipts('c1', 'm1', ME)).toEqual({ read: ['u-wang'], unread: [] })
    expect(await store.readReceipts('c1', 'm2', ME)).toEqual({
      read: [],
      unread: ['u-wang', 'u-li'],
    })
    await store.close()
  })

  it('migration 12 gives a version-11 database a place for drafts, none yet', async () => {
    await databaseAt(11, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 0)`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    expect(await store.getConversation('c1', ME)).not.toHaveProperty('draft')
    await store.saveDraft('c1', { text: 'agenda:', mentions: [] })
    expect((await store.getConversation('c1', ME))?.draft).toEqual({
      text: 'agenda:',
      mentions: [],
    })
    await store.close()
  })

  it('migration 13 keeps the messages of a version-12 database, none of them a note', async () => {
    await databaseAt(12, (sql) => {
      sql.push(
        `INSERT INTO conversations (id, kind, title, member_ids, created_at, last_seq)
         VALUES ('c1', 'group', 'Launch', '["u-me","u-wang"]', 1, 1)`,
        `INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text, sent_at, state)
         VALUES ('c1', 'u-wang', 'cm1', 'm1', 1, 'hi', 2, 'sent')`,
      )
    })

    const store = await Store.open(path, key, { create: false })
    const [message] = await store.loadMessages('c1', undefined, 10)
    expect(message).toMatchObject({ text: 'hi', senderId: 'u-wang' })
    expect(message).not.toHaveProperty('notice')
    expect((await store.getConversation('c1', ME))?.unreadCount).toBe(1)
    await store.close()
  })

  it('the latest migration is the one every test above ends on', () => {
    expect(SCHEMA_VERSION).toBe(13)
  })
})
