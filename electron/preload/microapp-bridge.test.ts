import { describe, expect, it } from 'vitest'
import { MICROAPP_ANSWER_CHANNEL, MICROAPP_CALL_CHANNEL } from '../main/ipc-channels'
import { createMicroAppBridge, type MicroAppIpcLike } from './microapp-bridge'

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
})
