// Electron's main process: app lifecycle (one instance, tack:// links), the app window and its
// hardening, the app:// protocol, the HostApi over IPC, and Tack's presence outside the window
// (tray, badge, notifications, menus, start at login, updates). With preload/, the only code that
// imports 'electron'. Bundled by scripts/bundle-electron.ts into dist/electron/main.cjs.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { BrowserWindow } from 'electron'
import {
  app,
  dialog,
  ipcMain,
  Menu,
  net,
  powerMonitor,
  safeStorage,
  screen,
  session,
} from 'electron'
import type { HostEventName, HostEvents } from '../../shared/host-api'
import { configureLogging, createLogger, type LogLevel } from '../../shared/logger'
import { ClientCore } from '../core/client-core'
import { ATTACHMENT_PATH, registerAppSchemes, servePackage, serveRenderer } from './app-protocol'
import { APP_HOST, APP_SCHEME } from './app-url'
import { planUpdates, startAutoUpdate, type Updater } from './auto-update'
import { MICROAPP_PRELOAD_BUNDLE, PRELOAD_BUNDLE, RENDERER_DIR_FROM_BUNDLE } from './bundle-layout'
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink } from './deep-link'
import { LinkRouter } from './link-router'
import { bindHostApi } from './ipc'
import { applyOpenAtLogin } from './login-item'
import { appMenuTemplate, trayMenuTemplate, type MenuActions, type MenuState } from './menus'
import { SafeStorageKeyStore } from './safe-storage-key-store'
import { chooseLocale, SettingsFile, type ShellLocale, type ShellSettings } from './settings'
import { packageOrigin } from './package-url'
import { ShellEvents } from './shell-events'
import { ShellPresence } from './shell-presence'
import { shellText } from './shell-text'
import { forwardSystemEvents } from './system-events'
import { watchUnread } from './unread-watcher'
import { microAppPartition } from './webview-policy'
import { createMainWindow, guardWebContents, limitPermissions } from './window'
import { loadWindowState, rememberWindowState, restorableBounds } from './window-state'

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]
const requestedLevel = process.env.TACK_LOG_LEVEL as LogLevel | undefined
configureLogging({
  level: requestedLevel && LOG_LEVELS.includes(requestedLevel) ? requestedLevel : 'info',
})
const log = createLogger('main')

const RENDERER_DIR = join(__dirname, RENDERER_DIR_FROM_BUNDLE)
const PRELOAD_PATH = join(__dirname, PRELOAD_BUNDLE)
const MICROAPP_PRELOAD_PATH = join(__dirname, MICROAPP_PRELOAD_BUNDLE)
const DEFAULT_SERVER_ADDRESS = 'localhost:7443'
/** electron-builder.yml's appId: Windows shows notifications only for a known app id. */
const APP_ID = 'com.tack.desktop'
/** Started at login with this flag: stay in the tray until asked. */
const HIDDEN_FLAG = '--hidden'
/** How long after the page loads before a shell event is sure to find the renderer listening. */
const RENDERER_SETTLE_MS = 1_000

let mainWindow: BrowserWindow | null = null
let clientCore: ClientCore | null = null
let settings: SettingsFile | null = null
let presence: ShellPresence | null = null
let updater: Updater | null = null
let quitting = false
const shellEvents = new ShellEvents()
const links = new LinkRouter({
  hasWindow: () => mainWindow !== null,
  showWindow: () => showMainWindow(),
  openConversation: (conversationId) => openConversation(conversationId),
  openMicroApp: (agentId, path) => sendShellEvent('openMicroApp', { agentId, path }),
})

function main(): void {
  chooseProfileDir()
  registerAppSchemes()
  app.enableSandbox()
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID)

  if (!app.requestSingleInstanceLock()) {
    log.info('Tack is already running; passing the arguments to it')
    app.quit()
    return
  }
  app.on('second-instance', (_event, argv) => links.secondInstance(argv))
  app.on('open-url', (event, url) => {
    event.preventDefault()
    links.route(parseDeepLink(url))
  })
  links.route(findDeepLink(process.argv))
  registerDeepLinkScheme()

  // Every session, the micro-apps' partitions too, denies permissions by default.
  app.on('session-created', (created) => limitPermissions(created))
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, {
      microAppPreload: MICROAPP_PRELOAD_PATH,
      onMicroAppAttach: servePackageOf,
    }),
  )
  app.on('before-quit', () => {
    quitting = true
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !presence?.hasTray) app.quit()
  })

  app.whenReady().then(start).catch(failToStart)
}

