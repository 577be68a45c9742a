// How the upload manager reads a tus server's answers (electron/core/upload/tus-http.ts), against
// a scripted HTTPS server with a certificate from the server's own CA code: which answers are
// retried, which fail the upload and with what, and what a 409 carries.
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  OffsetMismatchError,
  RetryableError,
  tusRequest,
  UploadGoneError,
  type TusTarget,
} from '../../electron/core/upload/tus-http'
import { UploadError } from '../../electron/core/upload/upload-state'
import { ensureCertificates } from '../../server/tls/certificates'

/** What the scripted server answers to `<method> /<name>`: status, headers, body; or silence. */
const SCRIPT: Record<string, { status: number; headers?: Record<string, string>; body?: string }> =
  {
    '/offset-409': { status: 409, headers: { 'Upload-Offset': '1234' } },
    '/bare-409': { status: 409 },
    '/too-large': { status: 413, body: 'plan.iso is 5 GiB; the limit is 4 GiB' },
    '/busy': { status: 503 },
    '/throttled': { status: 429 },
    '/gone': { status: 410 },
    '/missing': { status: 404 },
    '/forbidden': { status: 403, body: 'not your upload' },
    '/fine': { status: 204, headers: { 'Upload-Offset': '7' } },
  }

let dir: string
let server: Server
let agent: Agent
let base: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tack-tus-answers-'))
  const credentials = await ensureCertificates(dir)
  server = createServer({ cert: credentials.certPem, key: credentials.keyPem }, (req, res) => {
    req.resume()
    const answer = SCRIPT[req.url ?? '']
    if (!answer) return // silence: the request waits for its idle timeout
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  agent = new Agent({ ca: credentials.caPem, keepAlive: true })
})

afterAll(async () => {
  agent.destroy()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

function target(idleTimeoutMs = 5_000): TusTarget {
  return { agent, ticket: 'ticket-1', signal: new AbortController().signal, idleTimeoutMs }
}

function ask(method: 'HEAD' | 'PATCH' | 'GET' | 'POST', path: string, idleTimeoutMs?: number) {
  return tusRequest(target(idleTimeoutMs), method, new URL(path, base), {}).catch(
    (error: unknown) => error,
  )
}

describe("a tus server's answers", () => {
  it('a 409 carries the offset to go on from, or none when the answer has no Upload-Offset', async () => {
    const withOffset = await ask('PATCH', '/offset-409')
    const bare = await ask('PATCH', '/bare-409')

    expect(withOffset).toBeInstanceOf(OffsetMismatchError)
    expect((withOffset as OffsetMismatchError).serverOffset).toBe(1234)
    expect((bare as OffsetMismatchError).serverOffset).toBeNull()
  })

  it('a 413 is FILE_TOO_LARGE with the server sentence; another 4xx is REFUSED', async () => {
    const large = (await ask('POST', '/too-large')) as UploadError
    const forbidden = (await ask('PATCH', '/forbidden')) as UploadError

    expect(large).toBeInstanceOf(UploadError)
    expect(large.code).toBe('FILE_TOO_LARGE')
    expect(large.message).toContain('plan.iso is 5 GiB; the limit is 4 GiB')
    expect(forbidden.code).toBe('REFUSED')
    expect(forbidden.message).toBe('PATCH /forbidden answered 403: not your upload')
  })

  it('5xx, 429 and a silent server are retried', async () => {
    expect(await ask('PATCH', '/busy')).toBeInstanceOf(RetryableError)
    expect(await ask('POST', '/throttled')).toBeInstanceOf(RetryableError)
    const silent = await ask('HEAD', '/silent', 300)
    expect(silent).toBeInstanceOf(RetryableError)
    expect((silent as Error).message).toContain('no answer from the upload server in 300 ms')
  })

  it('a partial gone (404 or 410 to HEAD or PATCH) is made again; a 404 to GET is an answer', async () => {
    expect(await ask('HEAD', '/gone')).toBeInstanceOf(UploadGoneError)
    expect(await ask('PATCH', '/missing')).toBeInstanceOf(UploadGoneError)
    expect(await ask('GET', '/missing')).toMatchObject({ status: 404 })
    expect(await ask('PATCH', '/fine')).toMatchObject({
      status: 204,
      headers: { 'upload-offset': '7' },
    })
  })
})
