import { describe, expect, it, vi } from 'vitest'
import type { HostApi, MessageView } from '../../../shared/host-api'
import { createTackStore } from './store'

const recalled: MessageView = {
  conversationId: 'c-1',
  clientMessageId: 'cm-1',
  id: 'm-1',
  seq: 1,
  senderId: 'u-me',
  text: '',
  sentAt: 1,
  state: 'sent',
  recalled: true,
}

describe('recallMessage', () => {
  it('asks the host to recall, then shows the conversation as the core now has it', async () => {
    const host = {
      recallMessage: vi.fn(async () => undefined),
      loadMessages: vi.fn(async () => [recalled]),
    }
    // Only the two requests recalling uses are needed.
    const store = createTackStore(host as unknown as HostApi)
    await store.getState().recallMessage('c-1', 'm-1')
    expect(host.recallMessage).toHaveBeenCalledWith({ conversationId: 'c-1', messageId: 'm-1' })
    expect(store.getState().messagesByConversation['c-1']).toEqual([recalled])
  })

  it('reports a host without recallMessage as an unknown method', async () => {
    const store = createTackStore({} as HostApi)
    await expect(store.getState().recallMessage('c-1', 'm-1')).rejects.toMatchObject({
      code: 'UNKNOWN_METHOD',
    })
  })
})