async function start(): Promise<void> {
  settings = new SettingsFile(join(app.getPath('userData'), 'settings.json'))
  const current = await settings.load()
  limitPermissions(session.defaultSession)
  let kept: ClientCore | null = null
  serveRenderer(RENDERER_DIR, async (senderId, id) => kept?.attachmentFile(senderId, id) ?? null)

  const core = await startCore(current)
  kept = core
  core.serveAttachmentsAt(
    (senderId, id) =>
      `${APP_SCHEME}://${APP_HOST}${ATTACHMENT_PATH}${encodeURIComponent(senderId)}/${encodeURIComponent(id)}`,
  )
  closeOnQuit(core)
  bindHostApi({ ipcMain, core, getWindow: () => mainWindow, shellEvents })
  forwardSystemEvents({ powerMonitor, net }, core)

  showPresence()
  watchUnread(core, presence!)
  await openMainWindow({ hidden: process.argv.includes(HIDDEN_FLAG) && presence!.hasTray })
  applyMenus()
  app.on('activate', () => showMainWindow())

  await startUpdates(current)
  links.windowReady()
  log.info({ version: app.getVersion(), electron: process.versions.electron }, 'Tack started')
}

/**
 * A development run (Electron started on the bundle, without an app package.json) is named Tack
 * too, and keeps its own profile apart from an installed Tack's.
 */
function chooseProfileDir(): void {
  if (!app.isPackaged) app.setName('Tack')
  const override = process.env.TACK_PROFILE_DIR
  if (override) app.setPath('userData', override)
  else if (!app.isPackaged) app.setPath('userData', join(app.getPath('appData'), 'Tack (dev)'))
}

/**
 * tack:// opens the installed app. A development run leaves the system's handler alone (it would
 * point every tack:// link at a bare Electron); test its links by passing one on the command line.
 */
function registerDeepLinkScheme(): void {
  if (!app.isPackaged) return
  if (!app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)) {
    log.warn({ scheme: DEEP_LINK_SCHEME }, 'could not register the link scheme')
  }
}

async function startCore(current: ShellSettings): Promise<ClientCore> {
  const profileDir = app.getPath('userData')
  const server = await serverSettings(current)
  const core = new ClientCore({
    profileDir,
    keyStore: new SafeStorageKeyStore({ dir: join(profileDir, 'keys'), safeStorage }),
    defaultServerAddress: server.address,
    trustedCaPem: server.caPem,
    device: { name: hostname(), platform: process.platform },
    shell: 'electron',
  })
  // Offline micro-app packages: each at tack-app://<agentId>, served in its webview's session.
  core.servePackagesAt(packageOrigin)
  await core.start()
  clientCore = core
  log.info({ profileDir, server: server.address }, 'client core started')
  return core
}

/** A micro-app's webview attaches: its partition's session serves its package, and only it. */
function servePackageOf(agentId: string): void {
  const core = clientCore
  if (!core) return
  servePackage(session.fromPartition(microAppPartition(agentId)), agentId, (id) =>
    core.packageOf(id),
  )
}

/**
 * The server to offer on the login screen and the CA to trust: from the environment when
 * `npm start` runs Tack, else from settings.json of an installed Tack.
 */
async function serverSettings(current: ShellSettings): Promise<{ address: string; caPem: string }> {
  const address = process.env.TACK_SERVER_ADDRESS || current.serverAddress || DEFAULT_SERVER_ADDRESS
  const caPath = process.env.TACK_CA_PATH || current.caPath
  if (!caPath) {
    const file = join(app.getPath('userData'), 'settings.json')
    throw new Error(
      `no server CA configured: set "caPath" (and "serverAddress") in ${file}, ` +
        'or start Tack with `npm start`, which passes them',
    )
  }
  try {
    return { address, caPem: await readFile(caPath, 'utf8') }
  } catch {
    throw new Error(`cannot read the server's CA certificate at ${caPath}`)
  }
}

