// The host did not answer at start. The link keeps retrying; when it answers, the app moves on.
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'
import { FullPageMessage } from './full-page-message'

export function HostUnreachableView() {
  const { t } = useTranslation()
  const startError = useTack((state) => state.startError)
  return (
    <FullPageMessage title={t('unreachable.title')} role="alert">
      <p>{t('unreachable.body')}</p>
      {startError && (
        <p className="muted">{t('unreachable.detail', { message: startError.message })}</p>
      )}
      <p className="muted">{t('unreachable.waiting')}</p>
    </FullPageMessage>
  )
}
