import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConversationView, HostApi, HostParams, SessionView } from '../../../shared/host-api'
import { DRAFT_SAVE_DELAY_MS } from './drafts-slice'
import {
  defaultPreferences,
  loadPreferences,
  PREFERENCES_KEY,
  type PreferenceStorage,
} from './preferences-slice'
import { createTackStore } from './store'

// These slices never reach the host, so a host with no methods is enough.
const noHost = {} as HostApi

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & {
  items: Record<string, string>
} {
  const items = { ...initial }
  return {
    items,
    getItem: (key) => items[key] ?? null,
    setItem: (key, value) => {
      items[key] = value
    },
  }
}

describe('preferences', () => {
  it('are saved on every change and read back at the next start', () => {
    const storage = memoryStorage()
    const store = createTackStore(noHost, { preferences: defaultPreferences('en'), storage })

    store.getState().setLanguage('zh-CN')
    store.getState().setTheme('dark')
    store.getState().setNotificationsEnabled(false)

    expect(loadPreferences(storage, defaultPreferences('en'))).toEqual({
      language: 'zh-CN',
      theme: 'dark',
      notificationsEnabled: false,
    })
  })

  it('keep the defaults for anything missing, unknown or unreadable', () => {
    const fallback = defaultPreferences('zh-CN')
    expect(loadPreferences(memoryStorage(), fallback)).toEqual(fallback)
    expect(loadPreferences(memoryStorage({ [PREFERENCES_KEY]: '{not json' }), fallback)).toEqual(
      fallback,
    )
    const odd = JSON.stringify({ language: 'fr', theme: 'dark', notificationsEnabled: 'yes' })
    expect(loadPreferences(memoryStorage({ [PREFERENCES_KEY]: odd }), fallback)).toEqual({
      ...fallback,
      theme: 'dark',
    })
  })

  it('survive signing out, unlike account data', () => {
    const store = createTackStore(noHost)
    store.getState().setTheme('light')
    store.getState().setDraft('c-1', 'half a thought')
    store.getState().applySession(null, null)
    expect(store.getState().preferences.theme).toBe('light')
    expect(store.getState().drafts).toEqual({})
  })
})

describe('drafts', () => {
  it('are kept per conversation, and an emptied one is forgotten', () => {
    const store = createTackStore(noHost)
    store.getState().setDraft('c-1', 'for one')
    store.getState().setDraft('c-2', 'for two')
    expect(store.getState().drafts).toEqual({ 'c-1': 'for one', 'c-2': 'for two' })
    store.getState().setDraft('c-1', '')
    expect(store.getState().drafts).toEqual({ 'c-2': 'for two' })
  })
})

describe('drafts kept by the core', () => {
  const me: SessionView['me'] = {
    id: 'u-me',
    username: 'me',
    name: '我',
    nameEn: 'Me',
    departmentId: 'd1',
    title: '',
    avatarColor: '#333',
  }

  function conversation(id: string, draft?: ConversationView['draft']): ConversationView {
    return {
      id,
      kind: 'group',
      title: id,
      memberIds: ['u-me', 'u-li'],
      peerId: null,
      lastMessage: null,
      unreadCount: 0,
      lastActivityAt: 1,
      ...(draft ? { draft } : {}),
    }
  }

  /** A store signed in as `me` (set directly: no account data is fetched) and what it saved. */
  function signedIn(listed: ConversationView[] = []) {
    const saveDraft = vi.fn(async (_params: HostParams<'saveDraft'>) => undefined)
    const listConversations = vi.fn(async () => listed)
    const logout = vi.fn(async () => undefined)
    const host = { saveDraft, listConversations, logout } as unknown as HostApi
    const store = createTackStore(host)
    store.setState({ session: { me, serverAddress: 'localhost:1' } })
    return { store, saveDraft, listConversations, logout }
  }

  afterEach(() => vi.useRealTimers())

  it('are saved once typing pauses, with the picked people still named in the text', async () => {
    vi.useFakeTimers()
    const { store, saveDraft } = signedIn()
    store.getState().pickMention('c-1', { userId: 'u-li', name: '李娜' })
    store.getState().pickMention('c-1', { userId: 'u-wang', name: '王伟' })
    store.getState().setDraft('c-1', '@李娜 can')
    store.getState().setDraft('c-1', '@李娜 can you')
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS - 1)
    expect(saveDraft).not.toHaveBeenCalled()

    await vi.advanceTimersByTimeAsync(1)
    expect(saveDraft).toHaveBeenCalledTimes(1)
    expect(saveDraft).toHaveBeenCalledWith({
      conversationId: 'c-1',
      text: '@李娜 can you',
      mentions: [{ userId: 'u-li', name: '李娜' }],
    })

    // Emptied (sent, or deleted by hand): the kept draft is forgotten.
    store.getState().setDraft('c-1', '')
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS)
    expect(saveDraft).toHaveBeenLastCalledWith({ conversationId: 'c-1', text: '', mentions: [] })
  })

  it('are saved at once when the page goes away or I sign out, not twice', async () => {
    vi.useFakeTimers()
    const { store, saveDraft, logout } = signedIn()
    store.getState().setDraft('c-1', 'half')
    store.getState().setDraft('c-2', 'a thought')
    await store.getState().flushDrafts()
    expect(saveDraft.mock.calls.map(([params]) => params)).toEqual([
      { conversationId: 'c-1', text: 'half', mentions: [] },
      { conversationId: 'c-2', text: 'a thought', mentions: [] },
    ])

    store.getState().setDraft('c-1', 'half more')
    await store.getState().logout()
    expect(saveDraft).toHaveBeenCalledTimes(3)
    expect(logout).toHaveBeenCalledOnce()
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS * 2)
    expect(saveDraft).toHaveBeenCalledTimes(3)
  })

  it('typed before signing out are not saved into the next account', async () => {
    vi.useFakeTimers()
    const { store, saveDraft } = signedIn()
    store.getState().setDraft('c-1', 'for the old account')
    store.setState({ session: { me: { ...me, id: 'u-other' }, serverAddress: 'localhost:1' } })
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS)
    expect(saveDraft).not.toHaveBeenCalled()
  })

  it('come back with the first listing, without overwriting what the page holds', async () => {
    const kept = { text: '@李娜 agenda', mentions: [{ userId: 'u-li', name: '李娜' }] }
    const { store, listConversations } = signedIn([
      conversation('c-1', kept),
      conversation('c-2', { text: 'older', mentions: [] }),
      conversation('c-3'),
    ])
    store.getState().setDraft('c-2', 'typed meanwhile')
    await store.getState().refreshConversations()

    expect(store.getState().drafts).toEqual({ 'c-1': '@李娜 agenda', 'c-2': 'typed meanwhile' })
    expect(store.getState().pickedMentions['c-1']).toEqual(kept.mentions)

    // A later listing may still hold a draft emptied here and not yet saved: it stays empty.
    store.getState().setDraft('c-1', '')
    await store.getState().refreshConversations()
    expect(listConversations).toHaveBeenCalledTimes(2)
    expect(store.getState().drafts).toEqual({ 'c-2': 'typed meanwhile' })
  })

  it('that fail to save stay in the page', async () => {
    vi.useFakeTimers()
    const { store, saveDraft } = signedIn()
    saveDraft.mockRejectedValueOnce(new Error('the core is gone'))
    store.getState().setDraft('c-1', 'still here')
    await vi.advanceTimersByTimeAsync(DRAFT_SAVE_DELAY_MS)
    expect(saveDraft).toHaveBeenCalledOnce()
    expect(store.getState().drafts).toEqual({ 'c-1': 'still here' })
  })
})
