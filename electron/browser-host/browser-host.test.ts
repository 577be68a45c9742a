import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ClientCore } from '../core/client-core'
import { FileKeyStore } from '../core/store/key-store'
import { BROWSER_HOST_WS_PATH } from '../../shared/host-transport'
import { MAX_MESSAGE_CHARS } from '../../shared/host-api'
import { startBrowserHost, type BrowserHost } from './browser-host'

function openSocket(
  host: BrowserHost,
  options: { origin?: string; token?: string | null },
): Promise<{ ws: WebSocket } | { refused: number }> {
  const token = options.token === undefined ? host.token : options.token
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${BROWSER_HOST_WS_PATH}${query}`, {
    origin: options.origin ?? host.origin,
  })
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_request, response) =>
      resolve({ refused: response.statusCode ?? 0 }),
    )
    ws.once('error', () => undefined)
  })
}

function call(ws: WebSocket, id: number, method: string, params: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const envelope = JSON.parse(data.toString()) as { kind: string; id?: number }
      if (envelope.kind === 'response' && envelope.id === id) {
        ws.off('message', onMessage)
        resolve(envelope)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ kind: 'request', id, method, params }))
  })
}

function httpGet(port: number, path: string, hostHeader?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: hostHeader ? { host: hostHeader } : {} },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('browser-mode host', () => {
  let dir: string
  let core: ClientCore
  let host: BrowserHost

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-host-'))
    const rendererDir = join(dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tack</title>')
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer')
    core = new ClientCore({
      profileDir: join(dir, 'profile'),
      keyStore: new FileKeyStore(join(dir, 'profile', 'keys')),
      defaultServerAddress: '127.0.0.1:7443',
      trustedCaPem: '',
      device: { name: 'test', platform: 'browser' },
    })
    await core.start()
    host = await startBrowserHost({ core, rendererDir })
  })

  afterAll(async () => {
    await host.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('puts the launch token in the URL fragment, which browsers never send to a server', () => {
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`)
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('refuses a WebSocket from another origin even with the right token', async () => {
    const result = await openSocket(host, { origin: 'http://evil.example' })
    expect(result).toEqual({ refused: 403 })
  })

  it('refuses a WebSocket from its own origin without the launch token', async () => {
    expect(await openSocket(host, { token: null })).toEqual({ refused: 403 })
    expect(await openSocket(host, { token: 'x'.repeat(host.token.length) })).toEqual({
      refused: 403,
    })
  })

  it('serves HostApi to its own origin with the token', async () => {
    const result = await openSocket(host, {})
    if (!('ws' in result)) throw new Error(`refused ${result.refused}`)
    const response = (await call(result.ws, 1, 'getState', {})) as { ok: boolean; result: unknown }
    expect(response.ok).toBe(true)
    expect(response.result).toMatchObject({ session: null, defaultServerAddress: '127.0.0.1:7443' })
    result.ws.close()
  })

  it('answers bad parameters and unknown methods with clear errors', async () => {
    const result = await openSocket(host, {})
    if (!('ws' in result)) throw new Error(`refused ${result.refused}`)
    expect(
      await call(result.ws, 2, 'sendMessage', { conversationId: 'c', text: '   ' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_PARAMS', message: expect.stringMatching(/empty/) },
    })
    // A draft past a message's length, or naming someone without a name, is refused whole.
    expect(
      await call(result.ws, 5, 'saveDraft', {
        conversationId: 'c',
        text: 'x'.repeat(MAX_MESSAGE_CHARS + 1),
        mentions: [],
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_PARAMS' } })
    expect(
      await call(result.ws, 6, 'saveDraft', {
        conversationId: 'c',
        text: '@',
        mentions: [{ userId: 'u-li', name: '' }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_PARAMS' } })
    expect(await call(result.ws, 3, 'dropDatabase', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    })
    expect(await call(result.ws, 4, 'listConversations', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    })
    result.ws.close()
  })

  it('closes a socket that sends something other than a request envelope', async () => {
    const result = await openSocket(host, {})
    if (!('ws' in result)) throw new Error(`refused ${result.refused}`)
    const code = await new Promise<number>((resolve) => {
      result.ws.once('close', (closeCode) => resolve(closeCode))
      result.ws.send('{"not": "an envelope"}')
    })
    expect(code).toBe(1008)
  })

  it('serves the renderer, never files outside it, and only under its own host name', async () => {
    expect(await httpGet(host.port, '/')).toBe(200)
    expect(await httpGet(host.port, '/conversations/abc')).toBe(200)
    expect(await httpGet(host.port, '/../secret.txt')).not.toBe(200)
    expect(await httpGet(host.port, '/%2e%2e/secret.txt')).not.toBe(200)
    expect(await httpGet(host.port, '/', 'attacker.example:80')).toBe(421)
  })
})
