// The one function a micro-app page gets: invoke(method, params, onEachAnswer?), resolved with the
// result or rejected with { code, message }. Calls go to the container page holding the webview
// (see MICROAPP_CALL_CHANNEL); answers come back on MICROAPP_ANSWER_CHANNEL, matched by id.
// Most calls are answered once. A call that sets a nav button is answered again on each click:
// the page passes onEachAnswer for those, and every answer to that id reaches it (the first one
// settles the promise too), as the browser-mode bridge does. No 'electron' import: microapp.ts
// hands in ipcRenderer, tests a fake.
import type { IpcRenderer } from 'electron'
import {
  MICROAPP_ANSWER_CHANNEL,
  MICROAPP_CALL_CHANNEL,
  type MicroAppAnswer,
  type MicroAppCall,
} from '../main/ipc-channels'

export type MicroAppIpcLike = Pick<IpcRenderer, 'sendToHost' | 'on'>

/** What onEachAnswer hears: the answer as it came, without its id. */
export type EachAnswer =
  { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

export interface MicroAppBridge {
  invoke(
    method: string,
    params?: unknown,
    onEachAnswer?: (answer: EachAnswer) => void,
  ): Promise<unknown>
}

/** Longest method name passed on; the container checks the name against the catalogue. */
const MAX_METHOD_CHARS = 100
/** Calls kept listening for later answers (nav buttons); past this the oldest stops hearing. */
export const MAX_LISTENING_CALLS = 32

interface Waiting {
  resolve(value: unknown): void
  reject(reason: unknown): void
  onEachAnswer: ((answer: EachAnswer) => void) | null
  settled: boolean
}

export function createMicroAppBridge(ipc: MicroAppIpcLike): MicroAppBridge {
  const pending = new Map<number, Waiting>()
  const listening: number[] = []
  let nextId = 1

  ipc.on(MICROAPP_ANSWER_CHANNEL, (_event, answer: unknown) => {
    if (!isAnswer(answer)) return
    const waiting = pending.get(answer.id)
    if (!waiting) return
    const each: EachAnswer = answer.ok
      ? { ok: true, result: answer.result }
      : {
          ok: false,
          error: { code: String(answer.error.code), message: String(answer.error.message) },
        }
    if (!waiting.onEachAnswer) pending.delete(answer.id)
    else deliver(waiting.onEachAnswer, each)
    if (waiting.settled) return
    waiting.settled = true
    if (each.ok) waiting.resolve(each.result)
    else waiting.reject(each.error)
  })

  /** Keeps a listening call, dropping the oldest past the limit. */
  const listen = (id: number) => {
    listening.push(id)
    while (listening.length > MAX_LISTENING_CALLS) pending.delete(listening.shift()!)
  }

  return {
    invoke(method: unknown, params?: unknown, onEachAnswer?: unknown): Promise<unknown> {
      if (typeof method !== 'string' || method === '' || method.length > MAX_METHOD_CHARS) {
        return Promise.reject({ code: 'BAD_METHOD', message: 'method must be a JS-API name' })
      }
      const call: MicroAppCall = { id: nextId++, method, params: params ?? {} }
      const listener =
        typeof onEachAnswer === 'function' ? (onEachAnswer as (answer: EachAnswer) => void) : null
      return new Promise((resolve, reject) => {
        pending.set(call.id, { resolve, reject, onEachAnswer: listener, settled: false })
        if (listener) listen(call.id)
        ipc.sendToHost(MICROAPP_CALL_CHANNEL, call)
      })
    },
  }
}

/** The page's listener runs the page's code: what it throws is the page's, not the bridge's. */
function deliver(listener: (answer: EachAnswer) => void, answer: EachAnswer): void {
  try {
    listener(answer)
  } catch {
    // Swallowed on purpose: one failing callback must not stop the answers to other calls.
  }
}

function isAnswer(value: unknown): value is MicroAppAnswer {
  if (typeof value !== 'object' || value === null) return false
  const answer = value as Record<string, unknown>
  if (typeof answer.id !== 'number') return false
  if (answer.ok === true) return true
  return answer.ok === false && typeof answer.error === 'object' && answer.error !== null
}
