// Tack's own schemes. app:// serves the renderer's files from dist/renderer only, with a strict
// Content-Security-Policy. tack-app://<agentId>/ serves an installed offline micro-app package,
// each app its own origin and only in its own webview's session (package-url.ts). Both are
// registered as standard and secure so their pages get a real origin, fetch and storage, like an
// https page.
import { stat } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import type { Session } from 'electron'
import { net, protocol } from 'electron'
import { createLogger } from '../../shared/logger'
import { APP_SCHEME, resolveAppFile } from './app-url'
import { PACKAGE_SCHEME, resolvePackageFile, type ServedPackage } from './package-url'

const log = createLogger('app-protocol')

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * A micro-app package's policy: its scripts only from its own files (no inline script, no eval),
 * its backend reachable over https or on this machine, nothing plugged in, shown only inside
 * Tack's page. A package can tighten this with its own meta tag; it cannot loosen it.
 */
export const PACKAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-src 'none'",
  `frame-ancestors ${APP_SCHEME}://tack`,
].join('; ')

/** Must run before the app is ready, and only once: Electron takes one list of schemes. */
export function registerAppSchemes(): void {
  const privileges = { standard: true, secure: true, supportFetchAPI: true }
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges },
    { scheme: PACKAGE_SCHEME, privileges },
  ])
}

/** A message's file kept on this device (ClientCore.attachmentFile), or null. */
export type KeptAttachment = (
  senderId: string,
  clientMessageId: string,
) => Promise<{ path: string } | null>

/** Where the page loads a kept attachment: app://tack/attachments/file/<sender>/<id>. */
export const ATTACHMENT_PATH = '/attachments/file/'

/**
 * Serves the built renderer under app://tack/, and the files of messages kept on this device
 * under ATTACHMENT_PATH (same origin, so <img> and <audio> may load them). Runs once the app is
 * ready.
 */
export function serveRenderer(rendererDir: string, keptAttachment?: KeptAttachment): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (!isRead(request)) return new Response(null, { status: 405 })
    const { pathname } = new URL(request.url)
    if (keptAttachment && pathname.startsWith(ATTACHMENT_PATH)) {
      const [senderId = '', clientMessageId = ''] = pathname
        .slice(ATTACHMENT_PATH.length)
        .split('/')
        .map((part) => decodeURIComponent(part))
      const kept = await keptAttachment(senderId, clientMessageId)
      if (!kept) return new Response(null, { status: 404 })
      return serveFile(request, kept.path, "default-src 'none'; sandbox")
    }
    const file = resolveAppFile(rendererDir, request.url)
    if (!file) {
      log.warn({ url: request.url }, 'app request refused: outside the renderer')
      return new Response(null, { status: 404 })
    }
    return serveFile(request, file, CONTENT_SECURITY_POLICY)
  })
}

/** Sessions that already serve their app's package. */
const servingSessions = new WeakSet<Session>()

/**
 * Serves agentId's installed package at tack-app://<agentId>/ in its webview's session, and
 * nothing else there: another app's origin answers 404. The version in use is looked up on each
 * request, so an update shows at the next load. Safe to call again for the same session.
 */
export function servePackage(
  target: Session,
  agentId: string,
  packageOf: (agentId: string) => Promise<ServedPackage | null>,
): void {
  if (servingSessions.has(target)) return
  servingSessions.add(target)
  target.protocol.handle(PACKAGE_SCHEME, packageHandler(agentId, packageOf))
}

/** The tack-app:// handler of agentId's session. */
export function packageHandler(
  agentId: string,
  packageOf: (agentId: string) => Promise<ServedPackage | null>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!isRead(request)) return new Response(null, { status: 405 })
    const installed = await packageOf(agentId)
    const file = installed ? resolvePackageFile(agentId, installed, request.url) : null
    if (!file) {
      log.warn({ agentId, url: request.url.slice(0, 200) }, 'package request refused')
      return new Response(null, { status: 404 })
    }
    return serveFile(request, file, PACKAGE_CONTENT_SECURITY_POLICY)
  }
}

function isRead(request: Request): boolean {
  return request.method === 'GET' || request.method === 'HEAD'
}

/** A regular file (never a folder's listing) with the policy headers; 404 when there is none. */
async function serveFile(request: Request, file: string, policy: string): Promise<Response> {
  const found = await stat(file).catch(() => null)
  if (!found?.isFile()) {
    log.debug({ url: request.url.slice(0, 200) }, 'no such file')
    return new Response(null, { status: 404 })
  }
  try {
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', policy)
    headers.set('X-Content-Type-Options', 'nosniff')
    headers.set('Cache-Control', 'no-cache')
    const body = request.method === 'HEAD' ? null : response.body
    return new Response(body, { status: response.status, headers })
  } catch (error) {
    log.debug({ err: error, url: request.url.slice(0, 200) }, 'file not read')
    return new Response(null, { status: 404 })
  }
}
