// Keeps the page in step with the store's preferences: i18next's language and <html lang>, and
// the theme as <html data-theme="light|dark"> (the stylesheet's custom properties follow it),
// re-resolved when the system's colour scheme changes while the theme follows the system.
import type { i18n as I18n } from 'i18next'
import type { ThemePreference } from '../store/preferences-slice'
import type { TackStore } from '../store/store'

export type Theme = 'light' | 'dark'

export function resolveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light'
  return preference
}

export function applyPreferences(store: TackStore, i18n: I18n, page: Window): () => void {
  const root = page.document.documentElement
  const systemDark = page.matchMedia('(prefers-color-scheme: dark)')

  function apply(): void {
    const { language, theme } = store.getState().preferences
    if (i18n.language !== language) void i18n.changeLanguage(language)
    root.lang = language
    root.dataset.theme = resolveTheme(theme, systemDark.matches)
  }

  apply()
  const stopStore = store.subscribe((state, previous) => {
    if (state.preferences !== previous.preferences) apply()
  })
  systemDark.addEventListener('change', apply)
  return () => {
    stopStore()
    systemDark.removeEventListener('change', apply)
  }
}
