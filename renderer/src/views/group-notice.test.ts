import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import type { Person } from '../../../shared/host-api'
import { en } from '../i18n/en'
import { zhCN } from '../i18n/zh-cn'
import { groupNoticeText } from './group-notice'

function person(id: string, name: string): Person {
  return { id, username: id, name, nameEn: name, departmentId: 'd', title: '', avatarColor: '#333' }
}

describe('notes of group changes', () => {
  const instance = i18next.createInstance()
  void instance.init({
    lng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false },
  })
  const t = instance.t as Parameters<typeof groupNoticeText>[4]
  const people = { 'u-li': person('u-li', '李娜'), 'u-wang': person('u-wang', '王伟') }
  const text = (notice: Parameters<typeof groupNoticeText>[0], actor: string) =>
    groupNoticeText(notice, actor, { myId: 'u-me', language: instance.language }, people, t)

  it('name who did what, with "You" for me and the title as given', () => {
    expect(text({ kind: 'created', title: 'Launch' }, 'u-me')).toBe(
      'You created the group “Launch”',
    )
    expect(text({ kind: 'renamed', title: '<b>Q3</b>' }, 'u-li')).toBe(
      '李娜 renamed the group to “<b>Q3</b>”',
    )
    // Me last, however the server listed us; three or more as English lists them.
    expect(text({ kind: 'membersAdded', memberIds: ['u-me', 'u-wang'] }, 'u-li')).toBe(
      '李娜 added 王伟 and you',
    )
    expect(text({ kind: 'membersAdded', memberIds: ['u-wang', 'u-me', 'u-gone'] }, 'u-li')).toBe(
      '李娜 added 王伟, Unknown, and you',
    )
    expect(text({ kind: 'membersRemoved', memberIds: ['u-gone'] }, 'u-me')).toBe(
      'You removed Unknown',
    )
    expect(text({ kind: 'left' }, 'u-wang')).toBe('王伟 left the group')
    expect(text({ kind: 'changed' }, 'u-wang')).toBe('王伟 changed the group')
  })

  it('read as Chinese does in Chinese', async () => {
    await instance.changeLanguage('zh-CN')
    expect(text({ kind: 'membersAdded', memberIds: ['u-me', 'u-wang'] }, 'u-li')).toBe(
      '李娜邀请王伟和你加入了群聊',
    )
    expect(text({ kind: 'membersRemoved', memberIds: ['u-wang', 'u-li', 'u-gone'] }, 'u-me')).toBe(
      '你将王伟、李娜和未知移出了群聊',
    )
    expect(text({ kind: 'renamed', title: '发布' }, 'u-me')).toBe('你将群名称改为“发布”')
    await instance.changeLanguage('en')
  })
})
