// The app:// origin the window loads the renderer from, and which URLs may be served, navigated
// to or opened outside. Plain functions, no 'electron' import, so they are unit-tested in Node.
import { isAbsolute, relative, resolve } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'tack'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** True for a URL of the app's own origin (app://tack/…). */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url)
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST
}

/** True for an http(s) link, the only kind handed to the system browser. */
export function isWebUrl(url: string): boolean {
  const parsed = parse(url)
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
}

/** Longest link handed to the system browser. */
const MAX_EXTERNAL_URL_LENGTH = 2048

/**
 * True for a link that may go to shell.openExternal: http(s) only, no user name or password in
 * it (they make a link look like it goes somewhere it does not), and of a sane length.
 */
export function isExternalLink(url: string): boolean {
  if (url.length > MAX_EXTERNAL_URL_LENGTH || !isWebUrl(url)) return false
  const parsed = new URL(url)
  return parsed.username === '' && parsed.password === '' && parsed.hostname !== ''
}

/**
 * The file under rootDir that an app:// request names, or null when the URL is not ours, is
 * malformed, or would leave rootDir (`..`, encoded slashes, absolute paths, NUL bytes).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  const url = parse(requestUrl)
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  return resolveInside(rootDir, url.pathname, 'index.html')
}

/**
 * The file a URL's (still escaped) path names inside rootDir, `index` for the bare root; null
 * for a broken escape, a NUL byte, or a path that would leave rootDir or name rootDir itself.
 */
export function resolveInside(rootDir: string, escapedPath: string, index: string): string | null {
  let path: string
  try {
    path = decodeURIComponent(escapedPath)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  if (path === '/' || path === '') path = `/${index}`

  const root = resolve(rootDir)
  const file = resolve(root, `.${path}`)
  const inside = relative(root, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null
  return file
}
