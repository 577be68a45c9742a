// Plain HTTPS calls to the upload endpoint for tests and benchmarks: the answer's status,
// headers and body, with the test server's CA trusted.
import { createHash } from 'node:crypto'
import { Agent, request } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

export interface Caller {
  (
    method: string,
    url: string,
    headers?: Record<string, string | number>,
    body?: Buffer,
  ): Promise<Answer>
  agent: Agent
}

/** Calls with this CA trusted and, when given, this ticket as the bearer token. */
export function caller(caPem: string, ticket?: string): Caller {
  const agent = new Agent({ ca: caPem, keepAlive: true, maxSockets: 16 })
  const call = (
    method: string,
    url: string,
    headers: Record<string, string | number> = {},
    body?: Buffer,
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method,
          agent,
          // HEAD on a final upload lists every partial upload: past Node's 16 KiB default.
          maxHeaderSize: 1024 * 1024,
          headers: {
            ...(ticket ? { Authorization: `Bearer ${ticket}` } : {}),
            ...(body ? { 'Content-Length': body.length } : {}),
            ...headers,
          },
        },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('end', () => {
            const all = Buffer.concat(chunks)
            resolve({
              status: incoming.statusCode!,
              headers: incoming.headers,
              body: all,
              text: all.toString(),
            })
          })
          incoming.on('error', reject)
        },
      )
      outgoing.on('error', reject)
      outgoing.end(body)
    })
  return Object.assign(call, { agent })
}

export const TUS = { 'Tus-Resumable': '1.0.0' }
export const PATCH_BODY = { ...TUS, 'Content-Type': 'application/offset+octet-stream' }

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** tus Upload-Metadata: keys with base64 values. */
export function tusMetadata(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',')
}

/** Deterministic bytes, so a failing comparison can be reproduced. */
export function patternBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size)
  let state = seed >>> 0 || 1
  for (let i = 0; i < size; i += 1) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 0xff
  }
  return bytes
}
