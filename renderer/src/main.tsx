// The renderer's entry: find the host, make the store, bind it to the host's events, render.
// zod-jitless comes first: it must run before any module builds a schema.
import './zod-jitless'
import { StrictMode, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { findHost } from './host/find-host'
import { createI18n, detectLanguage } from './i18n/i18n'
import { bindHost } from './store/bind-host'
import { createTackStore } from './store/store'
import { TackStoreProvider } from './store/store-context'
import './styles/app.css'
import { App } from './views/app'
import { MissingTokenView } from './views/missing-token-view'

function start(): void {
  const language = detectLanguage(
    navigator.languages.length ? navigator.languages : [navigator.language],
  )
  const i18n = createI18n(language)
  document.documentElement.lang = language

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
  const store = createTackStore(host.connection.api)
  bindHost(store, host.connection)
  render(
    <TackStoreProvider store={store}>
      <App />
    </TackStoreProvider>,
  )
}

start()
