// The dd SDK on top of the micro-app preload's bridge, as under Electron: the real SDK module and
// the real preload bridge, with only ipcRenderer (and the page's window) stood in for. Proves the
// protocol between them: a nav button's callback fires on every click, other calls settle once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MICROAPP_ANSWER_CHANNEL, type MicroAppCall } from '../main/ipc-channels'
import { createMicroAppBridge, type EachAnswer } from './microapp-bridge'

/** A page's script, built for the DOM: imported by a path TypeScript does not follow from here. */
const SDK_MODULE: string = '../../sdk/dd/index'

type Answer = (answer: unknown) => void
type AnyMethod = (params?: Record<string, unknown>) => Promise<unknown>

/** A page whose preload talks to a fake container; returns the SDK's dd and the container's side. */
async function pageWithSdk() {
  const calls: MicroAppCall[] = []
  let answerListener: ((event: unknown, answer: unknown) => void) | null = null
  const bridge = createMicroAppBridge({
    sendToHost: (_channel: string, call: MicroAppCall) => void calls.push(call),
    on: (channel: string, listener: (event: unknown, answer: unknown) => void) => {
      if (channel === MICROAPP_ANSWER_CHANNEL) answerListener = listener
    },
  } as never)
  const page = {
    location: { href: 'tack-app://demo-tasks/index.html' },
    tackMicroApp: {
      invoke: (method: string, params?: unknown, onEach?: (answer: EachAnswer) => void) =>
        bridge.invoke(method, params, onEach),
    },
  } as Record<string, unknown>
  page.parent = page
  vi.stubGlobal('window', page)
  vi.resetModules()
  await import(/* @vite-ignore */ SDK_MODULE)
  const dd = page.dd as Record<string, Record<string, Record<string, AnyMethod>>>
  const answer: Answer = (value) => answerListener?.({}, value)
  return { dd, calls, answer }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('dd SDK over the Electron preload bridge', () => {
  beforeEach(() => vi.unstubAllGlobals())
  afterEach(() => vi.unstubAllGlobals())

  it("calls a nav button's onSuccess on every click, and resolves on the first", async () => {
    const { dd, calls, answer } = await pageWithSdk()
    const clicks = vi.fn()
    const set = dd.biz!.navigation!.setRight!({ text: 'Add', control: true, onSuccess: clicks })
    await flush()
    expect(calls).toEqual([
      { id: 1, method: 'biz.navigation.setRight', params: { text: 'Add', control: true } },
    ])
    for (let click = 0; click < 3; click += 1) answer({ id: 1, ok: true, result: {} })
    await expect(set).resolves.toEqual({})
    await flush()
    expect(clicks).toHaveBeenCalledTimes(3)
  })

  it('settles an ordinary call once, through onSuccess and the promise', async () => {
    const { dd, answer } = await pageWithSdk()
    const onSuccess = vi.fn()
    const toast = dd.device!.notification!.toast!({ text: 'hi', onSuccess })
    await flush()
    answer({ id: 1, ok: true, result: { shown: true } })
    answer({ id: 1, ok: true, result: { shown: 'again' } })
    await expect(toast).resolves.toEqual({ shown: true })
    await flush()
    expect(onSuccess).toHaveBeenCalledTimes(1)
    expect(onSuccess).toHaveBeenCalledWith({ shown: true })
  })

  it('a refused call reaches onFail and rejects with the JS-API error by its code', async () => {
    const { dd, answer } = await pageWithSdk()
    const onFail = vi.fn()
    const set = dd.biz!.navigation!.setLeft!({ text: 'Back', onFail })
    await flush()
    answer({ id: 1, ok: false, error: { code: '1005', message: 'not in jsApiList' } })
    const expected = {
      errorCode: 1005,
      error: 'PERMISSION_DENIED',
      errorMessage: 'not in jsApiList',
    }
    await expect(set).rejects.toEqual(expected)
    expect(onFail).toHaveBeenCalledWith(expected)
  })
})
