// Sign-in: server address (pre-filled with the local server), username and password.
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorDetail, errorText, signedOutText } from '../i18n/error-text'
import { useTack } from '../store/store-context'

export function LoginView() {
  const { t } = useTranslation()
  const defaultServerAddress = useTack((state) => state.defaultServerAddress)
  const signedOutReason = useTack((state) => state.signedOutReason)
  const signedOutCode = useTack((state) => state.signedOutCode)
  const recovered = useTack((state) => state.recovered)
  const keptAs = recovered?.movedAside.find((move) => /\.broken-[^-.]+$/.test(move.to))?.to
  const loginPending = useTack((state) => state.loginPending)
  const loginError = useTack((state) => state.loginError)
  const login = useTack((state) => state.login)
  const [serverAddress, setServerAddress] = useState(defaultServerAddress)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    if (loginPending) return
    void login({ serverAddress: serverAddress.trim(), username: username.trim(), password })
  }

  return (
    <main className="login-page">
      <form
        className="login-card"
        onSubmit={submit}
        aria-labelledby="login-title"
        data-testid="login-form"
      >
        <h1 id="login-title">{t('login.title')}</h1>

        {keptAs && (
          <p className="notice" role="status" data-testid="store-recovered">
            {t('recovery.done', { path: keptAs })}
          </p>
        )}

        {signedOutCode && (
          <p
            className="notice"
            role="status"
            data-testid="signed-out-reason"
            data-code={signedOutCode}
            title={signedOutReason ? errorDetail(t, signedOutReason) : undefined}
          >
            {signedOutText(t, signedOutCode)}
          </p>
        )}

        <label className="field">
          <span>{t('login.server')}</span>
          <input
            data-testid="login-server"
            value={serverAddress}
            onChange={(event) => setServerAddress(event.target.value)}
            autoComplete="url"
            spellCheck={false}
            required
          />
        </label>

        <label className="field">
          <span>{t('login.username')}</span>
          <input
            data-testid="login-username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            autoComplete="username"
            spellCheck={false}
            autoFocus
            required
          />
        </label>

        <label className="field">
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="current-password"
            required
          />
        </label>

        {loginError && (
          <p
            className="error"
            role="alert"
            data-testid="login-error"
            data-code={loginError.code}
            title={errorDetail(t, loginError.message)}
          >
            {loginError.code === 'BAD_CREDENTIALS'
              ? t('login.badCredentials')
              : errorText(t, loginError)}
          </p>
        )}

        <button
          type="submit"
          className="button primary"
          data-testid="login-submit"
          disabled={loginPending}
        >
          {loginPending ? t('login.submitting') : t('login.submit')}
        </button>

        <p className="hint">{t('login.demoHint')}</p>
      </form>
    </main>
  )
}
