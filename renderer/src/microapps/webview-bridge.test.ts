// The Electron side of the container with a stand-in <webview> element (no DOM in these tests):
// calls from the preload arrive as ipc-message events, are checked in the core with the webview's
// real origin, and are answered on the answer channel; a nav button's clicks answer its call again.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HostApi } from '../../../shared/host-api'
import { WEBVIEW_ANSWER_CHANNEL, WEBVIEW_CALL_CHANNEL } from '../../../shared/jsapi/bridge'
import type { MicroAppView } from '../../../shared/jsapi/host-types'
import { createTackStore } from '../store/store'
import { createWebview, originOf } from './webview-bridge'

const packaged: MicroAppView = {
  agentId: 'demo-tasks',
  name: '任务',
  icon: '✅',
  description: '',
  homeUrl: 'tack-app://demo-tasks/index.html',
  allowedOrigins: ['tack-app://demo-tasks'],
  jsApiList: ['*'],
  developer: false,
}

/** What the container uses of Electron's <webview>, as an EventTarget. */
class StandInWebview extends EventTarget {
  readonly attributes = new Map<string, string>()
  readonly dataset: Record<string, string> = {}
  readonly send = vi.fn()
  className = ''
  url = 'tack-app://demo-tasks/index.html'
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value)
  }
  getURL() {
    return this.url
  }
}

function ipcMessage(args: unknown[]): Event {
  return Object.assign(new Event('ipc-message'), { channel: WEBVIEW_CALL_CHANNEL, args })
}

async function container() {
  const webview = new StandInWebview()
  vi.stubGlobal('document', { createElement: () => webview })
  const host = {
    listMicroApps: vi.fn(async () => [packaged]),
    invokeJsApi: vi.fn(async ({ method, params }: { method: string; params: unknown }) =>
      method === 'runtime.permission.requestAuthCode'
        ? { kind: 'result' as const, result: { code: 'c0de' } }
        : { kind: 'ui' as const, params },
    ),
    onEvent: () => () => undefined,
  } as unknown as HostApi
  const store = createTackStore(host)
  await store.getState().refreshMicroApps()
  store.getState().openMicroApp('demo-tasks')
  const tabId = store.getState().activeTabId!
  const { fire, close } = createWebview(store, packaged, tabId, packaged.homeUrl)
  return { webview, host, store, tabId, fire, close }
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the container under Electron', () => {
  it("puts the app in its own partition and checks calls with the webview's real origin", async () => {
    const { webview, host } = await container()
    expect(webview.attributes.get('partition')).toBe('persist:microapp-demo-tasks')

    webview.dispatchEvent(
      ipcMessage([{ id: 4, method: 'runtime.permission.requestAuthCode', params: {} }]),
    )
    await vi.waitFor(() => expect(webview.send).toHaveBeenCalled())
    expect(host.invokeJsApi).toHaveBeenCalledWith(
      expect.objectContaining({
        origin: 'tack-app://demo-tasks',
        url: 'tack-app://demo-tasks/index.html',
      }),
    )
    expect(webview.send).toHaveBeenCalledWith(WEBVIEW_ANSWER_CHANNEL, {
      id: 4,
      ok: true,
      result: { code: 'c0de' },
    })
  })

  it('answers a nav button call on each click, not when it is set', async () => {
    const { webview, store, tabId, fire } = await container()
    webview.dispatchEvent(
      ipcMessage([
        { id: 9, method: 'biz.navigation.setRight', params: { text: 'Refresh', control: true } },
      ]),
    )
    await vi.waitFor(() =>
      expect(store.getState().tabs[0]!.right).toEqual({ text: 'Refresh', callId: 9 }),
    )
    expect(webview.send).not.toHaveBeenCalled()

    const button = store.getState().tabs.find((tab) => tab.tabId === tabId)!.right!
    fire(button.callId, {})
    fire(button.callId, {})
    expect(webview.send.mock.calls).toEqual([
      [WEBVIEW_ANSWER_CHANNEL, { id: 9, ok: true, result: {} }],
      [WEBVIEW_ANSWER_CHANNEL, { id: 9, ok: true, result: {} }],
    ])
  })

  it('ignores other channels and malformed calls, and stops listening when closed', async () => {
    const { webview, host, close } = await container()
    webview.dispatchEvent(
      Object.assign(new Event('ipc-message'), {
        channel: 'tack:other',
        args: [{ id: 1, method: 'device.notification.toast', params: {} }],
      }),
    )
    webview.dispatchEvent(ipcMessage([{ id: -1, method: 'device.notification.toast' }]))
    webview.dispatchEvent(ipcMessage(['junk']))
    close()
    webview.dispatchEvent(
      ipcMessage([{ id: 2, method: 'runtime.permission.requestAuthCode', params: {} }]),
    )
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(host.invokeJsApi).not.toHaveBeenCalled()
  })
})

describe('originOf', () => {
  it('gives web pages their origin and offline packages tack-app://<agentId>', () => {
    expect(originOf('https://app.example.com:8443/a?b#c')).toBe('https://app.example.com:8443')
    expect(originOf('http://127.0.0.1:7480/')).toBe('http://127.0.0.1:7480')
    expect(originOf('tack-app://demo-tasks/index.html')).toBe('tack-app://demo-tasks')
    expect(originOf('data:text/html,x')).toBe('null')
  })
})
