// Which side notifies and badges: the page in browser mode, the Electron shell when the host says
// so (getHostInfo), told by setAttention what the reader wants and has in front.
import type { i18n as I18n } from 'i18next'
import { describe, expect, it, vi } from 'vitest'
import type { ConversationView, HostApi, HostInfo, Person } from '../../../shared/host-api'
import { createTackStore, type TackStore } from '../store/store'
import { notifyNewMessages } from './notify-new-messages'
import { attentionOf, reportAttention } from './report-attention'
import { watchUnread } from './unread-title'

const me: Person = {
  id: 'u-me',
  username: 'me',
  name: 'Me',
  nameEn: 'Me',
  departmentId: 'd',
  title: '',
  avatarColor: '#333',
}
const ELECTRON: HostInfo = { shell: 'electron', nativeNotifications: true, appBadge: true }
const BROWSER: HostInfo = { shell: 'browser', nativeNotifications: false, appBadge: false }

function conversation(id: string, unreadCount: number, sentAt: number): ConversationView {
  return {
    id,
    kind: 'direct',
    title: `Chat ${id}`,
    memberIds: [me.id, 'u-bob'],
    peerId: 'u-bob',
    lastMessage: { senderId: 'u-bob', text: 'hi', sentAt },
    unreadCount,
    lastActivityAt: sentAt,
  }
}

function signedInStore(hostInfo: HostInfo | null): TackStore {
  // These read state only, so a host without methods will do.
  const store = createTackStore({} as HostApi)
  store.setState({
    session: { me, serverAddress: 'localhost:1' },
    conversations: [conversation('a', 0, 1)],
    conversationsLoaded: true,
    hostInfo,
  })
  return store
}

/** A page whose Notification API records instead of showing, permission granted. */
function fakePage() {
  const shown: string[] = []
  const closed: string[] = []
  class FakeNotification {
    static permission = 'granted'
    onclick: (() => void) | null = null
    onclose: (() => void) | null = null
    constructor(readonly title: string) {
      shown.push(title)
    }
    close(): void {
      closed.push(this.title)
      this.onclose?.()
    }
  }
  const page = {
    Notification: FakeNotification,
    document: { visibilityState: 'visible', title: '' },
    focus: vi.fn(),
  } as unknown as Window & typeof globalThis
  return { page, shown, closed }
}

const i18n = { t: (key: string) => (key === 'app.name' ? 'Tack' : key) } as unknown as I18n

describe('attentionOf', () => {
  it('names the open conversation only while the Chats view shows, with the switch', () => {
    const store = signedInStore(ELECTRON)
    store.setState({ openConversationId: 'a', view: 'chats' })
    expect(attentionOf(store.getState())).toEqual({
      notificationsEnabled: true,
      openConversationId: 'a',
    })
    store.setState({ view: 'contacts' })
    store.getState().setNotificationsEnabled(false)
    expect(attentionOf(store.getState())).toEqual({
      notificationsEnabled: false,
      openConversationId: null,
    })
  })
})

describe('reportAttention', () => {
  it('under Electron tells the host each change once, and again after a failed call', async () => {
    const setAttention = vi.fn(async () => undefined)
    const store = signedInStore(ELECTRON)
    reportAttention(store, { setAttention } as unknown as HostApi)
    expect(setAttention).toHaveBeenLastCalledWith({
      notificationsEnabled: true,
      openConversationId: null,
    })
    setAttention.mockClear()

    store.setState({ openConversationId: 'a', view: 'chats' })
    // A change the shell does not care about sends nothing.
    store.setState({ searchQuery: 'unrelated' })
    expect(setAttention.mock.calls).toEqual([
      [{ notificationsEnabled: true, openConversationId: 'a' }],
    ])

    setAttention.mockRejectedValueOnce(new Error('host gone'))
    store.getState().setNotificationsEnabled(false)
    await vi.waitFor(() => expect(setAttention).toHaveBeenCalledTimes(2))
    store.setState({ view: 'chats' })
    expect(setAttention).toHaveBeenCalledTimes(3)
    expect(setAttention).toHaveBeenLastCalledWith({
      notificationsEnabled: false,
      openConversationId: 'a',
    })
  })

  it('in browser mode, or before the host has said, tells nothing', () => {
    const setAttention = vi.fn(async () => undefined)
    for (const info of [BROWSER, null]) {
      const store = signedInStore(info)
      reportAttention(store, { setAttention } as unknown as HostApi)
      store.setState({ openConversationId: 'a', view: 'chats' })
    }
    expect(setAttention).not.toHaveBeenCalled()
  })
})

describe('the page under Electron', () => {
  it('makes no web notification when the shell notifies, and one in browser mode', () => {
    for (const [info, expected] of [
      [ELECTRON, []],
      [BROWSER, ['Chat a']],
    ] as const) {
      const store = signedInStore(info)
      const { page, shown } = fakePage()
      notifyNewMessages(store, i18n, page)
      store.setState({ conversations: [conversation('a', 1, 2)] })
      expect(shown).toEqual(expected)
    }
  })

  it('closes a notification when its message is recalled, and only then', () => {
    const store = signedInStore(BROWSER)
    const { page, shown, closed } = fakePage()
    notifyNewMessages(store, i18n, page)
    store.setState({ conversations: [conversation('a', 1, 2), conversation('b', 0, 1)] })
    store.setState({ conversations: [conversation('a', 1, 2), conversation('b', 1, 3)] })
    expect(shown).toEqual(['Chat a', 'Chat b'])

    // Another message of the same sender recalled in b leaves b's newest one, and its notice.
    const recalled = (c: ConversationView, sentAt: number): ConversationView => ({
      ...c,
      unreadCount: 0,
      lastMessage: { senderId: 'u-bob', text: '', sentAt, recalled: true },
    })
    store.setState({
      conversations: [recalled(conversation('a', 1, 2), 2), conversation('b', 1, 3)],
    })
    expect(closed).toEqual(['Chat a'])
    store.setState({
      conversations: [recalled(conversation('a', 1, 2), 2), recalled(conversation('b', 1, 3), 3)],
    })
    expect(closed).toEqual(['Chat a', 'Chat b'])
  })

  it('keeps the count out of the title when the shell has the badge', () => {
    const store = signedInStore(BROWSER)
    const { page } = fakePage()
    watchUnread(store, i18n, page)
    store.setState({ conversations: [conversation('a', 3, 2)] })
    expect(page.document.title).toBe('(3) Tack')
    store.setState({ hostInfo: ELECTRON })
    expect(page.document.title).toBe('Tack')
  })
})
