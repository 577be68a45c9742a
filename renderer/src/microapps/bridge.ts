// Browser mode's side of the bridge: one listener per micro-app frame. A message counts only if it
// comes from that frame's window and from an origin the app allows, exactly; the answer goes back
// to that same origin. The core checks the call again (origin, dd.config, permission, schema).
import { z } from 'zod'
import { BRIDGE_TAG, type BridgeToApp } from '../../../shared/jsapi/bridge'
import { jsApiError, type JsApiErrorPayload } from '../../../shared/jsapi/errors'
import type { MicroAppView } from '../../../shared/jsapi/host-types'
import { createLogger } from '../../../shared/logger'
import type { TackStore } from '../store/store'
import { ANSWER_ON_CLICK, UiRefusal, runUiMethod } from './run-ui-method'

const log = createLogger('bridge')

const callSchema = z.object({
  tag: z.literal(BRIDGE_TAG),
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown(),
  url: z.string().max(4096),
})

export interface FrameBridge {
  /** Tells the page the host is listening (after each load). */
  hello(): void
  /** Answers a repeating call again, e.g. on a click of the nav button it set. */
  fire(callId: number, result: unknown): void
  close(): void
}

export function connectFrame(
  store: TackStore,
  frame: HTMLIFrameElement,
  app: MicroAppView,
  tabId: string,
): FrameBridge {
  const post = (message: BridgeToApp, origin: string) =>
    frame.contentWindow?.postMessage(message, origin)
  const origins = new Set(app.allowedOrigins)
  let lastOrigin = app.allowedOrigins[0] ?? ''

  const onMessage = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow) return
    const parsed = callSchema.safeParse(event.data)
    if (!parsed.success) return
    if (!origins.has(event.origin)) {
      log.warn(
        { agentId: app.agentId, origin: event.origin },
        'bridge message from a foreign origin',
      )
      return
    }
    lastOrigin = event.origin
    void handleCall(store, tabId, event.origin, parsed.data).then((answer) => {
      if (answer)
        post({ tag: BRIDGE_TAG, kind: 'result', id: parsed.data.id, ...answer }, event.origin)
    })
  }
  window.addEventListener('message', onMessage)

  return {
    hello: () => {
      for (const origin of origins) post({ tag: BRIDGE_TAG, kind: 'hello' }, origin)
    },
    fire: (callId, result) =>
      post({ tag: BRIDGE_TAG, kind: 'result', id: callId, ok: true, result }, lastOrigin),
    close: () => window.removeEventListener('message', onMessage),
  }
}

export type Answer = { ok: true; result: unknown } | { ok: false; error: JsApiErrorPayload }

/**
 * Checks the call in the core, runs UI methods here, logs it for the panel; never throws. Null
 * when the answer comes later (a nav button's clicks).
 */
export async function handleCall(
  store: TackStore,
  tabId: string,
  origin: string,
  call: Pick<z.infer<typeof callSchema>, 'id' | 'method' | 'params' | 'url'>,
): Promise<Answer | null> {
  const state = store.getState()
  const { seq, outcome } = await state.invokeJsApi({ tabId, origin, ...call })
  let answer: Answer
  if (outcome.kind === 'result') answer = { ok: true, result: outcome.result }
  else if (outcome.kind === 'error') answer = { ok: false, error: outcome.error }
  else answer = await runUi(store, tabId, call.method, outcome.params, call.id)
  if (answer.ok && answer.result === ANSWER_ON_CLICK) {
    state.finishCall(seq, { ok: true, result: 'answers on each click' })
    return null
  }
  state.finishCall(seq, answer)
  return answer
}

async function runUi(
  store: TackStore,
  tabId: string,
  method: string,
  params: unknown,
  callId: number,
): Promise<Answer> {
  try {
    const result = await runUiMethod(store, {
      tabId,
      method,
      params: (params ?? {}) as Record<string, unknown>,
      callId,
    })
    return { ok: true, result: result ?? {} }
  } catch (error) {
    if (error instanceof UiRefusal) return { ok: false, error: error.payload }
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, error: jsApiError('HOST_ERROR', message) }
  }
}
