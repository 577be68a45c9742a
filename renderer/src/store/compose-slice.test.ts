import { describe, expect, it } from 'vitest'
import type { HostApi, MessageView } from '../../../shared/host-api'
import { composeExtras, mentionIdsIn } from './compose-slice'
import { createTackStore } from './store'

const original: MessageView = {
  conversationId: 'g1',
  clientMessageId: 'c1',
  id: 'm1',
  seq: 4,
  senderId: 'u-bob',
  text: 'status?',
  sentAt: 1,
  state: 'sent',
}

describe('compose extras', () => {
  it('keeps only the picked people whose @Name is still in the text, each once', () => {
    const picked = [
      { userId: 'u-bob', name: '李博' },
      { userId: 'u-carol', name: '陈卡罗' },
      { userId: 'u-bob', name: '李博' },
    ]
    expect(mentionIdsIn('@李博 @李博 please', picked)).toEqual(['u-bob'])
    expect(mentionIdsIn('nobody now', picked)).toEqual([])
  })

  it('sends the reply target and the mentions with the draft, then forgets them', async () => {
    const sent: unknown[] = []
    const host = {
      sendMessage: async (params: unknown) => {
        sent.push(params)
        return { ...original, clientMessageId: 'c2', id: null, seq: null, state: 'sending' }
      },
    } as unknown as HostApi
    const store = createTackStore(host)
    store.getState().startReply(original)
    store.getState().pickMention('g1', { userId: 'u-carol', name: '陈卡罗' })

    const text = '@陈卡罗 see above'
    await store.getState().sendMessage('g1', text, composeExtras(store.getState(), 'g1', text))
    store.getState().clearCompose('g1')

    expect(sent).toEqual([
      { conversationId: 'g1', text, replyToMessageId: 'm1', mentionIds: ['u-carol'] },
    ])
    expect(store.getState().replyTargets).toEqual({})
    expect(store.getState().pickedMentions).toEqual({})
  })

  it('cancels a reply for one conversation only', () => {
    const store = createTackStore({} as HostApi)
    store.getState().startReply(original)
    store.getState().startReply({ ...original, conversationId: 'g2' })

    store.getState().cancelReply('g1')

    expect(Object.keys(store.getState().replyTargets)).toEqual(['g2'])
  })
})
