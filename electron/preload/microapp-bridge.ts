// The one function a micro-app page gets: invoke(method, params), resolved with the result or
// rejected with { code, message }. Calls go to the container page holding the webview (see
// MICROAPP_CALL_CHANNEL); answers come back on MICROAPP_ANSWER_CHANNEL, matched by id. No
// 'electron' import: microapp.ts hands in ipcRenderer, tests a fake.
import type { IpcRenderer } from 'electron'
import {
  MICROAPP_ANSWER_CHANNEL,
  MICROAPP_CALL_CHANNEL,
  type MicroAppAnswer,
  type MicroAppCall,
} from '../main/ipc-channels'

export type MicroAppIpcLike = Pick<IpcRenderer, 'sendToHost' | 'on'>

export interface MicroAppBridge {
  invoke(method: string, params?: unknown): Promise<unknown>
}

/** Longest method name passed on; the container checks the name against the catalogue. */
const MAX_METHOD_CHARS = 100

export function createMicroAppBridge(ipc: MicroAppIpcLike): MicroAppBridge {
  const pending = new Map<
    number,
    { resolve(value: unknown): void; reject(reason: unknown): void }
  >()
  let nextId = 1

  ipc.on(MICROAPP_ANSWER_CHANNEL, (_event, answer: unknown) => {
    if (!isAnswer(answer)) return
    const waiting = pending.get(answer.id)
    if (!waiting) return
    pending.delete(answer.id)
    if (answer.ok) waiting.resolve(answer.result)
    else waiting.reject({ code: String(answer.error.code), message: String(answer.error.message) })
  })

  return {
    invoke(method: unknown, params?: unknown): Promise<unknown> {
      if (typeof method !== 'string' || method === '' || method.length > MAX_METHOD_CHARS) {
        return Promise.reject({ code: 'BAD_METHOD', message: 'method must be a JS-API name' })
      }
      const call: MicroAppCall = { id: nextId++, method, params: params ?? {} }
      return new Promise((resolve, reject) => {
        pending.set(call.id, { resolve, reject })
        ipc.sendToHost(MICROAPP_CALL_CHANNEL, call)
      })
    },
  }
}

function isAnswer(value: unknown): value is MicroAppAnswer {
  if (typeof value !== 'object' || value === null) return false
  const answer = value as Record<string, unknown>
  if (typeof answer.id !== 'number') return false
  if (answer.ok === true) return true
  return answer.ok === false && typeof answer.error === 'object' && answer.error !== null
}
