// The renderer's entry: read the preferences, find the host, make the store, bind it to the
// host's events and the page (language, theme, title, notifications), render.
// zod-jitless comes first: it must run before any module builds a schema.
import './zod-jitless'
import { StrictMode, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { findHost } from './host/find-host'
import { createI18n, detectLanguage } from './i18n/i18n'
import { notifyNewMessages } from './notifications/notify-new-messages'
import { reportAttention } from './notifications/report-attention'
import { watchUnread } from './notifications/unread-title'
import { applyPreferences, resolveTheme } from './preferences/apply-preferences'
import { bindHost } from './store/bind-host'
import { defaultPreferences, loadPreferences } from './store/preferences-slice'
import { createTackStore } from './store/store'
import { TackStoreProvider } from './store/store-context'
import './styles/app.css'
import { App } from './views/app'
import { MissingTokenView } from './views/missing-token-view'

function start(): void {
  const detected = detectLanguage(
    navigator.languages.length ? navigator.languages : [navigator.language],
  )
  const storage = localStorageOrNull()
  const preferences = loadPreferences(storage, defaultPreferences(detected))
  const i18n = createI18n(preferences.language)
  document.documentElement.lang = preferences.language
  document.documentElement.dataset.theme = resolveTheme(
    preferences.theme,
    window.matchMedia('(prefers-color-scheme: dark)').matches,
  )

  const container = document.getElementById('root')
  if (!container) throw new Error('index.html has no #root element')
  const render = (view: ReactNode) =>
    createRoot(container).render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>{view}</I18nextProvider>
      </StrictMode>,
    )

  const host = findHost(window)
  if (host.kind === 'missing-token') {
    render(<MissingTokenView />)
    return
  }
  const store = createTackStore(host.connection.api, { preferences, storage })
  bindHost(store, host.connection)
  applyPreferences(store, i18n, window)
  watchUnread(store, i18n, window)
  notifyNewMessages(store, i18n, window)
  reportAttention(store, host.connection.api)
  // A draft typed in the last moment before the window closes or reloads is saved too.
  window.addEventListener('pagehide', () => void store.getState().flushDrafts())
  void store.getState().loadHostInfo()
  render(
    <TackStoreProvider store={store}>
      <App />
    </TackStoreProvider>,
  )
}

/** localStorage, or null where the page may not use it (then preferences last one session). */
function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

start()
