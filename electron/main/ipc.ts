// Binds the HostApi contract to Electron IPC: one ipcMain.handle per request method, named from
// the contract, and the core's events sent to the app window. Every call is checked first: it
// must come from the app window's own top frame showing an app:// page.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron'
import { HostError } from '../../shared/errors'
import {
  hostRequestSchemas,
  type HostEventListener,
  type HostHandlers,
  type HostMethod,
} from '../../shared/host-api'
import { dispatchHostRequest, toErrorPayload } from '../../shared/host-transport'
import { createLogger } from '../../shared/logger'
import { isAppUrl } from './app-url'
import {
  HOST_EVENT_CHANNEL,
  hostRequestChannel,
  type IpcEvent,
  type IpcResult,
} from './ipc-channels'

const log = createLogger('ipc')

/** What the binding needs of the ClientCore. */
export type HostCore = HostHandlers & { onEvent(listener: HostEventListener): () => void }

export interface HostIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  core: HostCore
  /** The one window allowed to call, or null while none is open. */
  getWindow: () => BrowserWindow | null
  /** Events the shell raises itself (openConversation), sent like the core's. */
  shellEvents?: HostEventSource
}

export interface HostEventSource {
  onEvent(listener: HostEventListener): () => void
}

/** Registers the handlers and starts forwarding events; the returned function undoes both. */
export function bindHostApi({ ipcMain, core, getWindow, shellEvents }: HostIpcOptions): () => void {
  const methods = Object.keys(hostRequestSchemas) as HostMethod[]
  for (const method of methods) {
    ipcMain.handle(hostRequestChannel(method), (event, params: unknown) =>
      handleRequest(core, getWindow(), method, event, params),
    )
  }

  const forward: HostEventListener = (name, payload) => {
    const window = getWindow()
    if (!window || window.isDestroyed()) return
    const envelope: IpcEvent = { name, payload }
    window.webContents.send(HOST_EVENT_CHANNEL, envelope)
  }
  const stopCoreEvents = core.onEvent(forward)
  const stopShellEvents = shellEvents?.onEvent(forward)

  log.debug({ methods: methods.length }, 'host api bound to ipc')
  return () => {
    stopCoreEvents()
    stopShellEvents?.()
    for (const method of methods) ipcMain.removeHandler(hostRequestChannel(method))
  }
}

/** True when the call comes from the app window's top frame, showing an app:// page. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  window: BrowserWindow | null,
): boolean {
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

async function handleRequest(
  core: HostCore,
  window: BrowserWindow | null,
  method: HostMethod,
  event: IpcMainInvokeEvent,
  params: unknown,
): Promise<IpcResult> {
  if (!isTrustedSender(event, window)) {
    log.warn({ method, url: event.senderFrame?.url ?? null }, 'ipc call refused: untrusted sender')
    return { ok: false, error: toErrorPayload(new HostError('INTERNAL', 'sender refused')) }
  }

  const started = performance.now()
  try {
    const result = await dispatchHostRequest(core, method, params)
    log.debug({ method, ms: Math.round(performance.now() - started) }, 'host request done')
    return { ok: true, result }
  } catch (error) {
    if (error instanceof HostError) {
      log.debug({ method, code: error.code }, 'host request failed')
    } else {
      log.error({ method, err: error }, 'host request failed unexpectedly')
    }
    return { ok: false, error: toErrorPayload(error) }
  }
}
