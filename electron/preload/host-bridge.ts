// The HostApi as the app window sees it under Electron: built from the contract's method names,
// each a call on its own IPC channel, plus the event channel. No 'electron' import: index.ts hands
// in ipcRenderer, tests hand in a fake.
import type { IpcRenderer } from 'electron'
import {
  HOST_EVENT_NAMES,
  hostRequestSchemas,
  type HostApi,
  type HostEventListener,
  type HostMethod,
} from '../../shared/host-api'
import type { ErrorParams } from '../../shared/errors'
import { fromErrorPayload } from '../../shared/host-transport'
import { HOST_EVENT_CHANNEL, hostRequestChannel, type IpcEvent } from '../main/ipc-channels'

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>

/**
 * What a failed request rejects with. contextBridge copies an Error's message only, dropping its
 * class and `code`, so the renderer gets a plain object it can rebuild a HostError from.
 */
export interface BridgedHostError {
  name: 'HostError'
  code: string
  message: string
  params?: ErrorParams
}

export function createHostBridge(ipc: IpcRendererLike): HostApi {
  const methods = Object.keys(hostRequestSchemas) as HostMethod[]
  const requests = Object.fromEntries(
    methods.map((method) => [method, (params: unknown) => request(ipc, method, params)]),
  ) as { [M in HostMethod]: HostApi[M] }

  return {
    ...requests,
    onEvent(listener: HostEventListener): () => void {
      const relay = (_event: unknown, envelope: unknown): void => {
        if (isIpcEvent(envelope)) listener(envelope.name, envelope.payload)
      }
      ipc.on(HOST_EVENT_CHANNEL, relay)
      return () => {
        ipc.removeListener(HOST_EVENT_CHANNEL, relay)
      }
    },
  }
}

async function request(
  ipc: IpcRendererLike,
  method: HostMethod,
  params: unknown,
): Promise<unknown> {
  const answer: unknown = await ipc.invoke(hostRequestChannel(method), params)
  if (isObject(answer) && answer.ok === true) return answer.result
  const error = isObject(answer) && isObject(answer.error) ? answer.error : {}
  const rebuilt = fromErrorPayload({
    code: typeof error.code === 'string' ? error.code : 'INTERNAL',
    message: typeof error.message === 'string' ? error.message : `${method} failed`,
    params: error.params,
  })
  const bridged: BridgedHostError = {
    name: 'HostError',
    code: rebuilt.code,
    message: rebuilt.message,
    ...(rebuilt.params ? { params: rebuilt.params } : {}),
  }
  throw bridged
}

function isIpcEvent(value: unknown): value is IpcEvent {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    (HOST_EVENT_NAMES as readonly string[]).includes(value.name)
  )
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
