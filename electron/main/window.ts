// The app window and the rules every web page in the app lives by: no new windows, no navigation
// away from app://, http(s) links open in the system browser, no <webview>, no permissions.
import type { Session, WebContents } from 'electron'
import { BrowserWindow, shell } from 'electron'
import { createLogger } from '../../shared/logger'
import { APP_ENTRY_URL, isAppUrl, isWebUrl } from './app-url'

const log = createLogger('window')

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Tack',
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: preloadPath,
    },
  })
  window.once('ready-to-show', () => window.show())
  keepInsideApp(window.webContents)

  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    log.error({ err: error, url: APP_ENTRY_URL }, 'app window failed to load')
  })
  return window
}

/** Hands an http(s) link to the system browser; anything else is dropped. */
export function openExternally(url: string): void {
  if (!isWebUrl(url)) {
    log.warn({ url }, 'link not opened: only http(s) links leave the app')
    return
  }
  shell.openExternal(url).catch((error: unknown) => {
    log.warn({ err: error }, 'system browser did not open the link')
  })
}

/** The app window stays on app://: links elsewhere go to the system browser instead. */
function keepInsideApp(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return
    event.preventDefault()
    openExternally(event.url)
  })
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return
    log.warn({ url: event.url }, 'redirect away from the app refused')
    event.preventDefault()
  })
}

/**
 * For every web contents the app makes: no <webview> until the micro-app container brings its
 * own checks (origin, partition, preload) for them, and no windows of their own.
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => {
    log.warn('webview refused: the micro-app container is not enabled')
    event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url)
    return { action: 'deny' }
  })
}

/** Permissions the app's own pages get; everything else (camera, location…) is denied. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** Denies every permission not listed above, and any permission asked for by another origin. */
export function limitPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = ALLOWED_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl)
    if (!allowed) log.info({ permission }, 'permission request denied')
    callback(allowed)
  })
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin),
  )
}
