// The app:// protocol: the renderer's files, served from dist/renderer only, with a strict
// Content-Security-Policy. Registered as standard and secure so the page gets a real origin,
// fetch and storage, like an https page.
import { pathToFileURL } from 'node:url'
import { net, protocol } from 'electron'
import { createLogger } from '../../shared/logger'
import { APP_SCHEME, resolveAppFile } from './app-url'

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

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer under app://tack/. Runs once the app is ready. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405 })
    }
    const file = resolveAppFile(rendererDir, request.url)
    if (!file) {
      log.warn({ url: request.url }, 'app request refused: outside the renderer')
      return new Response(null, { status: 404 })
    }
    try {
      const found = await net.fetch(pathToFileURL(file).toString())
      const headers = new Headers(found.headers)
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      headers.set('X-Content-Type-Options', 'nosniff')
      return new Response(found.body, { status: found.status, headers })
    } catch {
      log.debug({ url: request.url }, 'app request: no such file')
      return new Response(null, { status: 404 })
    }
  })
}
