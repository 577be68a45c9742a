// The messages between the dd SDK in a micro-app's page and its container. In browser mode they
// travel by postMessage between the sandboxed iframe and the renderer, each side checking the
// other's exact origin; under Electron the webview preload's `invoke` carries calls instead.
import type { JsApiErrorPayload } from './errors'

/** Marks Tack's bridge messages among whatever else a page posts. */
export const BRIDGE_TAG = 'tack-jsapi/1'

/** Page → host: one call. `url` is the page's own URL, signed by dd.config. */
export interface BridgeCall {
  tag: typeof BRIDGE_TAG
  kind: 'call'
  id: number
  method: string
  params: unknown
  url: string
}

/** Host → page. */
export type BridgeToApp =
  /** The container is listening; the SDK sends its queued calls. */
  | { tag: typeof BRIDGE_TAG; kind: 'hello' }
  | { tag: typeof BRIDGE_TAG; kind: 'result'; id: number; ok: true; result: unknown }
  | { tag: typeof BRIDGE_TAG; kind: 'result'; id: number; ok: false; error: JsApiErrorPayload }

/**
 * Methods whose callback fires again on each later event (a click on the nav button the call
 * set), so the SDK keeps their callbacks after the first result.
 */
export const REPEATING_METHODS: readonly string[] = [
  'biz.navigation.setRight',
  'biz.navigation.setLeft',
]

/**
 * Under Electron, the webview preload sends each call to the container page on this channel as
 * `{ id, method, params }` and hears answers `{ id, ok, result | error: { code, message } }` on
 * the other (the same names as electron/main/ipc-channels.ts, which the renderer cannot import).
 */
export const WEBVIEW_CALL_CHANNEL = 'tack:microapp-call'
export const WEBVIEW_ANSWER_CHANNEL = 'tack:microapp-answer'
