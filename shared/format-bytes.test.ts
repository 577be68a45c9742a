import { describe, expect, it } from 'vitest'
import { describeBytes, formatBytes } from './format-bytes'

describe('formatBytes', () => {
  it('says bytes below a KiB and one decimal above, without a trailing .0', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(1023)).toBe('1023 bytes')
    expect(formatBytes(1024)).toBe('1 KiB')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(4 * 1024 ** 3)).toBe('4 GiB')
  })
})

describe('describeBytes', () => {
  it('puts the exact count beside the short one, so a limit missed by one byte reads as such', () => {
    expect(describeBytes(512)).toBe('512 bytes')
    expect(describeBytes(64 * 1024 ** 2 + 1)).toBe('64 MiB (67108865 bytes)')
    expect(describeBytes(64 * 1024 ** 2)).toBe('64 MiB (67108864 bytes)')
  })
})
