import { describe, expect, it } from 'vitest'
import type { ConversationView, HostApi, Person } from '../../../shared/host-api'
import { resolveTheme } from '../preferences/apply-preferences'
import { createI18n } from '../i18n/i18n'
import { createTackStore, type TackState } from '../store/store'
import { matchConversations } from '../views/quick-switcher'
import { noticesFor, noticeWords } from './notify-new-messages'
import { titleWithUnread } from './unread-title'

const me: Person = {
  id: 'u-me',
  username: 'alice',
  name: 'Alice',
  nameEn: 'Alice',
  departmentId: 'd',
  title: '',
  avatarColor: '#333',
}
const bob: Person = { ...me, id: 'u-bob', username: 'bob', name: 'Bob' }

function conversation(
  id: string,
  lastFrom: string | null,
  sentAt: number,
  unreadCount: number,
  kind: ConversationView['kind'] = 'direct',
): ConversationView {
  return {
    id,
    kind,
    title: `Title ${id}`,
    memberIds: [me.id, bob.id],
    peerId: kind === 'direct' ? bob.id : null,
    lastMessage: lastFrom ? { senderId: lastFrom, text: `<b>hi</b>  from ${id}`, sentAt } : null,
    unreadCount,
    lastActivityAt: sentAt,
  }
}

function stateWith(conversations: ConversationView[], change: Partial<TackState> = {}): TackState {
  // noticesFor only reads state, so a store with a host that has no methods will do.
  const store = createTackStore({} as HostApi)
  store.setState({
    session: { me, serverAddress: 'localhost:1' },
    peopleById: { [me.id]: me, [bob.id]: bob },
    conversations,
    conversationsLoaded: true,
    ...change,
  })
  return store.getState()
}

const words = noticeWords(createI18n('en').t)

describe('noticesFor', () => {
  const before = stateWith([conversation('a', bob.id, 1, 0), conversation('b', bob.id, 1, 0)])

  it('tells of a new unread message from someone else in a conversation not in front', () => {
    const after = stateWith([conversation('a', bob.id, 2, 1), conversation('b', bob.id, 1, 0)])
    expect(noticesFor(before, after, true, words)).toEqual([
      {
        conversationId: 'a',
        title: 'Title a',
        body: '<b>hi</b> from a',
        message: after.conversations[0]!.lastMessage,
      },
    ])
  })

  it('names the sender in a group', () => {
    const after = stateWith([conversation('a', bob.id, 2, 1, 'group')])
    expect(noticesFor(before, after, true, words)[0]?.body).toBe('Bob: <b>hi</b> from a')
  })

  it('stays quiet for the open conversation of a visible page, but not a hidden one', () => {
    const after = stateWith([conversation('a', bob.id, 2, 1)], {
      openConversationId: 'a',
      view: 'chats',
    })
    expect(noticesFor(before, after, true, words)).toEqual([])
    expect(noticesFor(before, after, false, words)).toHaveLength(1)
  })

  it('stays quiet for a conversation I muted', () => {
    const after = stateWith([{ ...conversation('a', bob.id, 2, 1), muted: true }])
    expect(noticesFor(before, after, true, words)).toEqual([])
  })

  it('tells of a message that @-mentions me even in a conversation I muted', () => {
    const after = stateWith([{ ...conversation('a', bob.id, 2, 1), muted: true, mentionsMe: true }])
    expect(noticesFor(before, after, true, words).map((notice) => notice.conversationId)).toEqual([
      'a',
    ])
  })

  it('says what an attachment sent without text is, in the UI language', () => {
    type Attachment = NonNullable<ConversationView['lastMessage']>['attachment']
    const attachments: Attachment[] = [
      { kind: 'file', name: 'plan.pdf' },
      { kind: 'image', name: 'photo.png' },
      { kind: 'voice', name: 'voice.webm', durationMs: 7_000 },
      { kind: 'voice', name: 'voice.webm' },
    ]
    const alone = (attachment: Attachment) =>
      stateWith([
        {
          ...conversation('a', bob.id, 2, 1),
          lastMessage: { senderId: bob.id, text: '', sentAt: 2, attachment },
        },
      ])
    const bodies = (language: 'en' | 'zh-CN') =>
      attachments.map(
        (attachment) =>
          noticesFor(before, alone(attachment), true, noticeWords(createI18n(language).t))[0]?.body,
      )
    expect(bodies('en')).toEqual([
      '[File] plan.pdf',
      '[Image]',
      '[Voice message] 0:07',
      '[Voice message]',
    ])
    expect(bodies('zh-CN')).toEqual(['[文件] plan.pdf', '[图片]', '[语音] 0:07', '[语音]'])
  })

  it('tells of the first message of a conversation new to the list', () => {
    const after = stateWith([conversation('new', bob.id, 2, 1), ...before.conversations])
    expect(noticesFor(before, after, true, words).map((notice) => notice.conversationId)).toEqual([
      'new',
    ])
  })

  it('stays quiet for my own messages, read ones, the first list, and when switched off', () => {
    expect(noticesFor(before, stateWith([conversation('a', me.id, 2, 1)]), true, words)).toEqual([])
    expect(noticesFor(before, stateWith([conversation('a', bob.id, 2, 0)]), true, words)).toEqual(
      [],
    )
    const first = stateWith([], { conversationsLoaded: false })
    expect(noticesFor(first, stateWith([conversation('a', bob.id, 2, 1)]), true, words)).toEqual([])
    const off = stateWith([conversation('a', bob.id, 2, 1)], {
      preferences: { language: 'en', theme: 'system', notificationsEnabled: false },
    })
    expect(noticesFor(before, off, true, words)).toEqual([])
  })
})

describe('titleWithUnread', () => {
  it('puts the unread total in front of the name, only when there is one', () => {
    expect(titleWithUnread('Tack', 3, 'en')).toBe('(3) Tack')
    expect(titleWithUnread('Tack', 1234, 'en')).toBe('(1,234) Tack')
    expect(titleWithUnread('Tack', 0, 'en')).toBe('Tack')
  })
})

describe('resolveTheme', () => {
  it('follows the system only when asked to', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
    expect(resolveTheme('dark', false)).toBe('dark')
  })
})

describe('matchConversations', () => {
  it('matches every word of the query in the title, ignoring case and width', () => {
    const list = [
      { ...conversation('1', null, 1, 0), title: 'Launch Planning' },
      { ...conversation('2', null, 1, 0), title: '项目 ＡＢＣ 评审' },
    ]
    expect(matchConversations(list, 'plan LAUN').map((c) => c.id)).toEqual(['1'])
    expect(matchConversations(list, 'abc 评审').map((c) => c.id)).toEqual(['2'])
    expect(matchConversations(list, '')).toHaveLength(2)
  })
})