async function openMainWindow({ hidden }: { hidden: boolean }): Promise<void> {
  const statePath = join(app.getPath('userData'), 'window-state.json')
  const saved = await loadWindowState(statePath)
  const workAreas = screen.getAllDisplays().map((display) => display.workArea)
  const window = createMainWindow({
    preloadPath: PRELOAD_PATH,
    bounds: restorableBounds(saved, workAreas),
    showOnReady: !hidden,
  })
  if (saved?.maximized && !hidden) window.once('ready-to-show', () => window.maximize())
  rememberWindowState(window, statePath)

  // With a tray, closing the window keeps Tack running there; quitting is in the menus.
  window.on('close', (event) => {
    if (quitting || !presence?.hasTray) return
    event.preventDefault()
    window.hide()
  })
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
}

function showMainWindow(): void {
  if (!mainWindow) {
    void openMainWindow({ hidden: false })
    return
  }
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** Asks the renderer to show a conversation, once its page has loaded. */
function openConversation(conversationId: string): void {
  sendShellEvent('openConversation', { conversationId })
}

/** Sends the renderer an event from the shell, once its page has loaded. */
function sendShellEvent<E extends HostEventName>(name: E, payload: HostEvents[E]): void {
  const window = mainWindow
  if (!window) return
  const send = (): void => shellEvents.emit(name, payload)
  if (!window.webContents.isLoading()) {
    send()
    return
  }
  window.webContents.once('did-finish-load', () => setTimeout(send, RENDERER_SETTLE_MS))
}

function showPresence(): void {
  presence = new ShellPresence({
    platform: process.platform,
    getWindow: () => mainWindow,
    showWindow: showMainWindow,
    openConversation,
    text: () => shellText(menuState().locale),
    trayMenu: (unread) => trayMenuTemplate({ ...menuState(), unread }, menuActions),
    preview: () => settings?.value.notificationPreview ?? true,
    attention: () =>
      clientCore?.readerAttention() ?? { notificationsEnabled: true, openConversationId: null },
  })
  presence.showTray()
}

function menuState(): MenuState {
  const current = settings!.value
  return {
    locale: chooseLocale(current.locale, app.getLocale()),
    platform: process.platform,
    openAtLogin: current.openAtLogin,
    development: !app.isPackaged,
    updates: updater !== null,
  }
}

const menuActions: MenuActions = {
  showWindow: showMainWindow,
  quit: () => app.quit(),
  checkForUpdates: () => updater?.checkNow(),
  setLocale: (locale: ShellLocale) => void changeSettings({ locale }),
  setOpenAtLogin: (enabled: boolean) => {
    void changeSettings({ openAtLogin: enabled }).then(() =>
      applyOpenAtLogin(enabled, {
        platform: process.platform,
        app,
        executable: process.env.APPIMAGE || process.execPath,
      }),
    )
  },
}

async function changeSettings(change: Partial<ShellSettings>): Promise<void> {
  try {
    await settings!.update(change)
  } catch (error) {
    log.error({ err: error }, 'settings not saved')
  }
  applyMenus()
}

/** The application menu and the tray in the chosen language. */
function applyMenus(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(menuState(), menuActions)))
  presence?.refreshTray()
}

async function startUpdates(current: ShellSettings): Promise<void> {
  const plan = planUpdates({
    isPackaged: app.isPackaged,
    settingsFeedUrl: current.updateFeedUrl,
    environmentFeedUrl: process.env.TACK_UPDATE_URL,
  })
  if (!plan.check) {
    log.info({ reason: plan.reason }, 'auto-update off')
    return
  }
  try {
    updater = await startAutoUpdate(plan.feedUrl)
    applyMenus()
  } catch (error) {
    log.warn({ err: error }, 'auto-update could not start')
  }
}

/** Holds the quit until the core has closed its store and connection. */
function closeOnQuit(core: ClientCore): void {
  let closed = false
  app.on('will-quit', (event) => {
    if (closed) return
    event.preventDefault()
    updater?.stop()
    presence?.destroy()
    core
      .close()
      .catch((error: unknown) => log.error({ err: error }, 'client core did not close cleanly'))
      .finally(() => {
        closed = true
        app.quit()
      })
  })
}

function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  log.fatal({ err: error }, 'Tack could not start')
  const locale = chooseLocale(settings?.value.locale ?? null, app.getLocale())
  dialog.showErrorBox(shellText(locale).startFailedTitle, message)
  app.exit(1)
}

main()
