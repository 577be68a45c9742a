// The dd SDK: the one script a micro-app includes. It builds DingTalk's `dd.*` namespaces from the
// method list, carries calls to the host (the webview preload's `invoke` under Electron, the
// parent window by postMessage in browser mode), queues them until the bridge is ready, and
// settles each with `onSuccess` / `onFail` and a promise.
import { BRIDGE_TAG, REPEATING_METHODS, type BridgeCall } from '../../shared/jsapi/bridge'
import { JSAPI_ERRORS, type JsApiErrorName } from '../../shared/jsapi/errors'
import { JSAPI_METHODS } from '../../shared/jsapi/methods'
import type { ConfigParams, Dd, JsApiError } from './types'

type Outcome = { ok: true; result: unknown } | { ok: false; error: JsApiError }

interface Pending {
  method: string
  resolve(outcome: Outcome): void
}

/**
 * Under Electron: resolves with the result, rejects with `{ code, message }`. A call given
 * `onEachAnswer` hears every answer to it (a nav button's clicks), the first one included.
 */
interface ElectronBridge {
  invoke(
    method: string,
    params: unknown,
    onEachAnswer?: (answer: ElectronAnswer) => void,
  ): Promise<unknown>
}

type ElectronAnswer = { ok: true; result: unknown } | { ok: false; error: unknown }

declare global {
  interface Window {
    dd?: Dd
    /** Set by Tack's webview preload under Electron. */
    tackMicroApp?: ElectronBridge
  }
}

const pending = new Map<number, Pending>()
const queue: BridgeCall[] = []
let nextId = 1
let hostOrigin: string | null = null
let configured: Promise<boolean> | null = null
const readyCallbacks: (() => void)[] = []
const errorCallbacks: ((error: JsApiError) => void)[] = []
let bridgeUp = false

function transport(): 'electron' | 'iframe' | 'none' {
  if (window.tackMicroApp) return 'electron'
  return window.parent !== window ? 'iframe' : 'none'
}

/** Sends one call and resolves with its outcome; repeating methods settle on their first event. */
function send(method: string, params: unknown, listener?: (outcome: Outcome) => void) {
  return new Promise<Outcome>((resolve) => {
    let settled = false
    const deliver = (outcome: Outcome) => {
      listener?.(outcome)
      if (!settled) resolve(outcome)
      settled = true
    }
    if (window.tackMicroApp) {
      sendToPreload(window.tackMicroApp, method, params, deliver)
      return
    }
    const id = nextId++
    pending.set(id, { method, resolve: deliver })
    const call: BridgeCall = {
      tag: BRIDGE_TAG,
      kind: 'call',
      id,
      method,
      params,
      url: window.location.href,
    }
    if (hostOrigin) window.parent.postMessage(call, hostOrigin)
    else queue.push(call)
  })
}

/**
 * Under Electron: a repeating method hears every answer through the preload's onEachAnswer, as
 * browser mode keeps its pending entry; any other settles once from the returned promise.
 */
function sendToPreload(
  bridge: ElectronBridge,
  method: string,
  params: unknown,
  deliver: (outcome: Outcome) => void,
): void {
  const repeating = REPEATING_METHODS.includes(method)
  const onEachAnswer = repeating
    ? (answer: ElectronAnswer) =>
        deliver(
          answer.ok
            ? { ok: true, result: answer.result }
            : { ok: false, error: fromElectronError(answer.error) },
        )
    : undefined
  bridge.invoke(method, params, onEachAnswer).then(
    (result) => {
      if (!repeating) deliver({ ok: true, result })
    },
    (error: unknown) => {
      if (!repeating) deliver({ ok: false, error: fromElectronError(error) })
    },
  )
}

/** The webview preload's `{ code, message }` as the JS-API error, its name found by code. */
function fromElectronError(error: unknown): JsApiError {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  const errorCode = Number(code)
  const name = (Object.keys(JSAPI_ERRORS) as JsApiErrorName[]).find(
    (key) => JSAPI_ERRORS[key].errorCode === errorCode,
  )
  return name
    ? { errorCode, error: name, errorMessage: String(message) }
    : { errorCode: 1011, error: 'HOST_ERROR', errorMessage: String(message ?? error) }
}

/** Browser mode: the host says hello (from the parent, whose origin we learn), then answers. */
function listenToHost(): void {
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window.parent || !isBridgeMessage(event.data)) return
    const message = event.data as { kind: string; id?: number; ok?: boolean }
    if (message.kind === 'hello') {
      if (hostOrigin) return
      hostOrigin = event.origin
      for (const call of queue.splice(0)) window.parent.postMessage(call, hostOrigin)
      bridgeReady()
      return
    }
    if (event.origin !== hostOrigin || message.kind !== 'result') return
    const entry = pending.get(message.id ?? -1)
    if (!entry) return
    if (!REPEATING_METHODS.includes(entry.method)) pending.delete(message.id!)
    entry.resolve(event.data as Outcome)
  })
}

function isBridgeMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { tag?: unknown }).tag === BRIDGE_TAG
}

function bridgeReady(): void {
  bridgeUp = true
  void (configured ?? Promise.resolve(true)).then((ok) => {
    if (ok) for (const callback of readyCallbacks.splice(0)) callback()
  })
}

type WithCallbacks = Record<string, unknown> & {
  onSuccess?: (result: unknown) => void
  onFail?: (error: JsApiError) => void
}

/** One dd method: waits for dd.config when there is one, then calls, then settles both ways. */
function method(name: string) {
  return async (input: WithCallbacks = {}) => {
    const { onSuccess, onFail, ...params } = input
    if (configured && name !== 'config') await configured
    const settle = (outcome: Outcome) => {
      if (outcome.ok) onSuccess?.(outcome.result)
      else onFail?.(outcome.error)
    }
    const outcome = await send(name, params, settle)
    if (!outcome.ok) throw outcome.error
    return outcome.result
  }
}

function buildDd(): Dd {
  const dd: Record<string, unknown> = {}
  for (const name of JSAPI_METHODS) {
    if (name === 'config') continue
    const parts = name.split('.')
    let node = dd
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
    const call = method(name)
    // A rejected promise nobody awaits is not an error when onFail handled it.
    node[parts.at(-1)!] = (input?: WithCallbacks) => {
      const promise = call(input)
      if (input?.onFail) promise.catch(() => undefined)
      return promise
    }
  }
  dd.config = (params: ConfigParams) => {
    configured = send('config', params).then((outcome) => {
      if (outcome.ok) return true
      for (const callback of errorCallbacks.splice(0)) callback(outcome.error)
      return false
    })
    if (bridgeUp) bridgeReady()
  }
  dd.ready = (callback: () => void) => {
    readyCallbacks.push(callback)
    if (bridgeUp) bridgeReady()
  }
  dd.error = (callback: (error: JsApiError) => void) => errorCallbacks.push(callback)
  dd.env = { platform: 'tack', transport: transport() }
  return dd as unknown as Dd
}

window.dd = buildDd()
if (window.tackMicroApp) bridgeReady()
else listenToHost()
