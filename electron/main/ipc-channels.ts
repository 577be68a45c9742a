// The IPC channels between the main process and the app window's preload, derived from the
// HostApi contract: one channel per request method, one for events. No 'electron' import: the
// preload bundles this file too.
import type { HostEventName, HostEvents, HostMethod } from '../../shared/host-api'
import type { ErrorPayload } from '../../shared/host-transport'

export const HOST_EVENT_CHANNEL = 'tack:event'

/**
 * The one channel a micro-app webview calls the JS-API on, `{ method, params }`. Its handler
 * (the micro-app container) must check the sender is a webview in a micro-app partition.
 */
export const MICROAPP_INVOKE_CHANNEL = 'tack:microapp-invoke'

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
