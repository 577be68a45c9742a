// Electron's main process: app lifecycle, the app window, the app:// protocol and the HostApi
// over IPC. With preload/, the only code that imports 'electron'. Bundled by
// scripts/bundle-electron.ts into dist/electron/main.cjs, with the preload beside it.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { BrowserWindow } from 'electron'
import { app, dialog, ipcMain, safeStorage, session } from 'electron'
import { configureLogging, createLogger, type LogLevel } from '../../shared/logger'
import { ClientCore } from '../core/client-core'
import { registerAppScheme, serveRenderer } from './app-protocol'
import { MICROAPP_PRELOAD_BUNDLE, PRELOAD_BUNDLE, RENDERER_DIR_FROM_BUNDLE } from './bundle-layout'
import { bindHostApi } from './ipc'
import { SafeStorageKeyStore } from './safe-storage-key-store'
import { createMainWindow, guardWebContents, limitPermissions } from './window'

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

let mainWindow: BrowserWindow | null = null

function main(): void {
  chooseProfileDir()
  registerAppScheme()

  if (!app.requestSingleInstanceLock()) {
    log.info('Tack is already running; focusing that window')
    app.quit()
    return
  }
  app.on('second-instance', focusMainWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, { microAppPreload: MICROAPP_PRELOAD_PATH }),
  )

  app.whenReady().then(start).catch(failToStart)
}

async function start(): Promise<void> {
  limitPermissions(session.defaultSession)
  serveRenderer(RENDERER_DIR)

  const core = await startCore()
  closeOnQuit(core)
  bindHostApi({ ipcMain, core, getWindow: () => mainWindow })

  openMainWindow()
  app.on('activate', () => {
    if (!mainWindow) openMainWindow()
  })
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

async function startCore(): Promise<ClientCore> {
  const profileDir = app.getPath('userData')
  const server = await serverSettings()
  const core = new ClientCore({
    profileDir,
    keyStore: new SafeStorageKeyStore({ dir: join(profileDir, 'keys'), safeStorage }),
    defaultServerAddress: server.address,
    trustedCaPem: server.caPem,
    device: { name: hostname(), platform: process.platform },
  })
  await core.start()
  log.info({ profileDir, server: server.address }, 'client core started')
  return core
}

/** The server to offer on the login screen and the CA to trust, as scripts/start.ts passes them. */
async function serverSettings(): Promise<{ address: string; caPem: string }> {
  const address = process.env.TACK_SERVER_ADDRESS || DEFAULT_SERVER_ADDRESS
  const caPath = process.env.TACK_CA_PATH
  // TODO(#9): an installed Tack needs its server and CA from settings, not the environment.
  if (!caPath) {
    throw new Error('TACK_CA_PATH is not set: start Tack with `npm start`, which passes it')
  }
  try {
    return { address, caPem: await readFile(caPath, 'utf8') }
  } catch {
    throw new Error(`cannot read the server's CA certificate at ${caPath}`)
  }
}

function openMainWindow(): void {
  const window = createMainWindow({ preloadPath: PRELOAD_PATH, bounds: null })
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
}

function focusMainWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

/** Holds the quit until the core has closed its store and connection. */
function closeOnQuit(core: ClientCore): void {
  let closed = false
  app.on('will-quit', (event) => {
    if (closed) return
    event.preventDefault()
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
  dialog.showErrorBox('Tack could not start', message)
  app.exit(1)
}

main()
