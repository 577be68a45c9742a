import { describe, expect, it } from 'vitest'
import { formatDay, sameDay } from './time'

const words = { today: 'Today', yesterday: 'Yesterday' }
const now = new Date(2026, 11, 3, 9, 30).getTime()

describe('formatDay', () => {
  it('says today and yesterday in the words given', () => {
    expect(formatDay(new Date(2026, 11, 3, 0, 1).getTime(), now, 'en', words)).toBe('Today')
    expect(formatDay(new Date(2026, 11, 2, 23, 59).getTime(), now, 'en', words)).toBe('Yesterday')
  })

  it('gives older days as a date in the locale, with the year only when it differs', () => {
    const earlier = new Date(2026, 10, 20, 12).getTime()
    expect(formatDay(earlier, now, 'en', words)).toContain('November 20')
    expect(formatDay(earlier, now, 'en', words)).not.toContain('2026')
    expect(formatDay(earlier, now, 'zh-CN', words)).toContain('11月20日')
    expect(formatDay(new Date(2025, 0, 5).getTime(), now, 'en', words)).toContain('2025')
  })
})

describe('sameDay', () => {
  it('compares local calendar days', () => {
    expect(
      sameDay(new Date(2026, 0, 1, 0, 0).getTime(), new Date(2026, 0, 1, 23, 59).getTime()),
    ).toBe(true)
    expect(sameDay(new Date(2026, 0, 1, 23, 59).getTime(), new Date(2026, 0, 2).getTime())).toBe(
      false,
    )
  })
})
