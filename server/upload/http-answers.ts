// Small helpers for answering upload and download requests.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describeBytes } from '../../shared/format-bytes'

export const TUS_VERSION = '1.0.0'

/** A refusal with a sentence a person can read, and the tus version for tus clients. */
export function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  sentence: string,
  headers: Record<string, string> = {},
): void {
  const body = `${sentence}\n`
  response.writeHead(status, {
    'Tus-Resumable': TUS_VERSION,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    // A body the client is still sending is not read: close rather than drain it.
    ...(hasUnreadBody(request) ? { Connection: 'close' } : {}),
    ...headers,
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}

export function answerJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  value: unknown,
): void {
  const body = JSON.stringify(value)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}

function hasUnreadBody(request: IncomingMessage): boolean {
  if (request.readableEnded || request.complete) return false
  const length = Number(request.headers['content-length'] ?? 0)
  return length > 0 || request.headers['transfer-encoding'] !== undefined
}

/** The sentence of every 413: what was asked and what the server accepts. */
export function overLimitSentence(limit: number, asked?: number): string {
  const what =
    asked === undefined ? 'This upload grew past' : `This upload is ${describeBytes(asked)}, over`
  return `${what} the server's limit of ${describeBytes(limit)} per file.`
}
