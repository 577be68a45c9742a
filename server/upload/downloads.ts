// Finished files: downloads by id with range requests, and the lookup by content hash.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { User } from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import type { FileRecord, Storage } from '../storage/storage'
import { readRange } from './byte-range'
import { answerJson, refuse } from './http-answers'

const log = createLogger('upload')

export const FILE_ID = /^[0-9a-f]{32}$/
const SHA256 = /^[0-9a-fA-F]{64}$/

export interface DownloadOptions {
  storage: Storage
  directory: string
  /** Whether someone other than the owner may download the file. */
  mayDownload(userId: string, file: FileRecord): boolean
}

export class Downloads {
  constructor(private readonly options: DownloadOptions) {}

  /** Serves `/files/<fileId>` and `/files/by-hash/<sha256>`. */
  async serve(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    user: User,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(request, response, 405, 'files are read with GET or HEAD', {
        Allow: 'GET, HEAD',
      })
    }
    const [, , first, second, ...rest] = path.split('/')
    if (first === 'by-hash' && second !== undefined && !rest.length) {
      return this.findByHash(request, response, second)
    }
    if (first === undefined || second !== undefined || !FILE_ID.test(first)) {
      return refuse(request, response, 404, `no file at ${path}`)
    }
    const file = this.options.storage.findFile(first)
    if (!file || !this.allowed(user, file)) {
      return refuse(request, response, 404, `no file ${first}, or it was not shared with you`)
    }
    await this.send(request, response, file)
  }

  private allowed(user: User, file: FileRecord): boolean {
    return file.ownerId === user.id || this.options.mayDownload(user.id, file)
  }

  private findByHash(request: IncomingMessage, response: ServerResponse, sha256: string): void {
    if (!SHA256.test(sha256)) {
      return refuse(request, response, 400, 'a SHA-256 is 64 hexadecimal digits')
    }
    const file = this.options.storage.findFileByHash(sha256.toLowerCase())
    if (!file) return answerJson(request, response, 404, { error: 'no file with this SHA-256' })
    answerJson(request, response, 200, {
      fileId: file.fileId,
      url: `https://${request.headers.host}/files/${file.fileId}`,
      size: file.size,
      sha256: file.sha256,
      name: file.name,
      mime: file.mime,
    })
  }

  private async send(
    request: IncomingMessage,
    response: ServerResponse,
    file: FileRecord,
  ): Promise<void> {
    const path = join(this.options.directory, file.fileId)
    const { size } = await stat(path)
    const etag = `"${file.sha256}"`
    const headers: Record<string, string | number> = {
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Content-Type': file.mime || 'application/octet-stream',
      'Content-Disposition': contentDisposition(file.name),
      'Cache-Control': 'private, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    }

    // A file never changes under its id, so its content hash is a strong validator.
    if (etagMatches(request.headers['if-none-match'], etag)) {
      response.writeHead(304, headers)
      return void response.end()
    }
    const ifRange = request.headers['if-range']
    const range =
      ifRange === undefined || ifRange === etag
        ? readRange(request.headers.range, size)
        : ({ kind: 'whole' } as const)
    if (range.kind === 'unsatisfiable') {
      return refuse(request, response, 416, `the range is outside the file's ${size} bytes`, {
        'Content-Range': `bytes */${size}`,
      })
    }

    const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1]
    if (range.kind === 'part') headers['Content-Range'] = `bytes ${start}-${end}/${size}`
    headers['Content-Length'] = Math.max(0, end - start + 1)
    response.writeHead(range.kind === 'part' ? 206 : 200, headers)
    if (request.method === 'HEAD' || size === 0) return void response.end()

    const started = Date.now()
    await pipeline(createReadStream(path, { start, end }), response).catch((error: unknown) =>
      log.info({ fileId: file.fileId, reason: String(error) }, 'download cut short'),
    )
    log.debug({ fileId: file.fileId, start, end, durationMs: Date.now() - started }, 'file sent')
  }
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim() === etag)
}

/** An ASCII fallback name and the exact UTF-8 name (RFC 6266 / 8187). */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file'
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`
}
