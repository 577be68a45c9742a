// The JS-API panel: every call from every micro-app, newest last, with its parameters, its result
// or error and how long it took.
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'

export function JsApiPanel() {
  const { t } = useTranslation()
  const calls = useTack((state) => state.calls)
  const clearCalls = useTack((state) => state.clearCalls)

  return (
    <aside className="jsapi-panel" aria-label={t('workbench.panel')} data-testid="jsapi-panel">
      <header className="jsapi-panel-head">
        <h3>{t('workbench.panel')}</h3>
        <button type="button" className="button subtle" onClick={clearCalls}>
          {t('workbench.clear')}
        </button>
      </header>
      {calls.length === 0 && <p className="muted">{t('workbench.panelEmpty')}</p>}
      <ol className="jsapi-calls">
        {calls.map((call) => (
          <li
            key={call.seq}
            className={`jsapi-call jsapi-call-${call.status}`}
            data-testid="jsapi-call"
            data-method={call.method}
            data-status={call.status}
            data-error-code={call.error?.errorCode ?? ''}
          >
            <div className="jsapi-call-head">
              <code className="jsapi-method">{call.method}</code>
              <span className="jsapi-duration">
                {call.durationMs === null ? t('workbench.pending') : `${call.durationMs} ms`}
              </span>
            </div>
            <pre className="jsapi-json">{compact(call.params)}</pre>
            {call.status === 'ok' && (
              <pre className="jsapi-json jsapi-result" data-testid="jsapi-call-result">
                {compact(call.result)}
              </pre>
            )}
            {call.error && (
              <pre className="jsapi-json jsapi-error" data-testid="jsapi-call-error">
                {`${call.error.errorCode} ${call.error.error}: ${call.error.errorMessage}`}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </aside>
  )
}

/** Short JSON for the panel; long values are cut, codes in results shown as they are. */
function compact(value: unknown): string {
  const text = JSON.stringify(value ?? {}) ?? ''
  return text.length > 400 ? `${text.slice(0, 400)}…` : text
}
