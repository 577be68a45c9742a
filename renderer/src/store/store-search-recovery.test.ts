// The renderer's side of issue #3: the recovery screen's flow, and search results that open a
// conversation at a message. Against a fake HostApi whose unlisted requests answer undefined.
import { describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/errors'
import type {
  HostApi,
  HostState,
  MessageSearchHit,
  MessageView,
  Person,
} from '../../../shared/host-api'
import { createTackStore } from './store'

const alice: Person = {
  id: 'u-alice',
  username: 'alice',
  name: '王爱丽',
  nameEn: 'Alice Wang',
  departmentId: 'd1',
  title: 'Engineer',
  avatarColor: '#333',
}

const brokenStore: HostState = {
  session: null,
  connection: { status: 'offline', retryAt: null, attempt: 0, lastError: null },
  defaultServerAddress: '127.0.0.1:7443',
  signedOutReason: null,
  storeProblem: { userId: 'u-alice', kind: 'wrong-key', message: 'the key does not match' },
}

function message(seq: number): MessageView {
  return {
    conversationId: 'c1',
    clientMessageId: `cm-${seq}`,
    id: `m-${seq}`,
    seq,
    senderId: 'u-bob',
    text: `message ${seq}`,
    sentAt: seq,
    state: 'sent',
  }
}

function fakeHost(answers: Partial<Record<keyof HostApi, (...args: never[]) => unknown>>) {
  const calls = new Map<string, ReturnType<typeof vi.fn>>()
  const api = new Proxy({} as HostApi, {
    get(_target, name: string) {
      if (name === 'onEvent') return () => () => undefined
      if (!calls.has(name)) {
        const answer = answers[name as keyof HostApi]
        calls.set(
          name,
          vi.fn(async (...args: never[]) => answer?.(...args)),
        )
      }
      return calls.get(name)
    },
  })
  return { api, call: (name: keyof HostApi) => calls.get(name) ?? vi.fn() }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('recovery and search in the store', () => {
  it('shows the recovery screen when the host reports a database that would not open', async () => {
    const { api } = fakeHost({ getState: () => brokenStore })
    const store = createTackStore(api)
    await store.getState().loadState()
    expect(store.getState().phase).toBe('storeProblem')
    expect(store.getState().storeProblem?.kind).toBe('wrong-key')
  })

  it('goes to sign-in after recovery, telling where the old database was kept', async () => {
    const movedAside = [{ from: '/p/u-alice.db', to: '/p/u-alice.db.broken-20261203T170000Z' }]
    const { api, call } = fakeHost({
      getState: () => brokenStore,
      recoverStore: () => ({ movedAside }),
    })
    const store = createTackStore(api)
    await store.getState().loadState()
    await store.getState().recoverStore()
    expect(call('recoverStore')).toHaveBeenCalledTimes(1)
    expect(store.getState()).toMatchObject({
      phase: 'signedOut',
      storeProblem: null,
      recovered: { movedAside },
    })
  })

  it('keeps the recovery screen, with the reason, when recovery fails', async () => {
    const { api } = fakeHost({
      getState: () => brokenStore,
      recoverStore: () => {
        throw new HostError('STORE_LOCKED', 'cannot replace an unreadable key')
      },
    })
    const store = createTackStore(api)
    await store.getState().loadState()
    await store.getState().recoverStore()
    expect(store.getState().phase).toBe('storeProblem')
    expect(store.getState().recoverError?.message).toMatch(/unreadable key/)
  })

  it('turns a sign-in refused for the local database into the recovery screen', async () => {
    let state: HostState = { ...brokenStore, storeProblem: null }
    const { api } = fakeHost({
      getState: () => state,
      login: () => {
        state = brokenStore
        throw new HostError('STORE_LOCKED', 'the key does not match')
      },
    })
    const store = createTackStore(api)
    await store.getState().loadState()
    expect(store.getState().phase).toBe('signedOut')
    await store.getState().login({ serverAddress: 'h:1', username: 'alice', password: 'x' })
    expect(store.getState().phase).toBe('storeProblem')
  })

  it('keeps only the results of the query still in the box', async () => {
    const hit: MessageSearchHit = { message: message(3), conversationTitle: 'Bob' }
    const { api } = fakeHost({ searchMessages: () => [hit], searchContacts: () => [alice] })
    const store = createTackStore(api)
    store.getState().setSearchQuery('评审')
    const stale = store.getState().search('评')
    await store.getState().search('评审')
    await stale
    expect(store.getState().searchResults).toEqual({
      query: '评审',
      messages: [hit],
      contacts: [alice],
    })
    store.getState().setSearchQuery('')
    expect(store.getState().searchResults).toBeNull()
  })

  it('runs the shown search again when messages arrive', async () => {
    const hits: MessageSearchHit[] = []
    const { api, call } = fakeHost({ searchMessages: () => [...hits], searchContacts: () => [] })
    const store = createTackStore(api)
    store.getState().setSearchQuery('评审')
    await store.getState().search('评审')
    expect(store.getState().searchResults?.messages).toEqual([])
    hits.push({ message: message(5), conversationTitle: 'Bob' })
    await store.getState().refreshSearch()
    expect(call('searchMessages')).toHaveBeenCalledTimes(2)
    expect(store.getState().searchResults?.messages).toHaveLength(1)
  })

  it('opens a conversation around a hit, and returns to the latest messages after a send', async () => {
    const { api, call } = fakeHost({
      loadMessages: () => [message(2), message(3), message(4)],
      sendMessage: () => ({ ...message(9), seq: null, id: null, state: 'sending' }),
    })
    const store = createTackStore(api)
    store.getState().openConversationAt('c1', 3)
    await settle()
    expect(call('loadMessages')).toHaveBeenLastCalledWith({ conversationId: 'c1', aroundSeq: 3 })
    expect(store.getState().focusedMessage).toEqual({ conversationId: 'c1', seq: 3 })

    await store.getState().sendMessage('c1', 'hello')
    await settle()
    expect(store.getState().focusedMessage).toBeNull()
    expect(call('loadMessages')).toHaveBeenLastCalledWith({ conversationId: 'c1' })
  })
})
