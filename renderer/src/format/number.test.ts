import { describe, expect, it } from 'vitest'
import { formatBytes as formatBytesInSentences } from '../../../shared/format-bytes'
import { formatBytes } from './number'

describe('formatBytes', () => {
  it('picks the largest binary unit it fills, like the sentences of core and server, and writes the number by locale', () => {
    expect(formatBytes(4_096, 'en')).toBe('4 KiB')
    expect(formatBytes(12_345_678, 'en')).toBe('11.8 MiB')
    expect(formatBytes(1.5 * 1024 ** 3, 'zh-CN')).toBe('1.5 GiB')
    expect(formatBytes(345 * 1024 ** 2, 'en')).toBe('345 MiB')
    expect(formatBytes(1_234_567, 'de')).toBe('1,2 MiB')
  })

  it('says a file just past a 2 MiB limit as the limit sentence would, not as 2.1 MB', () => {
    const size = 2 * 1024 ** 2 + 100 * 1024
    expect(formatBytes(size, 'en')).toBe(formatBytesInSentences(size))
    expect(formatBytes(2 * 1024 ** 2, 'en')).toBe('2 MiB')
  })

  it('writes small and odd sizes as whole bytes, the unit in words', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes')
    expect(formatBytes(1, 'en')).toBe('1 byte')
    expect(formatBytes(999, 'zh-CN')).toBe('999字节')
    expect(formatBytes(-5, 'zh-CN')).toBe('0字节')
  })
})
