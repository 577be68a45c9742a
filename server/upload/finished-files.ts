// What a finished upload becomes: a file with its SHA-256, owner, name and media type.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Upload } from '@tus/server'

const MAX_NAME_CHARS = 255
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/

export interface FileLabel {
  name: string
  mime: string
}

export class BadMetadata extends Error {}

/**
 * The file's name and media type from tus Upload-Metadata: `filename` and `filetype` (what
 * tus-js-client users send), or `name` and `type`. An empty type is application/octet-stream.
 */
export function labelOf(metadata: Upload['metadata']): FileLabel {
  const name = (metadata?.filename ?? metadata?.name ?? '').trim()
  const mime = (metadata?.filetype ?? metadata?.type ?? '').trim().toLowerCase()
  if ([...name].length > MAX_NAME_CHARS) {
    throw new BadMetadata(`a file name has at most ${MAX_NAME_CHARS} characters`)
  }
  if (mime && !MEDIA_TYPE.test(mime)) {
    throw new BadMetadata(`filetype "${mime}" is not a media type like image/png`)
  }
  return { name, mime: mime || 'application/octet-stream' }
}

/** SHA-256 of a file on disk, read as a stream. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}

/** Appends the files to `target` in order and returns the SHA-256 of everything appended. */
export async function appendFiles(target: string, sources: string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const source of sources) {
    await pipeline(
      createReadStream(source, { highWaterMark: 1 << 20 }),
      hashInto(hash),
      createWriteStream(target, { flags: 'a' }),
    )
  }
  return hash.digest('hex')
}

/** Feeds every chunk to the hash on its way through. */
function hashInto(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })
}
