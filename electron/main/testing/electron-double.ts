// A test double of the 'electron' module for main-process unit tests, which run in plain Node
// where the real module cannot load. Tests install it with
//   vi.mock('electron', () => import('./testing/electron-double'))
// and it says what it is: `isElectronTestDouble` is true, and every fake is named so.
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { vi } from 'vitest'

export const isElectronTestDouble = true

/** web contents as the guards see them: an emitter with the few methods they call. */
export class FakeWebContents extends EventEmitter {
  readonly isTestDouble = true
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null
  url = 'app://tack/index.html'
  type: 'window' | 'webview' = 'window'
  readonly send = vi.fn()

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }) {
    this.windowOpenHandler = handler
  }
  getURL(): string {
    return this.url
  }
  getType(): string {
    return this.type
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly isTestDouble = true
  readonly webContents = new FakeWebContents()
  readonly loadURL = vi.fn(async () => undefined)
  readonly show = vi.fn()
  readonly focus = vi.fn()
  readonly restore = vi.fn()
  readonly setOverlayIcon = vi.fn()
  bounds = { x: 0, y: 0, width: 1200, height: 800 }
  maximized = false
  constructor(readonly options: Record<string, unknown> = {}) {
    super()
  }
  isDestroyed(): boolean {
    return false
  }
  isMinimized(): boolean {
    return false
  }
  focused = false
  isFocused(): boolean {
    return this.focused
  }
  isMaximized(): boolean {
    return this.maximized
  }
  getNormalBounds() {
    return { ...this.bounds }
  }
}

export const shell = { isTestDouble: true, openExternal: vi.fn(async () => undefined) }

export const app = Object.assign(new EventEmitter(), {
  isTestDouble: true,
  isPackaged: false,
  setBadgeCount: vi.fn(() => true),
  setLoginItemSettings: vi.fn(),
  getPath: vi.fn(() => '/tmp/tack-test-double'),
})

export const nativeImage = {
  isTestDouble: true,
  createFromBuffer: vi.fn((buffer: Buffer) => ({ isTestDouble: true, buffer })),
  createEmpty: vi.fn(() => ({ isTestDouble: true, empty: true })),
}

export class Tray extends EventEmitter {
  static readonly isTestDouble = true
  static readonly created: Tray[] = []
  readonly setImage = vi.fn()
  readonly setToolTip = vi.fn()
  readonly setTitle = vi.fn()
  readonly setContextMenu = vi.fn()
  readonly destroy = vi.fn()
  constructor(readonly image: unknown) {
    super()
    Tray.created.push(this)
  }
}

export const Menu = {
  isTestDouble: true,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ isTestDouble: true, template })),
  setApplicationMenu: vi.fn(),
}

export class Notification extends EventEmitter {
  static readonly isTestDouble = true
  static readonly shown: Notification[] = []
  static isSupported(): boolean {
    return true
  }
  constructor(readonly options: { title: string; body: string }) {
    super()
  }
  closed = false
  show(): void {
    Notification.shown.push(this)
  }
  close(): void {
    this.closed = true
    this.emit('close')
  }
}

export const powerMonitor = Object.assign(new EventEmitter(), { isTestDouble: true })

/** net.fetch reads file: URLs from disk, as Electron's does; nothing else is fetched. */
export const net = {
  isTestDouble: true,
  isOnline: vi.fn(() => true),
  fetch: vi.fn(async (url: string) => {
    if (!url.startsWith('file:')) throw new Error(`test double net.fetch reads file: only: ${url}`)
    return new Response(await readFile(fileURLToPath(url)), { status: 200 })
  }),
}

/** A session's protocol handlers, kept by scheme so a test can send requests to them. */
export class FakeProtocol {
  readonly isTestDouble = true
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>()
  readonly handle = vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => {
    this.handlers.set(scheme, handler)
  })
  readonly registerSchemesAsPrivileged = vi.fn()
}

export class FakeSession {
  readonly isTestDouble = true
  readonly protocol = new FakeProtocol()
  constructor(readonly partition: string) {}
}

/** The app's default session's protocol module. */
export const protocol = new FakeProtocol()

const partitions = new Map<string, FakeSession>()
export const session = {
  isTestDouble: true,
  fromPartition: vi.fn((partition: string) => {
    const found = partitions.get(partition) ?? new FakeSession(partition)
    partitions.set(partition, found)
    return found
  }),
}

export default {
  app,
  shell,
  nativeImage,
  powerMonitor,
  net,
  protocol,
  session,
  BrowserWindow,
  Tray,
  Menu,
  Notification,
  isElectronTestDouble,
}
