// One open micro-app: its title bar (title, the buttons it set, reload) over a sandboxed iframe.
// The frame gets scripts and its own origin's storage, never the host's origin: an app served from
// Tack's own origin is refused. No popups and no top navigation: links out go through openLink.
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MicroAppView } from '../../../shared/jsapi/host-types'
import { connectFrame, type FrameBridge } from '../microapps/bridge'
import { createWebview, isElectronHost, type WebviewElement } from '../microapps/webview-bridge'
import { withStartPath, type MicroAppTab } from '../store/workbench-slice'
import { useTack, useTackStore } from '../store/store-context'

const SANDBOX = 'allow-scripts allow-same-origin allow-forms'

export function MicroAppPane({
  tab,
  app,
  active,
}: {
  tab: MicroAppTab
  app: MicroAppView
  active: boolean
}) {
  const { t } = useTranslation()
  const store = useTackStore()
  const reloadTab = useTack((state) => state.reloadTab)
  const frameRef = useRef<HTMLIFrameElement>(null)
  /** What a nav button's click goes through: the iframe's bridge, or the webview's. */
  const bridgeRef = useRef<Pick<FrameBridge, 'fire'> | null>(null)
  const sameOrigin = new URL(app.homeUrl).origin === window.location.origin
  const electron = isElectronHost()
  const [src, setSrc] = useState<{ url: string | null; problem: string | null }>({
    url: null,
    problem: null,
  })

  // The home URL, or where an OAuth2 authorize URL sends this person (with a fresh code).
  useEffect(() => {
    let current = true
    store
      .getState()
      .resolveHomeUrl(app)
      .then((home) => withStartPath(home, tab.startPath))
      .then(
        (url) => current && setSrc({ url, problem: null }),
        (error: unknown) => current && setSrc({ url: null, problem: String(error) }),
      )
    return () => {
      current = false
    }
  }, [store, app, tab.reloads, tab.startPath])
  const webviewHolder = useRef<HTMLDivElement>(null)
  const webviewRef = useRef<WebviewElement | null>(null)

  // Under Electron: a <webview> on the app's own partition, with Tack's preload (see main/).
  useEffect(() => {
    const holder = webviewHolder.current
    if (!electron || !holder || sameOrigin || !src.url) return
    const { webview, fire, close } = createWebview(store, app, tab.tabId, src.url)
    webviewRef.current = webview
    bridgeRef.current = { fire }
    holder.replaceChildren(webview)
    return () => {
      close()
      holder.replaceChildren()
      webviewRef.current = null
      bridgeRef.current = null
    }
  }, [electron, store, app, tab.tabId, tab.reloads, src.url, sameOrigin])

  useEffect(() => {
    const frame = frameRef.current
    if (electron || !frame || sameOrigin || !src.url) return
    const bridge = connectFrame(store, frame, app, tab.tabId)
    bridgeRef.current = bridge
    const onLoad = () => {
      store.getState().pageLoaded(tab.tabId)
      bridge.hello()
    }
    frame.addEventListener('load', onLoad)
    return () => {
      frame.removeEventListener('load', onLoad)
      bridge.close()
    }
  }, [electron, store, app, tab.tabId, tab.reloads, src.url, sameOrigin])

  const navButton = (side: 'left' | 'right') => {
    const button = tab[side]
    if (!button) return null
    return (
      <button
        type="button"
        className="button subtle"
        onClick={() => bridgeRef.current?.fire(button.callId, {})}
        data-testid={`microapp-nav-${side}`}
      >
        {button.text}
      </button>
    )
  }

  return (
    <div className="micro-app-pane" hidden={!active} data-testid="microapp-pane">
      <div className="micro-app-bar">
        {navButton('left')}
        <span className="micro-app-title" data-testid="microapp-title">
          {tab.title}
        </span>
        <button
          type="button"
          className="button subtle"
          onClick={() => reloadTab(tab.tabId)}
          data-testid="microapp-reload"
        >
          {t('workbench.reload')}
        </button>
        {electron && (
          <button
            type="button"
            className="button subtle"
            onClick={() => webviewRef.current?.openDevTools()}
          >
            {t('workbench.devTools')}
          </button>
        )}
        {navButton('right')}
      </div>
      {sameOrigin ? (
        <p className="error-text">{t('workbench.sameOrigin')}</p>
      ) : src.problem ? (
        <p className="error-text">{src.problem}</p>
      ) : !src.url ? null : electron ? (
        <div className="micro-app-webview" ref={webviewHolder} />
      ) : (
        <iframe
          key={tab.reloads}
          ref={frameRef}
          className="micro-app-frame"
          src={src.url}
          sandbox={SANDBOX}
          referrerPolicy="no-referrer"
          title={tab.title}
          data-testid="microapp-frame"
          data-agent-id={app.agentId}
        />
      )}
    </div>
  )
}
