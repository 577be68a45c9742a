// The organisation's micro-apps as a grid of tiles, and developer mode: add an app by URL.
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorDetail, errorText } from '../i18n/error-text'
import { describeError, type ErrorInfo } from '../store/errors'
import { useTack } from '../store/store-context'

export function AppGrid() {
  const { t } = useTranslation()
  const microApps = useTack((state) => state.microApps)
  const error = useTack((state) => state.microAppsError)
  const openMicroApp = useTack((state) => state.openMicroApp)
  const removeDevMicroApp = useTack((state) => state.removeDevMicroApp)

  return (
    <div className="app-grid-page">
      {error && (
        <p className="error-text" title={errorDetail(t, error.message)}>
          {t('workbench.loadFailed', { message: errorText(t, error) })}
        </p>
      )}
      {microApps.length === 0 && !error && <p className="muted">{t('workbench.noApps')}</p>}
      <ul className="app-grid" data-testid="app-grid">
        {microApps.map((app) => (
          <li key={app.agentId} className="app-tile-wrap">
            <button
              type="button"
              className="app-tile"
              onClick={() => openMicroApp(app.agentId)}
              title={app.description}
              data-testid="app-tile"
              data-agent-id={app.agentId}
            >
              <span className="app-icon" aria-hidden="true">
                {app.icon}
              </span>
              <span className="app-name">{app.name}</span>
              {app.developer && <span className="app-badge">{t('workbench.devBadge')}</span>}
              {app.packageVersion && (
                <span className="app-badge" data-testid="app-package-version">
                  📦 {app.packageVersion}
                </span>
              )}
            </button>
            {app.developer && (
              <button
                type="button"
                className="button subtle app-remove"
                onClick={() => void removeDevMicroApp(app.agentId)}
              >
                {t('workbench.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <DevAppForm />
    </div>
  )
}

function DevAppForm() {
  const { t } = useTranslation()
  const addDevMicroApp = useTack((state) => state.addDevMicroApp)
  const installMicroAppPackage = useTack((state) => state.installMicroAppPackage)
  const [url, setUrl] = useState('')
  const [name, setName] = useState('')
  const [problem, setProblem] = useState<ErrorInfo | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    try {
      await addDevMicroApp(url.trim(), name.trim() || undefined)
      setUrl('')
      setName('')
      setProblem(null)
    } catch (error) {
      setProblem(describeError(error))
    }
  }

  const install = async (file: File | undefined) => {
    if (!file) return
    try {
      await installMicroAppPackage(await file.arrayBuffer())
      setProblem(null)
    } catch (error) {
      setProblem(describeError(error))
    }
  }

  return (
    <form
      className="dev-app-form"
      onSubmit={(event) => void submit(event)}
      data-testid="dev-app-form"
    >
      <h3>{t('workbench.developer')}</h3>
      <p className="muted">{t('workbench.developerHint')}</p>
      <input
        type="url"
        required
        placeholder="http://localhost:5173/"
        aria-label={t('workbench.devUrl')}
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        data-testid="dev-app-url"
      />
      <input
        type="text"
        placeholder={t('workbench.devName')}
        aria-label={t('workbench.devName')}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="button" data-testid="dev-app-add">
        {t('workbench.devAdd')}
      </button>
      <label className="dev-app-package">
        {t('workbench.installPackage')}{' '}
        <input
          type="file"
          accept=".zip,application/zip"
          onChange={(event) => void install(event.target.files?.[0])}
          data-testid="dev-app-package"
        />
      </label>
      {problem && (
        <p className="error-text" data-testid="dev-app-problem">
          {/* Developer mode: the detail says what to fix (a package version, a URL). */}
          {errorText(t, problem)} {errorDetail(t, problem.message)}
        </p>
      )}
    </form>
  )
}
