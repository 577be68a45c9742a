import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Person } from '../../../shared/host-api'
import { newAttachment, type AttachmentRecord } from './attachments'
import { contactSearchKeys } from './contact-keys'
import { planMessageSearch } from './search'
import { Store, type SyncChange } from './store'

const ME = 'u-me'

function person(id: string, username: string, name: string, nameEn: string): Person {
  return { id, username, name, nameEn, departmentId: 'd1', title: '', avatarColor: '#000' }
}

function message(
  seq: number,
  text: string,
  conversationId = 'c1',
  attachment?: AttachmentRecord,
): SyncChange {
  return {
    kind: 'message',
    message: {
      id: `m${conversationId}-${seq}`,
      conversationId,
      seq,
      senderId: 'u-peer',
      clientMessageId: `cm-${conversationId}-${seq}`,
      text,
      sentAt: 1000 + seq,
      ...(attachment ? { attachment } : {}),
    },
  }
}

const file = (name: string) => newAttachment('file', name, 'application/pdf', 20)

describe('search', () => {
  let dir: string
  let store: Store

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-search-'))
    store = await Store.open(join(dir, 'account.db'), randomBytes(32), { create: true })
    await store.applySyncChanges(
      [
        {
          kind: 'conversation',
          conversation: { id: 'c1', kind: 'group', title: '发布', memberIds: [ME], createdAt: 1 },
        },
        message(1, '明天上午十点的评审会改到三楼会议室'),
        message(2, 'The Release review moved to Friday'),
        message(3, '好'),
        message(4, '评审通过了, ship it'),
        message(5, 'quote "this" and 100% of it_'),
      ],
      5,
      ME,
    )
    await store.replaceDirectory({
      departments: [],
      people: [
        person('u-wang', 'alice', '王爱丽', 'Alice Wang'),
        person('u-li', 'bob', '李博', 'Bob Li'),
        person('u-shan', 'dan', '单晓明', 'Xiaoming Shan'),
      ],
    })
  })

  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function found(query: string): Promise<(number | null)[]> {
    return (await store.searchMessages(query, 50, ME)).map((hit) => hit.message.seq)
  }

  it('finds a Chinese substring in the middle of a sentence', async () => {
    expect(await found('评审会')).toEqual([1])
    expect(await found('三楼会议')).toEqual([1])
  })

  it('finds English regardless of case, newest first', async () => {
    expect(await found('REVIEW')).toEqual([2])
    expect(await found('ship')).toEqual([4])
  })

  it('finds one- and two-character queries, which trigrams cannot index', async () => {
    expect(await found('评审')).toEqual([4, 1])
    expect(await found('好')).toEqual([3])
    expect(await found('it')).toEqual([5, 4])
  })

  it('needs every term of a query with several', async () => {
    expect(await found('评审 ship')).toEqual([4])
    expect(await found('review 评审')).toEqual([])
  })

  it('treats quotes, percent signs and underscores as plain text', async () => {
    expect(await found('"this"')).toEqual([5])
    expect(await found('100%')).toEqual([5])
    expect(await found('%')).toEqual([5])
    expect(await found('_')).toEqual([5])
    expect(planMessageSearch('a "b" AND c')).toEqual({
      match: '"""b""" AND "AND"',
      likes: ['%a%', '%c%'],
    })
  })

  it('tells which conversation each hit is in', async () => {
    const [hit] = await store.searchMessages('Friday', 10, ME)
    expect(hit).toMatchObject({ conversationTitle: '发布', message: { conversationId: 'c1' } })
  })

  it('keeps the index in step when a sent message is confirmed', async () => {
    await store.enqueueMessage(
      {
        clientMessageId: 'mine-1',
        conversationId: 'c1',
        text: '我的草稿',
        createdAt: 9,
        attempts: 0,
      },
      ME,
    )
    expect(await found('我的草稿')).toEqual([null])
    await store.confirmMessage(
      {
        id: 'm-mine',
        conversationId: 'c1',
        seq: 6,
        senderId: ME,
        clientMessageId: 'mine-1',
        text: '我的草稿',
        sentAt: 10,
      },
      ME,
    )
    expect(await found('我的草稿')).toEqual([6])
  })

  describe('by the name of a file or image', () => {
    beforeEach(async () => {
      await store.applySyncChanges(
        [
          message(6, '', 'c1', file('Q3 plan.pdf')),
          message(7, '', 'c1', newAttachment('image', '第三季度路线图.png', 'image/png', 20)),
          message(8, 'the plan is attached', 'c1', file('plan-final.pdf')),
          message(9, 'budget numbers', 'c1', file('roadmap.xlsx')),
          message(10, '', 'c1', newAttachment('voice', 'voice-20261204.webm', 'audio/webm', 20)),
        ],
        10,
        ME,
      )
    })

    it('finds a message by its whole file name and by a part of it', async () => {
      expect(await found('Q3 plan.pdf')).toEqual([6])
      expect(await found('Q3 plan')).toEqual([6])
      expect(await found('PLAN.PDF')).toEqual([6])
      expect(await found('Q3')).toEqual([6])
    })

    it('finds an image by a Chinese part of its name, long or short', async () => {
      expect(await found('季度路线')).toEqual([7])
      expect(await found('路线')).toEqual([7])
      expect(await found('.png')).toEqual([7])
    })

    it('finds a message once when both its text and its file name match', async () => {
      expect(await found('plan')).toEqual([8, 6])
      expect(await found('pl')).toEqual([8, 6])
    })

    it('needs each term in the text or the name, either one', async () => {
      expect(await found('budget roadmap')).toEqual([9])
      expect(await found('budget Q3')).toEqual([])
    })

    it('does not find a voice recording by its made-up name', async () => {
      expect(await found('voice-2026')).toEqual([])
      expect(await found('webm')).toEqual([])
    })

    it('no longer finds a recalled message by its file name', async () => {
      await store.applySyncChanges(
        [{ kind: 'recall', conversationId: 'c1', messageId: 'mc1-6' }],
        11,
        ME,
      )
      expect(await found('Q3 plan')).toEqual([])
      expect(await found('Q3')).toEqual([])
      expect(await found('plan')).toEqual([8])
    })

    it('finds my own file message while it waits, and not once it is cancelled', async () => {
      await store.enqueueMessage(
        { clientMessageId: 'mine-f', conversationId: 'c1', text: '', createdAt: 9, attempts: 0 },
        ME,
        undefined,
        { ...file('合同草案.docx'), localPath: '/tmp/合同草案.docx', uploadId: 'up-1' },
      )
      expect(await found('合同草案')).toEqual([null])
      await store.attachments.removeUnsent(ME, 'mine-f')
      expect(await found('合同草案')).toEqual([])
      expect(await found('合同')).toEqual([])
    })

    it('applies a packet with the same file messages again without indexing them twice', async () => {
      await store.applySyncChanges([message(6, '', 'c1', file('Q3 plan.pdf'))], 11, ME)
      expect(await found('Q3 plan')).toEqual([6])
    })
  })

  it('opens a conversation around a message, that message included', async () => {
    const around = await store.loadMessagesAround('c1', 3)
    expect(around.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('finds contacts by name, English name, full pinyin and pinyin initials', async () => {
    const usernames = async (query: string) =>
      (await store.searchContacts(query, 10)).map((p) => p.username)
    expect(await usernames('爱丽')).toEqual(['alice'])
    expect(await usernames('alice')).toEqual(['alice'])
    expect(await usernames('wangaili')).toEqual(['alice'])
    expect(await usernames('wang ai li')).toEqual(['alice'])
    expect(await usernames('wal')).toEqual(['alice'])
    expect(await usernames('lb')).toEqual(['bob'])
    expect(await usernames('li')).toEqual(['bob', 'alice'])
    expect(await usernames('sxm')).toEqual(['dan'])
  })

  it('reads a surname as a surname in pinyin', () => {
    expect(contactSearchKeys('单晓明')).toEqual({
      pinyinFull: 'shanxiaoming',
      pinyinInitials: 'sxm',
    })
  })
})
