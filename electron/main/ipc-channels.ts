// The IPC channels between the main process and the app window's preload, derived from the
// HostApi contract: one channel per request method, one for events. No 'electron' import: the
// preload bundles this file too.
import type { HostEventName, HostEvents, HostMethod } from '../../shared/host-api'
import type { ErrorPayload } from '../../shared/host-transport'

export const HOST_EVENT_CHANNEL = 'tack:event'

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
