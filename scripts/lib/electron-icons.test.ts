import { describe, expect, it } from 'vitest'
import { encodeIcns, encodeIco } from './electron-icons'

describe('installer icon containers', () => {
  it('writes an ICO directory pointing at each PNG, 256 written as 0', () => {
    const ico = encodeIco([
      [16, Buffer.from('png16')],
      [256, Buffer.from('png256!')],
    ])
    expect(ico.readUInt16LE(2)).toBe(1)
    expect(ico.readUInt16LE(4)).toBe(2)
    expect(ico.readUInt8(6)).toBe(16)
    expect(ico.readUInt8(6 + 16)).toBe(0)
    const offset = ico.readUInt32LE(6 + 16 + 12)
    expect(ico.subarray(offset, offset + 7).toString()).toBe('png256!')
  })

  it('writes an ICNS file whose length and entries add up', () => {
    const icns = encodeIcns([['ic10', Buffer.from('big-png')]])
    expect(icns.subarray(0, 4).toString()).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    expect(icns.subarray(8, 12).toString()).toBe('ic10')
    expect(icns.readUInt32BE(12)).toBe(8 + 7)
  })
})
