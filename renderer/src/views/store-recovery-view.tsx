// The recovery screen: the account's local database would not open. Says why in plain words,
// that nothing was deleted, and offers the way out: put the old file aside and sign in again,
// so sync downloads the conversations into a new database.
import { useTranslation } from 'react-i18next'
import { errorText } from '../i18n/error-text'
import { useTack } from '../store/store-context'
import { FullPageMessage } from './full-page-message'

export function StoreRecoveryView() {
  const { t } = useTranslation()
  const problem = useTack((state) => state.storeProblem)
  const pending = useTack((state) => state.recoverPending)
  const error = useTack((state) => state.recoverError)
  const recoverStore = useTack((state) => state.recoverStore)

  return (
    <FullPageMessage title={t('recovery.title')} role="alert">
      <div data-testid="store-problem" data-kind={problem?.kind}>
        {problem && <p>{t(`recovery.kind.${problem.kind}`)}</p>}
        <p>{t('recovery.explain')}</p>
        {problem && (
          <p className="muted" data-testid="store-problem-detail">
            {t('recovery.detail', { message: problem.message })}
          </p>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {t('recovery.failed', { message: errorText(t, error) })}
        </p>
      )}
      <button
        type="button"
        className="button primary"
        data-testid="store-recover"
        disabled={pending}
        onClick={() => void recoverStore()}
      >
        {pending ? t('recovery.recovering') : t('recovery.recover')}
      </button>
    </FullPageMessage>
  )
}
