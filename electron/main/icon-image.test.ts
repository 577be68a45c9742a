import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { drawAppIcon, drawUnreadDot, encodePng } from './icon-image'

function pixel(pixels: { size: number; data: Buffer }, x: number, y: number): number[] {
  const offset = (y * pixels.size + x) * 4
  return [...pixels.data.subarray(offset, offset + 4)]
}

describe('icon drawing', () => {
  it('draws a blue square with a white T and transparent corners', () => {
    const icon = drawAppIcon(64)
    expect(pixel(icon, 0, 0)[3]).toBe(0)
    expect(pixel(icon, 32, 20)).toEqual([255, 255, 255, 255])
    expect(pixel(icon, 12, 50)).toEqual([47, 107, 255, 255])
  })

  it('adds a red dot for unread messages', () => {
    expect(pixel(drawAppIcon(64, { unreadDot: true }), 51, 13)).toEqual([235, 64, 52, 255])
    expect(pixel(drawUnreadDot(16), 8, 8)).toEqual([235, 64, 52, 255])
  })

  it('encodes a PNG that decodes back to the same pixels', () => {
    const icon = drawAppIcon(16)
    const png = encodePng(icon)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(16)
    const idatLength = png.readUInt32BE(33)
    const rows = inflateSync(png.subarray(41, 41 + idatLength))
    expect(rows.subarray(1, 65).equals(icon.data.subarray(0, 64))).toBe(true)
  })
})
