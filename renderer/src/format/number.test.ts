import { describe, expect, it } from 'vitest'
import { formatBytes } from './number'

describe('formatBytes', () => {
  it('picks the largest decimal unit under 1000 and writes it by locale', () => {
    expect(formatBytes(4_096, 'en')).toBe('4.1 kB')
    expect(formatBytes(12_345_678, 'en')).toBe('12.3 MB')
    expect(formatBytes(1_500_000_000, 'zh-CN')).toBe('1.5 GB')
    expect(formatBytes(345_000_000, 'en')).toBe('345 MB')
    expect(formatBytes(1_234_567, 'de')).toBe('1,2 MB')
  })

  it('writes small and odd sizes as whole bytes, the unit in words', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes')
    expect(formatBytes(1, 'en')).toBe('1 byte')
    expect(formatBytes(999, 'zh-CN')).toBe('999字节')
    expect(formatBytes(-5, 'zh-CN')).toBe('0字节')
  })
})
