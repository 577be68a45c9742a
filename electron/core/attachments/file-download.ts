// Downloads one file from the server's upload origin into the profile: streamed to a `.part`
// file beside the target, resumed with a Range request from what the part holds, checked
// against the SHA-256 the message carries, then renamed into place. Never held whole in memory.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import type { IncomingMessage } from 'node:http'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface DownloadTarget {
  /** The file's URL (`<origin>/files/<fileId>`). */
  url: string
  ticket: string
  /** PEM of the CA the server's certificate is checked against. */
  ca: string
  /** Where the finished file goes; the part is `${path}.part`. */
  path: string
  size: number
  /** Lowercase hex SHA-256 to check; '' skips the check. */
  sha256: string
  onProgress?: (receivedBytes: number) => void
  signal?: AbortSignal
}

export class DownloadError extends Error {
  override name = 'DownloadError'
}

/** Downloads (or finishes downloading) the file; resolves once it is in place and checked. */
export async function downloadFile(target: DownloadTarget): Promise<void> {
  const part = `${target.path}.part`
  let have = await sizeOf(part)
  if (have > target.size) {
    await rm(part, { force: true })
    have = 0
  }
  if (have < target.size || target.size === 0) {
    const response = await get(target, have)
    // 200 means the server sent the whole file, not the range: start the part over.
    if (response.statusCode === 200) have = 0
    else if (response.statusCode !== 206) {
      const detail = await readSmall(response)
      throw new DownloadError(`download refused: ${response.statusCode} ${detail}`.trim())
    }
    let received = have
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length
        target.onProgress?.(received)
        done(null, chunk)
      },
    })
    await pipeline(response, counter, createWriteStream(part, { flags: have > 0 ? 'a' : 'w' }), {
      signal: target.signal,
    })
  }
  if (target.sha256 && (await sha256Of(part)) !== target.sha256) {
    await rm(part, { force: true })
    throw new DownloadError('the downloaded file does not match its SHA-256; it was discarded')
  }
  await rename(part, target.path)
}

function get(target: DownloadTarget, from: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${target.ticket}` }
    if (from > 0) headers.Range = `bytes=${from}-`
    const request = httpsRequest(target.url, { ca: target.ca, headers, signal: target.signal })
    request.on('response', resolve)
    request.on('error', reject)
    request.end()
  })
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}

async function readSmall(response: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of response) {
    if (text.length < 500) text += String(chunk)
  }
  return text.slice(0, 500)
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
