// A small zip reader and writer for offline packages, on Node's zlib: stored and deflated entries,
// no zip64, no encryption. No zip library is a dependency of the project, and packages are small.
// Reading checks every CRC, caps entry count and total size, and refuses unsafe names.
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const LOCAL_SIGNATURE = 0x04034b50
const STORED = 0
const DEFLATED = 8

export interface ZipLimits {
  maxEntries: number
  maxTotalBytes: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 50 * 1024 * 1024 }

export class ZipError extends Error {}

/** The files of a zip, by their path inside it (folders left out). */
export function readZip(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Buffer> {
  const end = findEndOfCentralDirectory(zip)
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  if (count > limits.maxEntries) throw new ZipError(`more than ${limits.maxEntries} entries`)

  const files = new Map<string, Buffer>()
  let total = 0
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) {
      throw new ZipError('damaged central directory')
    }
    const entry = {
      method: zip.readUInt16LE(offset + 10),
      crc: zip.readUInt32LE(offset + 16),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      nameLength: zip.readUInt16LE(offset + 28),
      localOffset: zip.readUInt32LE(offset + 42),
    }
    const name = zip.toString('utf8', offset + 46, offset + 46 + entry.nameLength)
    offset += 46 + entry.nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32)
    if (name.endsWith('/')) continue
    checkName(name)
    total += entry.size
    if (total > limits.maxTotalBytes) throw new ZipError(`over ${limits.maxTotalBytes} bytes`)
    files.set(name, readEntry(zip, name, entry))
  }
  return files
}

/** A zip of the given files, deflated. */
export function writeZip(files: Map<string, Buffer> | Record<string, Buffer | string>): Buffer {
  const entries = files instanceof Map ? [...files] : Object.entries(files)
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content)
    const packed = deflateRawSync(data)
    const nameBytes = Buffer.from(name)
    const crc = crc32(data)

    const local = Buffer.alloc(30)
    local.writeUInt32LE(LOCAL_SIGNATURE, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(DEFLATED, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    locals.push(local, nameBytes, packed)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(DEFLATED, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + packed.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(EOCD_SIGNATURE, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const earliest = Math.max(0, zip.length - 22 - 0xffff)
  for (let offset = zip.length - 22; offset >= earliest; offset -= 1) {
    if (zip.readUInt32LE(offset) === EOCD_SIGNATURE) return offset
  }
  throw new ZipError('not a zip file')
}

function readEntry(
  zip: Buffer,
  name: string,
  entry: { method: number; crc: number; compressedSize: number; size: number; localOffset: number },
): Buffer {
  const local = entry.localOffset
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) {
    throw new ZipError(`damaged entry ${name}`)
  }
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
  const packed = zip.subarray(start, start + entry.compressedSize)
  if (packed.length !== entry.compressedSize) throw new ZipError(`truncated entry ${name}`)
  let data: Buffer
  if (entry.method === STORED) data = Buffer.from(packed)
  else if (entry.method === DEFLATED) {
    data = inflateRawSync(packed, { maxOutputLength: Math.max(entry.size, 1) })
  } else throw new ZipError(`entry ${name} uses compression method ${entry.method}`)
  if (data.length !== entry.size || crc32(data) !== entry.crc) {
    throw new ZipError(`entry ${name} fails its checksum`)
  }
  return data
}

/** Relative, forward slashes, no `..`, no drive letters: nothing may land outside the folder. */
function checkName(name: string): void {
  const unsafe =
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..' || part === '')
  if (unsafe) throw new ZipError(`unsafe path in package: ${name}`)
}
