// Tack's icon, drawn in code: a blue rounded square with a white T, optionally with a red dot for
// unread messages. The tray and the Windows taskbar overlay draw it at run time, and
// scripts/make-electron-icons.ts draws build/icon.png from the same code. No 'electron' import.
import { deflateSync } from 'node:zlib'

type Rgba = readonly [number, number, number, number]

const BLUE: Rgba = [47, 107, 255, 255]
const WHITE: Rgba = [255, 255, 255, 255]
const RED: Rgba = [235, 64, 52, 255]
/** Samples per pixel side, for smooth edges. */
const SUPERSAMPLE = 4

/** Raw RGBA pixels of a square image. */
export interface Pixels {
  size: number
  data: Buffer
}

/** The app icon; with `unreadDot`, a red dot at the top right. */
export function drawAppIcon(size: number, options: { unreadDot?: boolean } = {}): Pixels {
  const radius = size * 0.22
  const inset = size * 0.04
  const bar = { x0: 0.26, x1: 0.74, y0: 0.24, y1: 0.38 }
  const stem = { x0: 0.42, x1: 0.58, y0: 0.24, y1: 0.78 }
  const dot = { cx: 0.8, cy: 0.2, r: 0.19 }

  return paint(size, (x, y) => {
    const u = x / size
    const v = y / size
    if (options.unreadDot && (u - dot.cx) ** 2 + (v - dot.cy) ** 2 <= dot.r ** 2) return RED
    if (!insideRoundedSquare(x, y, size, inset, radius)) return null
    if (inside(u, v, bar) || inside(u, v, stem)) return WHITE
    return BLUE
  })
}

/** A plain red dot: the Windows taskbar overlay for unread messages. */
export function drawUnreadDot(size: number): Pixels {
  const r = size / 2
  return paint(size, (x, y) => ((x - r) ** 2 + (y - r) ** 2 <= (r * 0.9) ** 2 ? RED : null))
}

/** Encodes pixels as a PNG (8-bit RGBA, no interlace). */
export function encodePng({ size, data }: Pixels): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.writeUInt8(8, 8) // bit depth
  header.writeUInt8(6, 9) // colour type: RGBA
  const rows = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0 // filter: none
    data.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Fills each pixel with the average colour of its samples (null: transparent). */
function paint(size: number, colourAt: (x: number, y: number) => Rgba | null): Pixels {
  const data = Buffer.alloc(size * size * 4)
  const samples = SUPERSAMPLE * SUPERSAMPLE
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = colourAt(x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE)
          if (!colour) continue
          for (let channel = 0; channel < 3; channel++)
            sum[channel]! += colour[channel]! * colour[3]
          sum[3]! += colour[3]
        }
      }
      const offset = (y * size + x) * 4
      const alpha = sum[3]!
      for (let channel = 0; channel < 3; channel++) {
        data[offset + channel] = alpha === 0 ? 0 : Math.round(sum[channel]! / alpha)
      }
      data[offset + 3] = Math.round(alpha / samples)
    }
  }
  return { size, data }
}

function insideRoundedSquare(x: number, y: number, size: number, inset: number, radius: number) {
  const low = inset + radius
  const high = size - inset - radius
  const dx = x < low ? low - x : x > high ? x - high : 0
  const dy = y < low ? low - y : y > high ? y - high : 0
  if (x < inset || y < inset || x > size - inset || y > size - inset) return false
  return dx * dx + dy * dy <= radius * radius
}

function inside(u: number, v: number, box: { x0: number; x1: number; y0: number; y1: number }) {
  return u >= box.x0 && u <= box.x1 && v >= box.y0 && v <= box.y1
}

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(body.length)
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typed))
  return Buffer.concat([length, typed, crc])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
