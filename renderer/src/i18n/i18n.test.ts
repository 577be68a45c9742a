import { describe, expect, it } from 'vitest'
import { en } from './en'
import { createI18n, detectLanguage } from './i18n'
import { zhCN } from './zh-cn'

function keysOf(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'object' && child !== null
      ? keysOf(child as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  )
}

describe('i18n', () => {
  it('picks Simplified Chinese for any Chinese browser language', () => {
    expect(detectLanguage(['zh-CN'])).toBe('zh-CN')
    expect(detectLanguage(['zh'])).toBe('zh-CN')
    expect(detectLanguage(['fr-FR', 'zh-Hans-CN'])).toBe('zh-CN')
  })

  it('falls back to English for languages it does not have', () => {
    expect(detectLanguage(['en-GB', 'zh-CN'])).toBe('en')
    expect(detectLanguage(['fr-FR'])).toBe('en')
    expect(detectLanguage([])).toBe('en')
  })

  it('has every English string in Chinese, and none left empty', () => {
    expect(keysOf(zhCN)).toEqual(keysOf(en))
    for (const key of keysOf(zhCN)) {
      const text = key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN)
      expect(text, key).not.toBe('')
    }
  })

  it('says "1 person" and "5 people" in English, and counts in Chinese without a plural', () => {
    const english = createI18n('en')
    expect(english.t('contacts.departmentTotal', { count: 1 })).toBe('1 person')
    expect(english.t('contacts.departmentTotal', { count: 5 })).toBe('5 people')
    expect(english.t('groups.memberCount', { count: 1 })).toBe('1 member')
    expect(english.t('groups.memberCount', { count: 3 })).toBe('3 members')
    expect(english.t('chat.members', { count: 1 })).toBe('1 member')
    expect(english.t('chat.members', { count: 0 })).toBe('0 members')

    const chinese = createI18n('zh-CN')
    expect(chinese.t('contacts.departmentTotal', { count: 1 })).toBe('1 人')
    expect(chinese.t('contacts.departmentTotal', { count: 5 })).toBe('5 人')
    expect(chinese.t('groups.memberCount', { count: 3 })).toBe('3 名成员')
  })
})
