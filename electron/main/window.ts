// The app window and the rules every web page in the app lives by: no new windows, the app window
// stays on app://, a micro-app's webview stays on its origin, http(s) links open in the system
// browser after checks, a <webview> attaches only under the micro-app policy, and permissions
// are denied unless listed.
import type { Rectangle, Session, WebContents, WebPreferences } from 'electron'
import { BrowserWindow, shell } from 'electron'
import { createLogger } from '../../shared/logger'
import { APP_ENTRY_URL, isAppUrl, isExternalLink } from './app-url'
import { packageAgentOf } from './package-url'
import {
  decideAppNavigation,
  decideWebviewNavigation,
  decideWindowOpen,
  type NavigationDecision,
} from './navigation-policy'
import { decideWebviewAttach, enforceWebviewPreferences } from './webview-policy'

const log = createLogger('window')

export interface MainWindowOptions {
  preloadPath: string
  /** Where the window was last, when it is still on a screen. */
  bounds: Partial<Rectangle> | null
  /** False when Tack starts at login into the tray. */
  showOnReady?: boolean
  title?: string
}

export function createMainWindow({
  preloadPath,
  bounds,
  showOnReady = true,
  title,
}: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: title ?? 'Tack',
    width: 1200,
    height: 800,
    ...bounds,
    minWidth: 760,
    minHeight: 520,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // The micro-app container holds each app in a <webview>; will-attach-webview (below) forces
      // our preload, sandbox, isolation and a per-app partition on every one of them.
      webviewTag: true,
      // A middle-click must not open a window; the window-open handler would refuse it anyway.
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      preload: preloadPath,
    },
  })
  if (showOnReady) window.once('ready-to-show', () => window.show())

  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    log.error({ err: error, url: APP_ENTRY_URL }, 'app window failed to load')
  })
  return window
}

/** Hands a link to the system browser after checking it; anything else is dropped. */
export function openExternally(url: string): boolean {
  if (!isExternalLink(url)) {
    log.warn({ url: url.slice(0, 200) }, 'link not opened: only plain http(s) links leave the app')
    return false
  }
  shell.openExternal(url).catch((error: unknown) => {
    log.warn({ err: error }, 'system browser did not open the link')
  })
  return true
}

export interface GuardOptions {
  /** The micro-app preload every webview is given, whatever it asked for. */
  microAppPreload: string
  /** A micro-app's webview is about to load in its partition (to serve its package there). */
  onMicroAppAttach?: (agentId: string) => void
}

/** For every web contents the app makes (app window, webviews): the rules above. */
export function guardWebContents(
  contents: WebContents,
  { microAppPreload, onMicroAppAttach }: GuardOptions,
): void {
  contents.on('will-attach-webview', (event, webPreferences: WebPreferences, params) => {
    const decision = decideWebviewAttach({ embedderUrl: contents.getURL(), params })
    if (!decision.allow) {
      log.warn({ reason: decision.reason }, 'webview refused')
      event.preventDefault()
      return
    }
    enforceWebviewPreferences(webPreferences, microAppPreload)
    onMicroAppAttach?.(decision.agentId)
    log.info({ agentId: decision.agentId }, 'micro-app webview attached')
  })

  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url) === 'external') openExternally(url)
    else log.warn({ url: url.slice(0, 200) }, 'new window refused')
    return { action: 'deny' }
  })

  const decide = (url: string): NavigationDecision =>
    contents.getType() === 'webview'
      ? decideWebviewNavigation(contents.getURL(), url)
      : decideAppNavigation(url)
  contents.on('will-navigate', (event) => {
    const decision = decide(event.url)
    if (decision === 'stay') return
    event.preventDefault()
    if (decision === 'external') openExternally(event.url)
    else log.warn({ url: event.url.slice(0, 200) }, 'navigation refused')
  })
  contents.on('will-redirect', (event) => {
    if (decide(event.url) === 'stay') return
    log.warn({ url: event.url.slice(0, 200) }, 'redirect refused')
    event.preventDefault()
  })
}

/** Permissions the app's own pages get; everything else (camera, location…) is denied. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** Denies every permission not listed above, and any permission asked for by another origin. */
export function limitPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl)
    if (!allowed) log.info({ permission }, 'permission request denied')
    callback(allowed)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  )
  session.setDevicePermissionHandler(() => false)
}

/**
 * Chromium's Local Network Access permissions (the name differs between versions). An offline
 * package's page (tack-app://) is on no network address itself, so reaching its own backend on
 * this machine or the company network needs one; package origins get it, nothing else does.
 */
const LOCAL_NETWORK_PERMISSIONS: ReadonlySet<string> = new Set([
  'local-network-access',
  'local-network',
  'loopback-network',
])

export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  if (LOCAL_NETWORK_PERMISSIONS.has(permission)) return packageAgentOf(requestingUrl) !== null
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl)
}
