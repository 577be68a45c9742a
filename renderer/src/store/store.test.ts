import { describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/errors'
import type {
  ConversationView,
  HostApi,
  HostEventListener,
  HostEventName,
  HostEvents,
  HostState,
  MessageView,
  Person,
  SessionView,
} from '../../../shared/host-api'
import type { HostLinkListener, HostLinkState } from '../host/host-connection'
import { bindHost } from './bind-host'
import { createTackStore } from './store'

const alice: Person = {
  id: 'u-alice',
  username: 'alice',
  name: 'Alice Wang',
  nameEn: 'Alice',
  departmentId: 'd-eng',
  title: 'Engineer',
  avatarColor: '#3366ff',
}
const bob: Person = { ...alice, id: 'u-bob', username: 'bob', name: 'Bob Li', nameEn: 'Bob' }
const session: SessionView = { me: alice, serverAddress: 'localhost:7443' }

function conversation(id: string, lastActivityAt: number, unreadCount = 0): ConversationView {
  return {
    id,
    kind: 'direct',
    title: id,
    memberIds: [alice.id, bob.id],
    peerId: bob.id,
    lastMessage: null,
    unreadCount,
    lastActivityAt,
  }
}

function message(conversationId: string, clientMessageId: string, text: string): MessageView {
  return {
    conversationId,
    clientMessageId,
    id: null,
    seq: null,
    senderId: alice.id,
    text,
    sentAt: 1,
    state: 'sending',
  }
}

function hostState(signedIn: boolean): HostState {
  return {
    session: signedIn ? session : null,
    connection: { status: 'online', retryAt: null, attempt: 0, lastError: null },
    defaultServerAddress: 'localhost:7443',
    signedOutReason: null,
  }
}

/** A HostApi of vi.fn()s with plausible answers, plus ways to push events and move the link. */
function fakeHost({ signedIn = true, reachable = true } = {}) {
  const eventListeners = new Set<HostEventListener>()
  const linkListeners = new Set<HostLinkListener>()
  const api = {
    getState: vi.fn(async () => {
      if (!reachable) throw new HostError('UNREACHABLE', 'could not connect to the Tack host')
      return hostState(signedIn)
    }),
    login: vi.fn(async () => session),
    logout: vi.fn(async () => undefined),
    retryNow: vi.fn(async () => undefined),
    getNetworkDiagnostics: vi.fn(async () => ({
      connection: hostState(signedIn).connection,
      address: null,
      heartbeatIntervalMs: 30_000,
      heartbeatPhase: 'probing' as const,
      srttMs: null,
      rttvarMs: null,
      rtoMs: 2_000,
      tlsSessionReused: null,
      connects: 0,
      lastCloseReason: null,
    })),
    listConversations: vi.fn(async () => [conversation('old', 1), conversation('new', 2)]),
    loadMessages: vi.fn(async () => [] as MessageView[]),
    sendMessage: vi.fn(async ({ conversationId, text }: { conversationId: string; text: string }) =>
      message(conversationId, 'm-1', text),
    ),
    markRead: vi.fn(async () => undefined),
    recallMessage: vi.fn(async () => undefined),
    getReadReceipts: vi.fn(async () => ({ read: ['u-bob'], unread: [] })),
    saveDraft: vi.fn(
      async (_params: {
        conversationId: string
        text: string
        mentions: { userId: string; name: string }[]
      }) => undefined,
    ),
    updateConversation: vi.fn(async () => conversation('old', 1)),
    listDevices: vi.fn(async () => [
      { deviceId: 'here', name: 'Desktop', platform: 'linux', lastSeenAt: 2, current: true },
      { deviceId: 'there', name: 'Laptop', platform: 'darwin', lastSeenAt: 1, current: false },
    ]),
    signOutDevice: vi.fn(async () => undefined),
    listContacts: vi.fn(async () => ({ departments: [], people: [alice, bob] })),
    openDirectConversation: vi.fn(async () => conversation('with-bob', 3)),
    createGroup: vi.fn(async () => conversation('group', 4)),
    searchMessages: vi.fn(async () => []),
    searchContacts: vi.fn(async () => [bob]),
    recoverStore: vi.fn(async () => ({ movedAside: [] })),
    getStorageUsage: vi.fn(async () => ({ databaseBytes: 4096, filesBytes: 0 })),
    getHostInfo: vi.fn(async () => ({
      shell: 'browser' as const,
      nativeNotifications: false,
      appBadge: false,
    })),
    setAttention: vi.fn(async () => undefined),
    listMicroApps: vi.fn(async () => []),
    addDevMicroApp: vi.fn(async () => {
      throw new HostError('BAD_PARAMS', 'not in this test')
    }),
    removeDevMicroApp: vi.fn(async () => undefined),
    authorizeMicroApp: vi.fn(async () => ({ url: 'https://app.example/?code=c' })),
    installMicroAppPackage: vi.fn(async () => {
      throw new HostError('BAD_PARAMS', 'not in this test')
    }),
    invokeJsApi: vi.fn(async () => ({ kind: 'result' as const, result: {} })),
    // Attachments (issue 6).
    sendFile: vi.fn(async ({ conversationId }: { conversationId: string }) =>
      message(conversationId, 'f-1', ''),
    ),
    stageChunk: vi.fn(async () => ({ stagedId: 'staged-00001', size: 3 })),
    startVoice: vi.fn(async ({ conversationId }: { conversationId: string }) => ({
      recordingId: 'rec-1',
      message: message(conversationId, 'v-1', ''),
    })),
    appendVoice: vi.fn(async (_params: { recordingId: string; chunkBase64: string }) => undefined),
    finishVoice: vi.fn(async ({ recordingId }: { recordingId: string }) =>
      message('old', recordingId, ''),
    ),
    discardVoice: vi.fn(async () => undefined),
    retryMessage: vi.fn(async () => undefined),
    pauseUpload: vi.fn(async () => undefined),
    resumeUpload: vi.fn(async () => undefined),
    cancelUpload: vi.fn(async () => undefined),
    uploadFileForMicroApp: vi.fn(async ({ name }: { name: string }) => ({
      fileId: 'f'.repeat(32),
      name,
      size: 3,
      type: 'text/plain',
      sha256: 'a'.repeat(64),
    })),
    downloadFile: vi.fn(async () => {
      throw new HostError('UNREACHABLE', 'offline: the file server is not known yet')
    }),
    onEvent(listener: HostEventListener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
  } satisfies HostApi
  const store = createTackStore(api)
  bindHost(store, {
    api,
    transport: 'browser',
    onLinkChange(listener) {
      linkListeners.add(listener)
      return () => linkListeners.delete(listener)
    },
  })
  return {
    api,
    store,
    emit<E extends HostEventName>(name: E, payload: HostEvents[E]) {
      for (const listener of eventListeners) listener(name, payload)
    },
    setLink(state: HostLinkState) {
      for (const listener of linkListeners) listener(state)
    },
  }
}

/** Lets every pending promise chain (fake host answers, store updates) run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('store bound to a host', () => {
  it('fetches the state at start and, when signed in, the conversations and contacts', async () => {
    const { api, store } = fakeHost()
    await settle()

    const state = store.getState()
    expect(state.phase).toBe('signedIn')
    expect(state.session?.me.username).toBe('alice')
    expect(state.connection.status).toBe('online')
    expect(api.listConversations).toHaveBeenCalledOnce()
    expect(state.peopleById[bob.id]?.name).toBe('Bob Li')
  })

  it('shows sign-in with the default server address when nobody is signed in', async () => {
    const { api, store } = fakeHost({ signedIn: false })
    await settle()

    expect(store.getState()).toMatchObject({
      phase: 'signedOut',
      defaultServerAddress: 'localhost:7443',
    })
    expect(api.listConversations).not.toHaveBeenCalled()
  })

  it('says the host is unreachable when it does not answer at start, until the link is up', async () => {
    const { store, api, setLink } = fakeHost({ reachable: false })
    await settle()
    expect(store.getState()).toMatchObject({
      phase: 'unreachable',
      startError: { code: 'UNREACHABLE', message: 'could not connect to the Tack host' },
    })

    api.getState.mockResolvedValue(hostState(false))
    setLink('down')
    setLink('up')
    await settle()

    expect(store.getState()).toMatchObject({ phase: 'signedOut', startError: null })
  })

  it('keeps conversations sorted by last activity, newest first', async () => {
    const { store, emit, api } = fakeHost()
    await settle()
    expect(store.getState().conversations.map((item) => item.id)).toEqual(['new', 'old'])

    api.listConversations.mockResolvedValue([conversation('new', 2), conversation('old', 5)])
    emit('conversationsChanged', { conversationIds: ['old'] })
    await settle()

    expect(store.getState().conversations.map((item) => item.id)).toEqual(['old', 'new'])
  })

  it('reloads the open conversation on messagesChanged, but not a conversation that is closed', async () => {
    const { store, emit, api } = fakeHost()
    await settle()
    store.getState().openConversation('new')
    await settle()
    api.loadMessages.mockClear()
    api.listConversations.mockClear()

    emit('messagesChanged', { conversationId: 'old' })
    await settle()
    expect(api.loadMessages).not.toHaveBeenCalled()
    expect(api.listConversations).toHaveBeenCalledOnce()

    emit('messagesChanged', { conversationId: 'new' })
    await settle()
    expect(api.loadMessages).toHaveBeenCalledWith({ conversationId: 'new' })
  })

  it('collapses a burst of change events into at most two fetches', async () => {
    const { store, emit, api } = fakeHost()
    await settle()
    api.listConversations.mockClear()

    for (let i = 0; i < 5; i += 1) emit('conversationsChanged', { conversationIds: ['new'] })
    await settle()

    expect(api.listConversations).toHaveBeenCalledTimes(2)
    expect(store.getState().conversations).toHaveLength(2)
  })

  it('returns to sign-in with the reason when the session ends, forgetting the account data', async () => {
    const { store, emit } = fakeHost()
    await settle()
    store.getState().openConversation('new')

    emit('session', { session: null, reason: 'signed in on another device' })

    expect(store.getState()).toMatchObject({
      phase: 'signedOut',
      signedOutReason: 'signed in on another device',
      conversations: [],
      openConversationId: null,
      people: [],
    })
  })

  it('keeps the error code of a failed login for the view to word', async () => {
    const { store, api } = fakeHost({ signedIn: false })
    await settle()
    api.login.mockRejectedValueOnce(new HostError('BAD_CREDENTIALS', 'bad credentials'))

    await store
      .getState()
      .login({ serverAddress: 'localhost:7443', username: 'alice', password: 'x' })

    expect(store.getState()).toMatchObject({
      phase: 'signedOut',
      loginPending: false,
      loginError: { code: 'BAD_CREDENTIALS' },
    })
  })

  it('signs in and fetches the new account data after a successful login', async () => {
    const { store, api } = fakeHost({ signedIn: false })
    await settle()

    await store
      .getState()
      .login({ serverAddress: 'localhost:7443', username: 'alice', password: 'demo1234' })
    await settle()

    expect(store.getState().phase).toBe('signedIn')
    expect(api.listConversations).toHaveBeenCalledOnce()
    expect(api.listContacts).toHaveBeenCalledOnce()
  })

  it('shows a sent message at once, and never sends empty text', async () => {
    const { store, api } = fakeHost()
    await settle()

    await store.getState().sendMessage('new', '   ')
    expect(api.sendMessage).not.toHaveBeenCalled()

    await store.getState().sendMessage('new', '  hello \n')
    expect(api.sendMessage).toHaveBeenCalledWith({ conversationId: 'new', text: 'hello' })
    expect(store.getState().messagesByConversation['new']).toMatchObject([
      { clientMessageId: 'm-1', text: 'hello', state: 'sending' },
    ])
  })

  it('opens a direct conversation in Chats and lists it', async () => {
    const { store, api } = fakeHost()
    await settle()
    store.getState().showView('contacts')

    await store.getState().openDirectConversation(bob.id)

    expect(api.openDirectConversation).toHaveBeenCalledWith({ peerId: bob.id })
    expect(store.getState()).toMatchObject({ view: 'chats', openConversationId: 'with-bob' })
    expect(store.getState().conversations[0]?.id).toBe('with-bob')
  })

  it('shows a conversation read at once and asks the host once while that is in flight', async () => {
    const { store, api } = fakeHost()
    api.listConversations.mockResolvedValue([conversation('new', 2, 3)])
    await settle()

    void store.getState().markRead('new')
    void store.getState().markRead('new')

    expect(store.getState().conversations[0]?.unreadCount).toBe(0)
    expect(api.markRead).toHaveBeenCalledOnce()
  })

  it('loads network diagnostics with the current heartbeat interval on request', async () => {
    const { api, store } = fakeHost()
    await settle()

    await store.getState().loadDiagnostics()

    expect(api.getNetworkDiagnostics).toHaveBeenCalledTimes(1)
    expect(store.getState().diagnostics?.heartbeatIntervalMs).toBe(30_000)
  })

  it('fetches the state again when the link to the host comes back', async () => {
    const { store, api, setLink } = fakeHost()
    await settle()
    api.getState.mockClear()
    api.listConversations.mockClear()

    setLink('down')
    expect(store.getState()).toMatchObject({
      hostLink: 'down',
      connection: { status: 'connecting' },
    })
    setLink('up')
    await settle()

    expect(api.getState).toHaveBeenCalledOnce()
    expect(api.listConversations).toHaveBeenCalledOnce()
    expect(store.getState()).toMatchObject({ hostLink: 'up', connection: { status: 'online' } })
  })

  it('drops a list that arrives after its account signed out', async () => {
    const { store, api, emit } = fakeHost()
    await settle()
    let answer: (conversations: ConversationView[]) => void = () => undefined
    api.listConversations.mockImplementationOnce(
      () => new Promise<ConversationView[]>((resolve) => (answer = resolve)),
    )

    void store.getState().refreshConversations()
    emit('session', { session: null, reason: null })
    answer([conversation('late', 9)])
    await settle()

    expect(store.getState().conversations).toEqual([])
  })
})

describe('attachments in the store', () => {
  it('keeps upload and download progress from the host by client message id', async () => {
    const { store, emit } = fakeHost()
    await settle()

    emit('uploadProgress', {
      conversationId: 'old',
      clientMessageId: 'f-1',
      sentBytes: 512,
      totalBytes: 2048,
    })
    emit('downloadProgress', {
      conversationId: 'old',
      clientMessageId: 'g-1',
      receivedBytes: 10,
      totalBytes: 20,
    })

    expect(store.getState().transfers).toEqual({
      'f-1': { doneBytes: 512, totalBytes: 2048 },
      'g-1': { doneBytes: 10, totalBytes: 20 },
    })
  })

  it('retries my failed message by its reference, and keeps a refused download for the view', async () => {
    const { store, api } = fakeHost()
    await settle()
    const failed = { ...message('old', 'f-1', ''), state: 'failed' as const }

    await store.getState().retryMessage(failed)
    expect(api.retryMessage).toHaveBeenCalledWith({
      conversationId: 'old',
      clientMessageId: 'f-1',
      senderId: alice.id,
    })

    await expect(store.getState().downloadAttachment(failed)).rejects.toMatchObject({
      code: 'UNREACHABLE',
    })
    expect(store.getState().attachError).toEqual({
      code: 'UNREACHABLE',
      message: 'offline: the file server is not known yet',
    })
  })

  it('sends a recording piece by piece, in order, then finishes it', async () => {
    const { store, api } = fakeHost()
    await settle()

    const recordingId = await store.getState().startVoice('old', 'audio/webm')
    await store.getState().appendVoice(recordingId, new Uint8Array([1, 2, 3]))
    await store.getState().appendVoice(recordingId, new Uint8Array([4]))
    await store.getState().finishVoice(recordingId, 1_500)

    expect(api.appendVoice.mock.calls.map(([params]) => params)).toEqual([
      { recordingId: 'rec-1', chunkBase64: 'AQID' },
      { recordingId: 'rec-1', chunkBase64: 'BA==' },
    ])
    expect(api.finishVoice).toHaveBeenCalledWith({ recordingId: 'rec-1', durationMs: 1_500 })
  })
})
