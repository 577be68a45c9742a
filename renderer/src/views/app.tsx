// The root view: which page shows follows the session phase.
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'
import { FullPageMessage } from './full-page-message'
import { HostUnreachableView } from './host-unreachable-view'
import { LoginView } from './login-view'
import { MainLayout } from './main-layout'
import { StoreRecoveryView } from './store-recovery-view'

export function App() {
  const { t } = useTranslation()
  const phase = useTack((state) => state.phase)
  switch (phase) {
    case 'starting':
      return <FullPageMessage title={t('app.starting')} />
    case 'unreachable':
      return <HostUnreachableView />
    case 'storeProblem':
      return <StoreRecoveryView />
    case 'signedOut':
      return <LoginView />
    case 'signedIn':
      return <MainLayout />
  }
}
