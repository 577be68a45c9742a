import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { en } from '../i18n/en'
import { zhCN } from '../i18n/zh-cn'
import { receiptLabel } from './read-receipt'

describe('read receipt label', () => {
  const instance = i18next.createInstance()
  void instance.init({
    lng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false },
  })
  const t = instance.t as Parameters<typeof receiptLabel>[2]

  it('counts the unread members of a group, and says when all have read', () => {
    expect(receiptLabel('group', 2, t, 'en')).toBe('2 unread')
    expect(receiptLabel('group', 1234, t, 'en')).toBe('1,234 unread')
    expect(receiptLabel('group', 0, t, 'en')).toBe('All read')
  })

  it('says read or unread in a direct conversation', () => {
    expect(receiptLabel('direct', 1, t, 'en')).toBe('Unread')
    expect(receiptLabel('direct', 0, t, 'en')).toBe('Read')
  })

  it('speaks Chinese the way Chinese workplaces write receipts', async () => {
    await instance.changeLanguage('zh-CN')
    expect(receiptLabel('group', 3, t, 'zh-CN')).toBe('3人未读')
    expect(receiptLabel('group', 0, t, 'zh-CN')).toBe('全部已读')
    expect(receiptLabel('direct', 0, t, 'zh-CN')).toBe('已读')
    await instance.changeLanguage('en')
  })
})
