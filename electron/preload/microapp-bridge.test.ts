import { describe, expect, it } from 'vitest'
import { MICROAPP_ANSWER_CHANNEL, MICROAPP_CALL_CHANNEL } from '../main/ipc-channels'
import {
  createMicroAppBridge,
  MAX_LISTENING_CALLS,
  type EachAnswer,
  type MicroAppIpcLike,
} from './microapp-bridge'

function fakeIpc() {
  const sent: { channel: string; call: { id: number; method: string; params: unknown } }[] = []
  let answerListener: ((event: unknown, answer: unknown) => void) | null = null
  const ipc = {
    sendToHost: (channel: string, call: never) => sent.push({ channel, call }),
    on: (channel: string, listener: (event: unknown, answer: unknown) => void) => {
      if (channel === MICROAPP_ANSWER_CHANNEL) answerListener = listener
    },
  } as unknown as MicroAppIpcLike
  return { ipc, sent, answer: (answer: unknown) => answerListener?.({}, answer) }
}

describe('micro-app bridge', () => {
  it('sends a call to the container and resolves with its answer', async () => {
    const { ipc, sent, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    const result = bridge.invoke('biz.contact.choose', { multiple: true })

    expect(sent).toEqual([
      {
        channel: MICROAPP_CALL_CHANNEL,
        call: { id: 1, method: 'biz.contact.choose', params: { multiple: true } },
      },
    ])
    answer({ id: 1, ok: true, result: { users: ['bob'] } })
    await expect(result).resolves.toEqual({ users: ['bob'] })
  })

  it('rejects with the code and message of a refused call', async () => {
    const { ipc, answer } = fakeIpc()
    const result = createMicroAppBridge(ipc).invoke('runtime.permission.requestAuthCode')
    answer({ id: 1, ok: false, error: { code: 'PERMISSION_DENIED', message: 'not allowed' } })
    await expect(result).rejects.toEqual({ code: 'PERMISSION_DENIED', message: 'not allowed' })
  })

  it('ignores answers it did not ask for, and refuses a bad method name', async () => {
    const { ipc, sent, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    answer({ id: 99, ok: true, result: 'forged' })
    answer('junk')
    await expect(bridge.invoke('')).rejects.toMatchObject({ code: 'BAD_METHOD' })
    await expect(bridge.invoke('x'.repeat(101))).rejects.toMatchObject({ code: 'BAD_METHOD' })
    expect(sent).toHaveLength(0)
  })

  it('answers a call once when the page does not listen for more: a second answer is ignored', async () => {
    const { ipc, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    const first = bridge.invoke('device.notification.toast', { text: 'hi' })
    answer({ id: 1, ok: true, result: { shown: 1 } })
    answer({ id: 1, ok: true, result: { shown: 2 } })
    await expect(first).resolves.toEqual({ shown: 1 })
    // The id is gone: a later call gets the next id, and the stray answer did not reach it.
    const second = bridge.invoke('device.notification.toast', { text: 'again' })
    answer({ id: 2, ok: true, result: { shown: 3 } })
    await expect(second).resolves.toEqual({ shown: 3 })
  })

  it("a nav button's call hears every click: each answer to its id reaches the listener", async () => {
    const { ipc, answer } = fakeIpc()
    const heard: EachAnswer[] = []
    const bridge = createMicroAppBridge(ipc)
    const set = bridge.invoke('biz.navigation.setRight', { text: 'Add', control: true }, (each) =>
      heard.push(each),
    )
    answer({ id: 1, ok: true, result: {} })
    answer({ id: 1, ok: true, result: {} })
    answer({ id: 1, ok: false, error: { code: 1011, message: 'tab closed' } })
    await expect(set).resolves.toEqual({})
    expect(heard).toEqual([
      { ok: true, result: {} },
      { ok: true, result: {} },
      { ok: false, error: { code: '1011', message: 'tab closed' } },
    ])
  })

  it('a refused listening call rejects its promise and tells the listener', async () => {
    const { ipc, answer } = fakeIpc()
    const heard: EachAnswer[] = []
    const set = createMicroAppBridge(ipc).invoke('biz.navigation.setLeft', {}, (each) =>
      heard.push(each),
    )
    answer({ id: 1, ok: false, error: { code: '1005', message: 'not in jsApiList' } })
    await expect(set).rejects.toEqual({ code: '1005', message: 'not in jsApiList' })
    expect(heard).toEqual([{ ok: false, error: { code: '1005', message: 'not in jsApiList' } }])
  })

  it("a listener that throws does not stop other calls' answers", async () => {
    const { ipc, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    const throwing = bridge.invoke('biz.navigation.setRight', {}, () => {
      throw new Error('page bug')
    })
    const other = bridge.invoke('device.notification.toast', {})
    answer({ id: 1, ok: true, result: {} })
    answer({ id: 2, ok: true, result: 'fine' })
    await expect(throwing).resolves.toEqual({})
    await expect(other).resolves.toBe('fine')
  })

  it(`keeps at most ${MAX_LISTENING_CALLS} listening calls; the oldest stops hearing`, async () => {
    const { ipc, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    const counts = new Map<number, number>()
    for (let id = 1; id <= MAX_LISTENING_CALLS + 1; id += 1) {
      void bridge.invoke('biz.navigation.setRight', {}, () =>
        counts.set(id, (counts.get(id) ?? 0) + 1),
      )
    }
    answer({ id: 1, ok: true, result: {} })
    answer({ id: 2, ok: true, result: {} })
    answer({ id: MAX_LISTENING_CALLS + 1, ok: true, result: {} })
    expect(counts.get(1)).toBeUndefined()
    expect(counts.get(2)).toBe(1)
    expect(counts.get(MAX_LISTENING_CALLS + 1)).toBe(1)
  })

  it('ignores a listener that is not a function', async () => {
    const { ipc, answer } = fakeIpc()
    const bridge = createMicroAppBridge(ipc)
    const call = bridge.invoke('biz.navigation.setRight', {}, 'not a function' as never)
    answer({ id: 1, ok: true, result: {} })
    answer({ id: 1, ok: true, result: 'late' })
    await expect(call).resolves.toEqual({})
  })
})
