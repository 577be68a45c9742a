// Browser mode's staging endpoint and kept-file route on a real host and core: a file posted
// from the page's own origin with the launch token is written to the profile's staging folder;
// another origin, a missing or wrong token, or another method are refused and write nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTestCore } from '../../test/support/cores'
import type { ClientCore } from '../core/client-core'
import { parseRange, STAGING_PATH } from './attachment-routes'
import { startBrowserHost, type BrowserHost } from './browser-host'

function post(
  host: BrowserHost,
  body: Buffer,
  headers: Record<string, string>,
  method = 'POST',
  path = STAGING_PATH,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += String(chunk)))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        }),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('browser host attachment routes', () => {
  let dir: string
  let core: ClientCore
  let host: BrowserHost
  let staging: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-host-attach-'))
    // No server: staging and serving kept files need none.
    core = makeTestCore(dir, 'profile', { address: '127.0.0.1:7443', caPem: '' })
    await core.start()
    host = await startBrowserHost({ core, rendererDir: join(dir, 'renderer') })
    staging = core.stagingDir()
  })

  afterAll(async () => {
    await host.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const staged = () => {
    try {
      return readdirSync(staging)
    } catch {
      return []
    }
  }

  it('stages a file posted from its own origin with the launch token', async () => {
    const body = Buffer.alloc(300_000, 7)
    const answer = await post(host, body, {
      origin: host.origin,
      authorization: `Bearer ${host.token}`,
    })
    expect(answer.status).toBe(201)
    expect(answer.json.size).toBe(300_000)
    const stagedId = answer.json.stagedId as string
    expect(readFileSync(join(staging, stagedId)).equals(body)).toBe(true)
  })

  it('refuses another origin even with the right token, and writes nothing', async () => {
    const before = staged()
    const answer = await post(host, Buffer.from('evil'), {
      origin: 'http://evil.example',
      authorization: `Bearer ${host.token}`,
    })
    expect(answer).toEqual({ status: 403, json: { error: 'wrong origin' } })
    expect(staged()).toEqual(before)
  })

  it('refuses its own origin without the token or with a wrong one', async () => {
    const before = staged()
    for (const authorization of [
      undefined,
      `Bearer ${'x'.repeat(host.token.length)}`,
      host.token,
    ]) {
      const headers: Record<string, string> = { origin: host.origin }
      if (authorization) headers.authorization = authorization
      const answer = await post(host, Buffer.from('no'), headers)
      expect(answer).toEqual({ status: 403, json: { error: 'missing or wrong launch token' } })
    }
    expect(staged()).toEqual(before)
  })

  it('takes only POST for staging, and serves kept files only with the token', async () => {
    const headers = { origin: host.origin, authorization: `Bearer ${host.token}` }
    expect((await post(host, Buffer.alloc(0), headers, 'PUT')).status).toBe(405)
    const file = '/attachments/file/u-alice/cm1'
    expect((await post(host, Buffer.alloc(0), {}, 'GET', file)).status).toBe(403)
    const withToken = `${file}?token=${encodeURIComponent(host.token)}`
    expect((await post(host, Buffer.alloc(0), {}, 'GET', withToken)).status).toBe(404)
  })

  it('answers 404 to a file path that is not percent-encoded right, not 500', async () => {
    const token = `?token=${encodeURIComponent(host.token)}`
    for (const path of ['/attachments/file/%E0%A4%A/cm1', '/attachments/file/u-alice/%ZZ']) {
      const answer = await post(host, Buffer.alloc(0), {}, 'GET', `${path}${token}`)
      expect(answer).toEqual({ status: 404, json: { error: 'not found' } })
    }
  })
})

describe('parseRange', () => {
  it('reads the ranges a media element asks of a whole file', () => {
    expect(parseRange(undefined, 89_000)).toBeNull()
    expect(parseRange('bytes=0-', 89_000)).toEqual([0, 88_999])
    expect(parseRange('bytes=0-1', 89_000)).toEqual([0, 1])
    expect(parseRange('bytes=88000-99999', 89_000)).toEqual([88_000, 88_999])
    expect(parseRange('bytes=-1000', 89_000)).toEqual([88_000, 88_999])
    expect(parseRange('bytes=-100000', 89_000)).toEqual([0, 88_999])
  })

  it('serves the whole file for a malformed range, and refuses one past the end', () => {
    expect(parseRange('bytes=5-3', 89_000)).toBeNull()
    expect(parseRange('bytes=0-1,5-6', 89_000)).toBeNull()
    expect(parseRange('bytes=89000-', 89_000)).toBe('unsatisfiable')
    expect(parseRange('bytes=-0', 89_000)).toBe('unsatisfiable')
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable')
  })
})
