// The workbench: the organisation's micro-apps as a grid, each opened app in its own tab, the
// host UI its calls wait on, and the JS-API panel listing every call.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'
import '../styles/workbench.css'
import { AppGrid } from './app-grid'
import { JsApiDialog } from './jsapi-dialog'
import { JsApiPanel } from './jsapi-panel'
import { MicroAppPane } from './micro-app-pane'
import { WorkbenchToasts } from './workbench-toasts'

export function WorkbenchView({ visible }: { visible: boolean }) {
  const { t } = useTranslation()
  const tabs = useTack((state) => state.tabs)
  const microApps = useTack((state) => state.microApps)
  const activeTabId = useTack((state) => state.activeTabId)
  const showTab = useTack((state) => state.showTab)
  const closeTab = useTack((state) => state.closeTab)
  const refreshMicroApps = useTack((state) => state.refreshMicroApps)

  useEffect(() => {
    if (visible) void refreshMicroApps()
  }, [visible, refreshMicroApps])

  return (
    <section className="workbench" hidden={!visible} data-testid="workbench">
      <div className="workbench-main">
        <div className="workbench-tabs" role="tablist" aria-label={t('workbench.title')}>
          <button
            type="button"
            role="tab"
            className="workbench-tab"
            aria-selected={activeTabId === null}
            onClick={() => showTab(null)}
            data-testid="workbench-home"
          >
            {t('workbench.home')}
          </button>
          {tabs.map((tab) => (
            <span key={tab.tabId} className="workbench-tab-wrap">
              <button
                type="button"
                role="tab"
                className="workbench-tab"
                aria-selected={activeTabId === tab.tabId}
                onClick={() => showTab(tab.tabId)}
                data-testid="microapp-tab"
                data-agent-id={tab.agentId}
              >
                {tab.title}
              </button>
              <button
                type="button"
                className="workbench-tab-close"
                aria-label={t('workbench.close')}
                onClick={() => closeTab(tab.tabId)}
                data-testid="microapp-tab-close"
              >
                ×
              </button>
            </span>
          ))}
        </div>
        <div className="workbench-body">
          {activeTabId === null && <AppGrid />}
          {tabs.map((tab) => {
            const app = microApps.find((candidate) => candidate.agentId === tab.agentId)
            return app ? (
              <MicroAppPane
                key={tab.tabId}
                tab={tab}
                app={app}
                active={tab.tabId === activeTabId}
              />
            ) : null
          })}
        </div>
      </div>
      <JsApiPanel />
      <JsApiDialog />
      <WorkbenchToasts />
    </section>
  )
}
