import { describe, expect, it } from 'vitest'
import type { Person } from '../../../shared/host-api'
import { filterMentionCandidates, mentionQueryAt } from './mention-picker'

function person(id: string, name: string, nameEn: string, pinyin: string[]): Person {
  return {
    id,
    username: id,
    name,
    nameEn,
    departmentId: 'd',
    title: '',
    avatarColor: '#000',
    pinyin,
  }
}

const members = [
  person('u-bob', '李博', 'Bob Li', ['li', 'bo']),
  person('u-carol', '陈卡罗', 'Carol Chen', ['chen', 'ka', 'luo']),
  person('u-libai', '白立', 'Li Bai', ['bai', 'li']),
  person('u-wang', '王爱丽', 'Alice Wang', ['wang', 'ai', 'li']),
]

const ids = (people: Person[]) => people.map((p) => p.id)

describe('mention picker', () => {
  it('finds the @ being typed at the caret, at the start or after a space only', () => {
    expect(mentionQueryAt('@', 1)).toEqual({ start: 1, query: '' })
    expect(mentionQueryAt('hi @ch', 6)).toEqual({ start: 4, query: 'ch' })
    expect(mentionQueryAt('hi @ch and more', 6)).toEqual({ start: 4, query: 'ch' })
    expect(mentionQueryAt('mail me at bob@example.com', 26)).toBeNull()
    expect(mentionQueryAt('@bob done', 9)).toBeNull()
    expect(mentionQueryAt('两个@@', 4)).toBeNull()
  })

  it('lists every member for an empty query, in member order, up to the limit', () => {
    expect(ids(filterMentionCandidates(members, ''))).toEqual(ids(members))
    expect(filterMentionCandidates(members, '', 2)).toHaveLength(2)
  })

  it('narrows by name, full pinyin, initials, English name and username', () => {
    expect(ids(filterMentionCandidates(members, '卡罗'))).toEqual(['u-carol'])
    expect(ids(filterMentionCandidates(members, 'chenkaluo'))).toEqual(['u-carol'])
    expect(ids(filterMentionCandidates(members, 'ckl'))).toEqual(['u-carol'])
    expect(ids(filterMentionCandidates(members, 'alice'))).toEqual(['u-wang'])
    expect(ids(filterMentionCandidates(members, 'u-wa'))).toEqual(['u-wang'])
    expect(filterMentionCandidates(members, 'zzz')).toEqual([])
  })

  it('puts name matches before pinyin matches, and earlier matches first', () => {
    // "li" is 李 of 李博 by pinyin at the start, 立 of 白立 and 丽 of 王爱丽 later on.
    expect(ids(filterMentionCandidates(members, 'li'))).toEqual(['u-bob', 'u-libai', 'u-wang'])
    expect(ids(filterMentionCandidates(members, '丽'))).toEqual(['u-wang'])
  })
})
