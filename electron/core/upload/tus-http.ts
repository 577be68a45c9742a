// The few tus 1.0.0 requests the upload manager makes, over an https.Agent the caller owns (one
// per worker, so each worker keeps its own TLS connection). Every answer is classified here:
// what may be retried, what is an offset mismatch, and what fails the upload.
import { request, type Agent } from 'node:https'
import type { Readable } from 'node:stream'
import { UploadError } from './upload-state'

export const TUS_VERSION = '1.0.0'

export interface TusTarget {
  agent: Agent
  ticket: string
  signal: AbortSignal
  /** A request whose socket is silent this long fails as a network error. */
  idleTimeoutMs: number
}

export interface TusAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A failure worth another attempt: the network, a 5xx, a 429. */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RetryableError'
  }
}

/**
 * The server's offset differs from ours (409): go on from the offset the answer carries, or ask
 * it with HEAD when the answer has none (null).
 */
export class OffsetMismatchError extends Error {
  constructor(readonly serverOffset: number | null) {
    super('upload offset mismatch')
    this.name = 'OffsetMismatchError'
  }
}

/** The partial upload is gone on the server (404 or 410): make it again. */
export class UploadGoneError extends Error {
  constructor(readonly url: string) {
    super(`upload ${url} is gone on the server`)
    this.name = 'UploadGoneError'
  }
}

/**
 * Sends one request. Resolves with any answer below 400 (and 404, which callers ask about);
 * throws RetryableError, OffsetMismatchError, UploadGoneError or an UploadError otherwise.
 */
export function tusRequest(
  target: TusTarget,
  method: 'POST' | 'HEAD' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'GET',
  url: URL,
  headers: Record<string, string>,
  body?: Readable | Buffer,
): Promise<TusAnswer> {
  return new Promise<TusAnswer>((resolve, reject) => {
    const req = request(url, {
      method,
      agent: target.agent,
      signal: target.signal,
      headers: {
        'Tus-Resumable': TUS_VERSION,
        Authorization: `Bearer ${target.ticket}`,
        ...headers,
      },
    })
    req.setTimeout(target.idleTimeoutMs, () =>
      req.destroy(
        new RetryableError(`no answer from the upload server in ${target.idleTimeoutMs} ms`),
      ),
    )
    req.on('error', (error) => reject(classifyNetworkError(error, method, url, target.signal)))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => reject(classifyNetworkError(error, method, url, target.signal)))
      res.on('end', () => {
        const answer = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }
        try {
          resolve(classifyAnswer(method, url, answer))
        } catch (error) {
          reject(error)
        }
        // A body still being sent when the server answered early is not needed any more.
        if (body && !Buffer.isBuffer(body) && !body.destroyed) body.destroy()
      })
    })
    if (!body) {
      req.end()
    } else if (Buffer.isBuffer(body)) {
      req.end(body)
    } else {
      body.on('error', (error) => req.destroy(error))
      body.pipe(req)
    }
  })
}

function classifyNetworkError(error: Error, method: string, url: URL, signal: AbortSignal): Error {
  if (signal.aborted) return signal.reason instanceof Error ? signal.reason : error
  if (error instanceof RetryableError || error instanceof UploadError) return error
  return new RetryableError(`${method} ${url.pathname} failed: ${error.message}`)
}

function classifyAnswer(method: string, url: URL, answer: TusAnswer): TusAnswer {
  const { status } = answer
  if (status < 400 || (status === 404 && method === 'GET')) return answer
  const said = answer.body.trim().slice(0, 200)
  const why = `${method} ${url.pathname} answered ${status}${said ? `: ${said}` : ''}`
  if (status >= 500 || status === 429 || status === 408) throw new RetryableError(why)
  if (status === 409) {
    const offset = Number(header(answer, 'upload-offset') ?? NaN)
    throw new OffsetMismatchError(Number.isSafeInteger(offset) && offset >= 0 ? offset : null)
  }
  if ((status === 404 || status === 410) && (method === 'HEAD' || method === 'PATCH')) {
    throw new UploadGoneError(url.pathname)
  }
  if (status === 413) throw new UploadError('FILE_TOO_LARGE', `the server refused the size: ${why}`)
  throw new UploadError('REFUSED', why)
}

/** A header's single value, or null. */
export function header(answer: TusAnswer, name: string): string | null {
  const value = answer.headers[name.toLowerCase()]
  if (Array.isArray(value)) return value[0] ?? null
  return value ?? null
}

/** A header that must be a non-negative integer, or the answer is not one we understand. */
export function integerHeader(answer: TusAnswer, name: string): number {
  const text = header(answer, name)
  const value = text === null ? NaN : Number(text)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RetryableError(`the upload server answered without a valid ${name} header`)
  }
  return value
}

/** tus metadata: comma-separated `key base64(value)` pairs. */
export function encodeMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',')
}
