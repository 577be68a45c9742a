import { describe, expect, it } from 'vitest'
import type { HostApi } from '../../../shared/host-api'
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
