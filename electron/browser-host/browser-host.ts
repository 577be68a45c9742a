// Browser mode's host: serves the built renderer and carries HostApi over a WebSocket, so the
// same ClientCore runs behind a plain browser tab. It listens on loopback only and accepts a
// WebSocket only from its own origin with the random token it made at launch.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import {
  BROWSER_HOST_WS_PATH,
  LAUNCH_TOKEN_FRAGMENT_KEY,
  dispatchHostRequest,
  requestEnvelopeSchema,
  toErrorPayload,
  type EventEnvelope,
  type ResponseEnvelope,
} from '../../shared/host-transport'
import { createLogger } from '../../shared/logger'
import type { ClientCore } from '../core/client-core'
import { attachmentFileUrl, serveAttachmentRoute } from './attachment-routes'
import { startPackageHost } from './package-host'

const log = createLogger('browser-host')

/** Larger than any valid request (a message is at most 10,000 characters). */
const MAX_WS_MESSAGE_BYTES = 256 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface BrowserHostOptions {
  core: ClientCore
  /** The built renderer (dist/renderer). */
  rendererDir: string
  /** Loopback only. */
  host?: '127.0.0.1' | 'localhost'
  port?: number
}

export interface BrowserHost {
  /** The page to open, with the launch token in its fragment. */
  url: string
  origin: string
  token: string
  port: number
  close(): Promise<void>
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1'
  const token = randomBytes(32).toString('base64url')
  const rendererDir = resolve(options.rendererDir)
  const sockets = new Set<WebSocket>()
  let port = 0

  const http = createServer((request, response) => {
    if (!isOwnHost(request.headers.host, port)) return refuseHttp(response, 421, 'wrong host')
    // Attachments: files the page stages for upload, and kept files it shows (attachment-routes.ts).
    const attachments = {
      files: options.core,
      token,
      isOwnOrigin: (origin: string | undefined) => isOwnOrigin(origin, port),
    }
    void serveAttachmentRoute(request, response, attachments)
      .then(async (served) => {
        if (!served) await serveStatic(rendererDir, request, response)
      })
      .catch((error: unknown) => {
        log.warn({ error: String(error) }, 'attachment route failed')
        if (!response.headersSent) refuseHttp(response, 500, 'internal error')
      })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES })

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = checkUpgrade(request, port, token)
    if (refusal) {
      log.warn({ reason: refusal, origin: request.headers.origin ?? null }, 'websocket refused')
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refusal}\n`)
      socket.destroy()
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.core, sockets))
  })

  const unsubscribe = options.core.onEvent((name, payload) => {
    const envelope: EventEnvelope = { kind: 'event', name, payload }
    const text = JSON.stringify(envelope)
    for (const ws of sockets) ws.send(text)
  })

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, host, () => resolveListen())
  })
  port = (http.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  const packages = await startPackageHost(options.core)
  options.core.serveAttachmentsAt((senderId, clientMessageId) =>
    attachmentFileUrl(senderId, clientMessageId, token),
  )
  log.info({ origin }, 'browser host listening')

  return {
    url: `${origin}/#${LAUNCH_TOKEN_FRAGMENT_KEY}=${token}`,
    origin,
    token,
    port,
    close: async () => {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      http.closeAllConnections()
      await new Promise<void>((done) => http.close(() => done()))
      await packages.close()
    },
  }
}

/** Why an upgrade is refused, or null to accept it. */
function checkUpgrade(request: IncomingMessage, port: number, token: string): string | null {
  const url = new URL(request.url ?? '/', 'http://placeholder')
  if (url.pathname !== BROWSER_HOST_WS_PATH) return 'unknown path'
  if (!isOwnHost(request.headers.host, port)) return 'wrong host'
  if (!isOwnOrigin(request.headers.origin, port)) return 'wrong origin'
  const offered = Buffer.from(url.searchParams.get('token') ?? '')
  const expected = Buffer.from(token)
  if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
    return 'missing or wrong launch token'
  }
  return null
}

function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`
}

function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

function serveSocket(ws: WebSocket, core: ClientCore, sockets: Set<WebSocket>): void {
  sockets.add(ws)
  ws.on('close', () => sockets.delete(ws))
  ws.on('error', (error) => log.warn({ error: error.message }, 'websocket error'))
  ws.on('message', (data: RawData, isBinary: boolean) => {
    void handleMessage(ws, core, data, isBinary)
  })
}

async function handleMessage(ws: WebSocket, core: ClientCore, data: RawData, isBinary: boolean) {
  let envelope
  try {
    if (isBinary) throw new Error('binary message')
    envelope = requestEnvelopeSchema.parse(JSON.parse(data.toString()))
  } catch {
    log.warn('websocket message is not a request envelope; closing')
    ws.close(1008, 'bad request envelope')
    return
  }
  let response: ResponseEnvelope
  try {
    const result = await dispatchHostRequest(core, envelope.method, envelope.params)
    response = { kind: 'response', id: envelope.id, ok: true, result: result ?? null }
  } catch (error) {
    response = { kind: 'response', id: envelope.id, ok: false, error: toErrorPayload(error) }
    if (response.error.code === 'INTERNAL') {
      log.error({ method: envelope.method, error: String(error) }, 'request failed')
    }
  }
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response))
}

async function serveStatic(
  rendererDir: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refuseHttp(response, 405, 'method not allowed')
  }
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://placeholder').pathname)
  const relative = normalize(pathname === '/' ? '/index.html' : pathname)
  let file = join(rendererDir, relative)
  if (!file.startsWith(rendererDir + sep)) return refuseHttp(response, 403, 'forbidden')
  const info = await stat(file).catch(() => null)
  // The renderer is one page: unknown paths without an extension get index.html.
  if (!info?.isFile()) {
    if (extname(relative)) return refuseHttp(response, 404, 'not found')
    file = join(rendererDir, 'index.html')
  }
  try {
    const body = await readFile(file)
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'max-age=3600',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "frame-ancestors 'none'",
    })
    response.end(request.method === 'HEAD' ? undefined : body)
  } catch {
    refuseHttp(response, 500, 'the renderer is not built; run npm run build:renderer')
  }
}

function refuseHttp(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(`${message}\n`)
}
