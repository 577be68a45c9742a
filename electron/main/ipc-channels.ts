// The IPC channels between the main process and the app window's preload, derived from the
// HostApi contract: one channel per request method, one for events. No 'electron' import: the
// preload bundles this file too.
import type { HostEventName, HostEvents, HostMethod } from '../../shared/host-api'
import type { ErrorPayload } from '../../shared/host-transport'

export const HOST_EVENT_CHANNEL = 'tack:event'

/**
 * A micro-app webview's JS-API calls go to the page that holds the webview, never to the main
 * process: the preload sends `{ id, method, params }` with ipcRenderer.sendToHost on the call
 * channel (the container hears an 'ipc-message' event on the <webview>, whose URL gives the real
 * origin), and the container answers with webview.send on the answer channel.
 */
export const MICROAPP_CALL_CHANNEL = 'tack:microapp-call'
export const MICROAPP_ANSWER_CHANNEL = 'tack:microapp-answer'

export interface MicroAppCall {
  id: number
  method: string
  params: unknown
}

export type MicroAppAnswer =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }

export function hostRequestChannel<M extends HostMethod>(method: M): `tack:${M}` {
  return `tack:${method}`
}

/** What a request channel answers; errors travel as data, since IPC keeps only their message. */
export type IpcResult = { ok: true; result: unknown } | { ok: false; error: ErrorPayload }

/** What the event channel carries. */
export interface IpcEvent<E extends HostEventName = HostEventName> {
  name: E
  payload: HostEvents[E]
}
