// The guards wired onto real-looking web contents, with 'electron' replaced by the test double.
import type { Session, WebContents, WebPreferences } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as electron from './testing/electron-double'
import { guardWebContents, limitPermissions, openExternally } from './window'

vi.mock('electron', () => import('./testing/electron-double'))

const MICROAPP_PRELOAD = '/app/dist/electron/microapp-preload.cjs'

function guarded(type: 'window' | 'webview' = 'window', url = 'app://tack/index.html') {
  const contents = new electron.FakeWebContents()
  contents.type = type
  contents.url = url
  guardWebContents(contents as unknown as WebContents, { microAppPreload: MICROAPP_PRELOAD })
  return contents
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() }
}

describe('main-process guards (electron replaced by its test double)', () => {
  beforeEach(() => {
    electron.shell.openExternal.mockClear()
  })

  it('runs against the test double, not the real electron module', () => {
    expect(electron.isElectronTestDouble).toBe(true)
  })

  it('keeps the app window on app:// and sends web links to the system browser', () => {
    const contents = guarded()

    const inside = navigationEvent('app://tack/index.html#/contacts')
    contents.emit('will-navigate', inside)
    expect(inside.preventDefault).not.toHaveBeenCalled()

    const web = navigationEvent('https://example.com/')
    contents.emit('will-navigate', web)
    expect(web.preventDefault).toHaveBeenCalled()
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
  })

  it('refuses navigation to file: and javascript: without opening anything', () => {
    const contents = guarded()
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)']) {
      const event = navigationEvent(url)
      contents.emit('will-navigate', event)
      expect(event.preventDefault).toHaveBeenCalled()
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })

  it('denies every new window, opening only http(s) links outside', () => {
    const contents = guarded()
    expect(contents.windowOpenHandler!({ url: 'https://example.com/doc' })).toEqual({
      action: 'deny',
    })
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/doc')

    electron.shell.openExternal.mockClear()
    expect(contents.windowOpenHandler!({ url: 'file:///C:/evil.exe' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: 'app://tack/index.html' })).toEqual({
      action: 'deny',
    })
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })

  it("keeps a micro-app's webview on its origin", () => {
    const contents = guarded('webview', 'https://microapp.example.com/home')
    const same = navigationEvent('https://microapp.example.com/list')
    contents.emit('will-navigate', same)
    expect(same.preventDefault).not.toHaveBeenCalled()

    const app = navigationEvent('app://tack/index.html')
    contents.emit('will-navigate', app)
    expect(app.preventDefault).toHaveBeenCalled()
  })

  it('attaches a micro-app webview only with our preload and hardening', () => {
    const contents = guarded()
    const prefs = { preload: '/tmp/evil.js', nodeIntegration: true } as WebPreferences
    const event = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', event, prefs, {
      src: 'https://microapp.example.com/',
      partition: 'persist:microapp-7',
    })
    expect(event.preventDefault).not.toHaveBeenCalled()
    expect(prefs).toMatchObject({
      preload: MICROAPP_PRELOAD,
      nodeIntegration: false,
      sandbox: true,
      contextIsolation: true,
    })
  })

  it('refuses a webview outside a micro-app partition', () => {
    const contents = guarded()
    const event = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', event, {}, { src: 'https://x.example/', partition: '' })
    expect(event.preventDefault).toHaveBeenCalled()
  })

  it("tells the shell which app attached, so its package is served in that app's session", () => {
    const contents = new electron.FakeWebContents()
    const onMicroAppAttach = vi.fn()
    guardWebContents(contents as unknown as WebContents, {
      microAppPreload: MICROAPP_PRELOAD,
      onMicroAppAttach,
    })
    const own = {
      src: 'tack-app://demo-tasks/index.html',
      partition: 'persist:microapp-demo-tasks',
    }
    contents.emit('will-attach-webview', { preventDefault: vi.fn() }, {}, own)
    expect(onMicroAppAttach).toHaveBeenCalledWith('demo-tasks')

    const refused = { preventDefault: vi.fn() }
    const foreign = { src: 'tack-app://demo-tasks/', partition: 'persist:microapp-other-app' }
    contents.emit('will-attach-webview', refused, {}, foreign)
    expect(refused.preventDefault).toHaveBeenCalled()
    expect(onMicroAppAttach).toHaveBeenCalledTimes(1)
  })

  it('opens only plain http(s) links externally', () => {
    expect(openExternally('https://example.com/')).toBe(true)
    expect(openExternally('https://a@b.example/')).toBe(false)
    expect(openExternally('file:///etc/passwd')).toBe(false)
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1)
  })
})

describe('limitPermissions', () => {
  function handlers() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    }
    limitPermissions(session as unknown as Session)
    return {
      request: session.setPermissionRequestHandler.mock.calls[0]![0] as (
        ...args: unknown[]
      ) => void,
      check: session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean,
      device: session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean,
    }
  }

  it('denies by default: camera, location, notifications and devices', () => {
    const { request, check, device } = handlers()
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn()
      request({}, permission, callback, { requestingUrl: 'app://tack/index.html' })
      expect(callback, permission).toHaveBeenCalledWith(false)
    }
    expect(check({}, 'media', 'app://tack')).toBe(false)
    expect(device()).toBe(false)
  })

  it('allows the listed clipboard write to the app only', () => {
    const { request, check } = handlers()
    const callback = vi.fn()
    request({}, 'clipboard-sanitized-write', callback, { requestingUrl: 'app://tack/index.html' })
    expect(callback).toHaveBeenCalledWith(true)
    expect(check({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
  })

  it('lets an offline package reach its backend on the local network, and no one else', () => {
    const { request, check } = handlers()
    for (const permission of ['local-network-access', 'local-network', 'loopback-network']) {
      expect(check({}, permission, 'tack-app://demo-tasks'), permission).toBe(true)
      const callback = vi.fn()
      request({}, permission, callback, { requestingUrl: 'tack-app://demo-tasks/index.html' })
      expect(callback, permission).toHaveBeenCalledWith(true)
      for (const origin of ['https://evil.example', 'app://tack', 'http://127.0.0.1:7480']) {
        expect(check({}, permission, origin), `${permission} ${origin}`).toBe(false)
      }
    }
    expect(check({}, 'media', 'tack-app://demo-tasks')).toBe(false)
    expect(check({}, 'clipboard-sanitized-write', 'tack-app://demo-tasks')).toBe(false)
  })
})
