import { describe, expect, it } from 'vitest'
import type { ConversationView, Person } from '../../../shared/host-api'
import { matchConversations } from './quick-switcher'

/** Titles with their pinyin as the core gives it (one entry per character). */
function conversation(id: string, title: string, titlePinyin?: string[]): ConversationView {
  return {
    id,
    kind: 'group',
    title,
    ...(titlePinyin ? { titlePinyin } : {}),
    memberIds: [],
    peerId: null,
    lastMessage: null,
    unreadCount: 0,
    lastActivityAt: 0,
  }
}

const engineering = conversation('eng', '研发部 Engineering', [
  ...['yan', 'fa', 'bu', ' '],
  ...Array.from('engineering'),
])
const bob = conversation('bob', '李博', ['li', 'bo'])
const alice = conversation('alice', '王爱丽', ['wang', 'ai', 'li'])
const libai = conversation('libai', '白立', ['bai', 'li'])
const launch = conversation('launch', 'Launch Planning')
const list = [engineering, libai, alice, launch, bob]

const ids = (query: string) => matchConversations(list, query).map((c) => c.id)

describe('quick switcher matching', () => {
  it('finds conversations by title as typed, full pinyin and pinyin initials', () => {
    expect(ids('研发')).toEqual(['eng'])
    expect(ids('eng')).toEqual(['eng'])
    expect(ids('yanfa')).toEqual(['eng'])
    expect(ids('yfb')).toEqual(['eng'])
    expect(ids('libo')).toEqual(['bob'])
    expect(ids('wangaili')).toEqual(['alice'])
    expect(ids('wal')).toEqual(['alice'])
    expect(ids('wang ai li')).toEqual(['alice'])
    expect(ids('zzz')).toEqual([])
  })

  it('puts the whole title first, then titles starting with the query, then the rest', () => {
    // "li": 李博 starts with li; 白立 and 王爱丽 have it inside, in the list's order.
    expect(ids('li')).toEqual(['bob', 'libai', 'alice'])
    // 王 is all of its title, 王爱丽 only starts with it; the list had them the other way round.
    const wang = conversation('wang', '王', ['wang'])
    expect(matchConversations([alice, wang], 'wang').map((c) => c.id)).toEqual(['wang', 'alice'])
    // The title as typed comes before the same place by pinyin.
    const li = conversation('li', 'li team')
    expect(matchConversations([bob, li], 'li').map((c) => c.id)).toEqual(['li', 'bob'])
  })

  it('keeps the list order for an empty query, and matches each word of a longer one', () => {
    expect(ids('')).toEqual(list.map((c) => c.id))
    expect(ids('plan LAUN')).toEqual(['launch'])
    expect(ids('engineering 研发')).toEqual(['eng'])
  })

  it("finds a direct conversation by the other person's English name or username, after titles", () => {
    const person = (id: string, name: string, nameEn: string, username: string): Person => ({
      id,
      username,
      name,
      nameEn,
      departmentId: 'd1',
      title: '',
      avatarColor: '#333',
    })
    const people: Record<string, Person> = {
      'u-bob': person('u-bob', '李博', 'Bob Li', 'bob'),
      'u-ann': person('u-ann', '安娜', 'Anna Bobrova', 'abobrova.k'),
    }
    const direct = (
      id: string,
      peerId: string,
      title: string,
      pinyin?: string[],
    ): ConversationView => ({
      ...conversation(id, title, pinyin),
      kind: 'direct',
      peerId,
    })
    const withBob = direct('d-bob', 'u-bob', '李博', ['li', 'bo'])
    const withAnn = direct('d-ann', 'u-ann', '安娜', ['an', 'na'])
    const bobsTeam = conversation('team', 'Bob team')
    // A group is never found by a member's name: only the title counts there.
    const group = { ...conversation('g', '周会'), peerId: 'u-bob' }
    const all = [withAnn, group, withBob, bobsTeam]
    const peerOf = (c: ConversationView) => (c.peerId ? people[c.peerId] : undefined)
    const found = (query: string) => matchConversations(all, query, peerOf).map((c) => c.id)

    // The title first; then the English name that starts with it; then one with it inside.
    expect(found('bob')).toEqual(['team', 'd-bob', 'd-ann'])
    expect(found('BOB LI')).toEqual(['d-bob'])
    // Words in any order, across the title and the English name.
    expect(found('li bob')).toEqual(['d-bob'])
    expect(found('bobrova 安娜')).toEqual(['d-ann'])
    expect(found('bobrova')).toEqual(['d-ann'])
    expect(found('a.k')).toEqual(['d-ann'])
    // By the title's pinyin, as before.
    expect(found('libo')).toEqual(['d-bob'])
    // Without the directory, only titles.
    expect(matchConversations(all, 'bobrova').map((c) => c.id)).toEqual([])
  })
})
