// This device's preferences: the UI language, the theme and whether desktop notifications show.
// They belong to the device, not the account, so signing out keeps them; they are saved to the
// storage handed in (localStorage in the app, a map in tests) whenever they change.
import type { Language } from '../i18n/i18n'
import type { TackSlice } from './store'

export type ThemePreference = 'light' | 'dark' | 'system'

export interface Preferences {
  language: Language
  theme: ThemePreference
  notificationsEnabled: boolean
}

export interface PreferencesState {
  preferences: Preferences
}

export interface PreferencesActions {
  setLanguage(language: Language): void
  setTheme(theme: ThemePreference): void
  setNotificationsEnabled(enabled: boolean): void
}

export type PreferencesSlice = PreferencesState & PreferencesActions

/** The part of the Web Storage API the slice uses. */
export interface PreferenceStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export const PREFERENCES_KEY = 'tack.preferences'

export function defaultPreferences(language: Language): Preferences {
  return { language, theme: 'system', notificationsEnabled: true }
}

/** Saved preferences over the defaults; anything unreadable or unknown keeps its default. */
export function loadPreferences(storage: PreferenceStorage | null, fallback: Preferences) {
  let saved: unknown
  try {
    saved = JSON.parse(storage?.getItem(PREFERENCES_KEY) ?? 'null')
  } catch {
    return fallback
  }
  if (typeof saved !== 'object' || saved === null) return fallback
  const value = saved as Record<string, unknown>
  return {
    language:
      value.language === 'en' || value.language === 'zh-CN' ? value.language : fallback.language,
    theme:
      value.theme === 'light' || value.theme === 'dark' || value.theme === 'system'
        ? value.theme
        : fallback.theme,
    notificationsEnabled:
      typeof value.notificationsEnabled === 'boolean'
        ? value.notificationsEnabled
        : fallback.notificationsEnabled,
  } satisfies Preferences
}

export function createPreferencesSlice(
  initial: Preferences,
  storage: PreferenceStorage | null,
): TackSlice<PreferencesSlice> {
  return (set, get) => {
    function update(change: Partial<Preferences>): void {
      const preferences = { ...get().preferences, ...change }
      set({ preferences })
      try {
        storage?.setItem(PREFERENCES_KEY, JSON.stringify(preferences))
      } catch {
        // Storage full or blocked: the preference still holds for this session.
      }
    }

    return {
      preferences: initial,

      setLanguage(language) {
        update({ language })
      },

      setTheme(theme) {
        update({ theme })
      },

      setNotificationsEnabled(notificationsEnabled) {
        update({ notificationsEnabled })
      },
    }
  }
}
