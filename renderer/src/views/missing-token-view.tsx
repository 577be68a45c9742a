// Browser mode opened without the launch token: say where to get the right URL.
import { useTranslation } from 'react-i18next'
import { FullPageMessage } from './full-page-message'

export function MissingTokenView() {
  const { t } = useTranslation()
  return (
    <FullPageMessage title={t('missingToken.title')} role="alert">
      <p data-testid="missing-token">{t('missingToken.body')}</p>
    </FullPageMessage>
  )
}
