// Installer icons for electron-builder, drawn by electron/main/icon-image.ts: icon.png (1024),
// icon.ico (PNG-compressed 16…256 entries) and icon.icns (PNG entries 16…1024), no image tools
// needed.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { drawAppIcon, encodePng } from '../../electron/main/icon-image'

const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS entry types holding PNG data, by pixel size. */
const ICNS_TYPES: ReadonlyArray<[string, number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]

export interface IconFiles {
  png: string
  ico: string
  icns: string
}

export async function writeIcons(dir: string): Promise<IconFiles> {
  const files = {
    png: join(dir, 'icon.png'),
    ico: join(dir, 'icon.ico'),
    icns: join(dir, 'icon.icns'),
  }
  const sizes = new Set([...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size)])
  const pngs = new Map([...sizes].map((size) => [size, encodePng(drawAppIcon(size))]))

  await mkdir(dir, { recursive: true })
  await writeFile(files.png, pngs.get(1024)!)
  await writeFile(files.ico, encodeIco(ICO_SIZES.map((size) => [size, pngs.get(size)!])))
  await writeFile(files.icns, encodeIcns(ICNS_TYPES.map(([type, size]) => [type, pngs.get(size)!])))
  return files
}

/** An ICO file whose entries are PNG images (Windows Vista and later). */
export function encodeIco(entries: ReadonlyArray<[number, Buffer]>): Buffer {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(entries.length, 4)
  const directory = Buffer.alloc(16 * entries.length)
  let offset = 6 + directory.length
  entries.forEach(([size, png], index) => {
    const at = index * 16
    directory.writeUInt8(size >= 256 ? 0 : size, at) // 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, at + 1)
    directory.writeUInt16LE(1, at + 4) // colour planes
    directory.writeUInt16LE(32, at + 6) // bits per pixel
    directory.writeUInt32LE(png.length, at + 8)
    directory.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, directory, ...entries.map(([, png]) => png)])
}

/** An ICNS file of PNG entries. */
export function encodeIcns(entries: ReadonlyArray<[string, Buffer]>): Buffer {
  const blocks = entries.map(([type, png]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + blocks.reduce((total, block) => total + block.length, 0), 4)
  return Buffer.concat([head, ...blocks])
}
