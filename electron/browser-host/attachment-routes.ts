// Browser mode's HTTP routes for attachments. The page cannot hand the core a file's path, so it
// streams the file's bytes here (POST /attachments/staging) and the host writes them to a staging
// file in the profile, never holding them whole; the page then sends it with sendFile's stagedId.
// Files kept on this device are served back to the page (GET /attachments/file/<sender>/<id>)
// for <img> and <audio>. Both need the launch token; the POST also needs the page's own origin.
import { randomUUID, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createLogger } from '../../shared/logger'

const log = createLogger('browser-host')

export const STAGING_PATH = '/attachments/staging'
export const FILE_PATH_PREFIX = '/attachments/file/'

/** The largest file the page may stage; the server's own limit is checked before upload. */
export const MAX_STAGED_BYTES = 8 * 1024 ** 3

/** Types a page may show inline; anything else is served as a download, never as a page. */
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp)|audio\/[a-z0-9.+-]+|video\/(mp4|webm))$/

export interface AttachmentFiles {
  stagingDir(): string
  attachmentFile(
    senderId: string,
    clientMessageId: string,
  ): Promise<{ path: string; mime: string; name: string } | null>
}

export interface AttachmentRouteContext {
  files: AttachmentFiles
  token: string
  isOwnOrigin(origin: string | undefined): boolean
  maxStagedBytes?: number
}

/** Where the page loads a kept file from: same origin, with the launch token. */
export function attachmentFileUrl(
  senderId: string,
  clientMessageId: string,
  token: string,
): string {
  const path = [senderId, clientMessageId].map(encodeURIComponent).join('/')
  return `${FILE_PATH_PREFIX}${path}?token=${encodeURIComponent(token)}`
}

/** Serves the request when it is an attachment route; false when it is not one. */
export async function serveAttachmentRoute(
  request: IncomingMessage,
  response: ServerResponse,
  context: AttachmentRouteContext,
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://placeholder')
  if (url.pathname === STAGING_PATH) {
    await stage(request, response, context)
    return true
  }
  if (url.pathname.startsWith(FILE_PATH_PREFIX)) {
    await serveFile(request, response, url, context)
    return true
  }
  return false
}

/** Why a staging POST is refused, or null to take it. */
export function checkStaging(
  request: IncomingMessage,
  context: AttachmentRouteContext,
): string | null {
  if (request.method !== 'POST') return 'method not allowed'
  if (!context.isOwnOrigin(request.headers.origin)) return 'wrong origin'
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
  if (!bearer || !sameToken(bearer, context.token)) return 'missing or wrong launch token'
  return null
}

async function stage(
  request: IncomingMessage,
  response: ServerResponse,
  context: AttachmentRouteContext,
): Promise<void> {
  const refusal = checkStaging(request, context)
  if (refusal) {
    log.warn({ reason: refusal, origin: request.headers.origin ?? null }, 'staging refused')
    request.resume()
    return answer(response, refusal === 'method not allowed' ? 405 : 403, { error: refusal })
  }
  const limit = context.maxStagedBytes ?? MAX_STAGED_BYTES
  const declared = Number(request.headers['content-length'] ?? NaN)
  if (declared > limit) {
    request.resume()
    return answer(response, 413, { error: `the file is over ${limit} bytes` })
  }

  const dir = context.files.stagingDir()
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const stagedId = randomUUID()
  const path = join(dir, stagedId)
  let size = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > limit) done(new Error(`the file is over ${limit} bytes`))
      else done(null, chunk)
    },
  })
  try {
    await pipeline(request, counter, createWriteStream(path, { mode: 0o600 }))
  } catch (error) {
    await rm(path, { force: true })
    const message = error instanceof Error ? error.message : String(error)
    log.warn({ error: message }, 'staging failed')
    return answer(response, size > limit ? 413 : 400, { error: message })
  }
  log.info({ stagedId, bytes: size }, 'file staged')
  answer(response, 201, { stagedId, size })
}

async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: AttachmentRouteContext,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return answer(response, 405, { error: 'method not allowed' })
  }
  if (!sameToken(url.searchParams.get('token') ?? '', context.token)) {
    return answer(response, 403, { error: 'missing or wrong launch token' })
  }
  const [senderId, clientMessageId, ...rest] = url.pathname
    .slice(FILE_PATH_PREFIX.length)
    .split('/')
    .map(decodedOrEmpty)
  if (!senderId || !clientMessageId || rest.length > 0) {
    return answer(response, 404, { error: 'not found' })
  }
  const file = await context.files.attachmentFile(senderId, clientMessageId)
  const info = file && (await stat(file.path).catch(() => null))
  if (!file || !info) return answer(response, 404, { error: 'not found' })

  const inline = INLINE_TYPES.test(file.mime)
  const range = parseRange(request.headers.range, info.size)
  const headers: Record<string, string | number> = {
    'Content-Type': inline ? file.mime : 'application/octet-stream',
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox; default-src none',
    'Cache-Control': 'private, max-age=3600',
    'Referrer-Policy': 'no-referrer',
  }
  if (range === 'unsatisfiable') {
    response.writeHead(416, { 'Content-Range': `bytes */${info.size}` })
    response.end()
    return
  }
  const [start, end] = range ?? [0, info.size - 1]
  headers['Content-Length'] = info.size === 0 ? 0 : end - start + 1
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`
  response.writeHead(range ? 206 : 200, headers)
  if (request.method === 'HEAD' || info.size === 0) {
    response.end()
    return
  }
  await pipeline(createReadStream(file.path, { start, end }), response).catch(() => undefined)
}

/**
 * One `bytes=a-b` range (the only form a media element asks for), as RFC 9110 reads it: null for
 * the whole file when there is no range or it is malformed (`bytes=5-3`, several ranges), and
 * unsatisfiable when it starts past the end or asks for an empty suffix.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '')
  if (!match || (!match[1] && !match[2])) return null
  if (!match[1]) {
    const suffix = Number(match[2])
    return suffix === 0 || size === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(match[1])
  if (match[2] && Number(match[2]) < start) return null
  if (start >= size) return 'unsatisfiable'
  return [start, match[2] ? Math.min(Number(match[2]), size - 1) : size - 1]
}

/** A percent-encoded path part, or '' (not found) when it is not encoded right (`%E0%A4%A`). */
function decodedOrEmpty(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return ''
  }
}

function sameToken(offered: string, token: string): boolean {
  const a = Buffer.from(offered)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  })
  response.end(JSON.stringify(body))
}
