// Electron's side of the bridge: each micro-app runs in a <webview> on its own session partition
// (persist:microapp-<agentId>, which the main process insists on) with Tack's preload, whose one
// `invoke` sends calls here as ipc-message events. The origin checked is the webview's real URL,
// never what the page says; the core then checks the call as in browser mode.
import { z } from 'zod'
import { WEBVIEW_ANSWER_CHANNEL, WEBVIEW_CALL_CHANNEL } from '../../../shared/jsapi/bridge'
import type { MicroAppView } from '../../../shared/jsapi/host-types'
import type { TackStore } from '../store/store'
import { handleCall } from './bridge'

/** The parts of Electron's <webview> element the container uses. */
export interface WebviewElement extends HTMLElement {
  src: string
  partition: string
  getURL(): string
  send(channel: string, payload: unknown): void
  reload(): void
  openDevTools(): void
}

const callSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown(),
})

export function isElectronHost(): boolean {
  return 'tackHost' in window
}

export function microAppPartition(agentId: string): string {
  return `persist:microapp-${agentId}`
}

/**
 * The origin of the webview's page: an https page's, or tack-app://<agentId> for an offline
 * package (a standard scheme to Chromium; spelled out in case the URL parser calls it "null").
 */
export function originOf(url: string): string {
  const parsed = new URL(url)
  if (parsed.origin !== 'null' || !parsed.host) return parsed.origin
  return `${parsed.protocol}//${parsed.host}`
}

/**
 * A webview for the app, listening for its calls; `fire` answers a nav button's call again on
 * each click (the preload keeps listening on that id); `close` stops listening.
 */
export function createWebview(store: TackStore, app: MicroAppView, tabId: string, src: string) {
  const webview = document.createElement('webview') as WebviewElement
  webview.className = 'micro-app-frame'
  webview.setAttribute('partition', microAppPartition(app.agentId))
  webview.setAttribute('src', src)
  webview.dataset.testid = 'microapp-frame'
  webview.dataset.agentId = app.agentId

  const onMessage = (event: Event) => {
    const { channel, args } = event as Event & { channel: string; args: unknown[] }
    const parsed = callSchema.safeParse(args[0])
    if (channel !== WEBVIEW_CALL_CHANNEL || !parsed.success) return
    const url = webview.getURL()
    void handleCall(store, tabId, originOf(url), { ...parsed.data, url }).then((answer) => {
      if (!answer) return
      webview.send(
        WEBVIEW_ANSWER_CHANNEL,
        answer.ok
          ? { id: parsed.data.id, ok: true, result: answer.result }
          : {
              id: parsed.data.id,
              ok: false,
              error: { code: String(answer.error.errorCode), message: answer.error.errorMessage },
            },
      )
    })
  }
  const onLoad = () => {
    store.getState().pageLoaded(tabId)
  }
  webview.addEventListener('ipc-message', onMessage)
  webview.addEventListener('did-finish-load', onLoad)

  return {
    webview,
    fire: (callId: number, result: unknown) =>
      webview.send(WEBVIEW_ANSWER_CHANNEL, { id: callId, ok: true, result }),
    close: () => {
      webview.removeEventListener('ipc-message', onMessage)
      webview.removeEventListener('did-finish-load', onLoad)
    },
  }
}
