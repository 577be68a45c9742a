import { describe, expect, it } from 'vitest'
import type { HostApi, MessageView } from '../../../shared/host-api'
import { composeExtras, mentionIdsIn, replyTargetOf } from './compose-slice'
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

  it('sends without the quote once the reply target is recalled, seen in the page or told by the core', () => {
    const store = createTackStore({} as HostApi)
    store.getState().startReply(original)
    store.getState().startReply({ ...original, conversationId: 'g2', id: 'm2' })
    expect(composeExtras(store.getState(), 'g1', 'ok')).toEqual({
      replyToMessageId: 'm1',
      mentionIds: [],
    })

    // The recall reached the loaded page of g1.
    store.setState({
      messagesByConversation: { g1: [{ ...original, text: '', recalled: true }] },
    })
    expect(replyTargetOf(store.getState(), 'g1')).toMatchObject({ id: 'm1', recalled: true })
    expect(composeExtras(store.getState(), 'g1', 'ok')).toEqual({ mentionIds: [] })

    // The core refused a send in g2 (QUOTE_RECALLED) before the page had the recall.
    store.getState().markReplyRecalled('g2')
    expect(replyTargetOf(store.getState(), 'g2')).toMatchObject({ text: '', recalled: true })
    expect(composeExtras(store.getState(), 'g2', 'ok')).toEqual({ mentionIds: [] })
  })

  it('cancels a reply for one conversation only', () => {
    const store = createTackStore({} as HostApi)
    store.getState().startReply(original)
    store.getState().startReply({ ...original, conversationId: 'g2' })

    store.getState().cancelReply('g1')

    expect(Object.keys(store.getState().replyTargets)).toEqual(['g2'])
  })
})
