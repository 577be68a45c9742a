import { describe, expect, it } from 'vitest'
import type { ConversationView, LastMessageView } from './host-api'
import {
  formatDuration,
  messagePreview,
  noticeBody,
  notifiesOf,
  type AttachmentWords,
  type NoticeReader,
} from './message-notice'

const reader: NoticeReader = { me: 'me', notificationsEnabled: true, conversationInFront: null }
const earlier: LastMessageView = { senderId: 'bob', text: 'old', sentAt: 1 }
const fresh: LastMessageView = { senderId: 'bob', text: 'new', sentAt: 2 }

function conversation(change: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'c1',
    kind: 'group',
    title: 'Team',
    memberIds: ['me', 'bob'],
    peerId: null,
    lastMessage: fresh,
    unreadCount: 1,
    lastActivityAt: 2,
    ...change,
  }
}

describe('notifiesOf', () => {
  it('notifies of a new unread message from someone else', () => {
    expect(notifiesOf(conversation(), earlier, reader)).toBe(true)
    // A conversation new to the list: its first message is news.
    expect(notifiesOf(conversation(), undefined, reader)).toBe(true)
  })

  it('never notifies of a note of a group change', () => {
    const note = { ...fresh, text: '', notice: { kind: 'renamed' as const, title: 'Launch' } }
    expect(notifiesOf(conversation({ lastMessage: note }), earlier, reader)).toBe(false)
  })

  it('stays quiet when the reader turned notifications off', () => {
    expect(notifiesOf(conversation(), earlier, { ...reader, notificationsEnabled: false })).toBe(
      false,
    )
    const mention = conversation({ muted: true, mentionsMe: true })
    expect(notifiesOf(mention, earlier, { ...reader, notificationsEnabled: false })).toBe(false)
  })

  it('stays quiet in a muted conversation, except for a message that @-mentions me', () => {
    expect(notifiesOf(conversation({ muted: true }), earlier, reader)).toBe(false)
    expect(notifiesOf(conversation({ muted: true, mentionsMe: true }), earlier, reader)).toBe(true)
  })

  it('stays quiet for the conversation in front of the reader, even for a mention', () => {
    const inFront = { ...reader, conversationInFront: 'c1' }
    expect(notifiesOf(conversation(), earlier, inFront)).toBe(false)
    expect(notifiesOf(conversation({ mentionsMe: true }), earlier, inFront)).toBe(false)
    expect(notifiesOf(conversation(), earlier, { ...reader, conversationInFront: 'c2' })).toBe(true)
  })

  it('stays quiet for my own, read, missing or already known messages', () => {
    const mine = { ...fresh, senderId: 'me' }
    expect(notifiesOf(conversation({ lastMessage: mine }), earlier, reader)).toBe(false)
    expect(notifiesOf(conversation({ unreadCount: 0 }), earlier, reader)).toBe(false)
    expect(notifiesOf(conversation({ lastMessage: null }), earlier, reader)).toBe(false)
    expect(notifiesOf(conversation(), fresh, reader)).toBe(false)
  })
})

describe('messagePreview', () => {
  const words: AttachmentWords = {
    image: 'IMG',
    voice: 'VOICE',
    voiceOfLength: (length) => `VOICE ${length}`,
    file: (name) => `FILE ${name}`,
  }
  const alone = (attachment: LastMessageView['attachment']): LastMessageView => ({
    senderId: 'bob',
    text: '',
    sentAt: 1,
    attachment,
  })

  it('says what an attachment sent without text is', () => {
    expect(messagePreview(alone({ kind: 'file', name: 'plan.pdf' }), words)).toBe('FILE plan.pdf')
    expect(messagePreview(alone({ kind: 'image', name: 'a.png' }), words)).toBe('IMG')
    expect(messagePreview(alone({ kind: 'voice', name: 'v', durationMs: 7_400 }), words)).toBe(
      'VOICE 0:07',
    )
    // A recording still being made has no length yet.
    expect(messagePreview(alone({ kind: 'voice', name: 'v', durationMs: 0 }), words)).toBe('VOICE')
    expect(messagePreview(alone({ kind: 'voice', name: 'v' }), words)).toBe('VOICE')
  })

  it("keeps the message's own text, with or without an attachment", () => {
    expect(messagePreview(fresh, words)).toBe('new')
    const captioned = { ...alone({ kind: 'image', name: 'a.png' }), text: 'look' }
    expect(messagePreview(captioned, words)).toBe('look')
    // A recalled message has neither: the caller says it was recalled.
    expect(messagePreview(alone(undefined), words)).toBe('')
  })
})

describe('formatDuration', () => {
  it('gives minutes and two-digit seconds, rounded', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(7_400)).toBe('0:07')
    expect(formatDuration(59_600)).toBe('1:00')
    expect(formatDuration(85_000)).toBe('1:25')
  })
})

describe('noticeBody', () => {
  const words: AttachmentWords = {
    image: '[Image]',
    voice: '[Voice]',
    voiceOfLength: (length) => `[Voice] ${length}`,
    file: (name) => `[File] ${name}`,
  }

  it('puts a group sender before the text, on one line, cut to the length', () => {
    const message = { senderId: 'bob', text: 'see\n\n  you   at ten', sentAt: 1 }
    expect(noticeBody(message, null, words, 100)).toBe('see you at ten')
    expect(noticeBody(message, '李博', words, 100)).toBe('李博: see you at ten')
    expect(noticeBody(message, '李博', words, 3)).toBe('李博: see')
    const image = { ...message, text: '', attachment: { kind: 'image' as const, name: 'a.png' } }
    expect(noticeBody(image, '李博', words, 100)).toBe('李博: [Image]')
  })
})
