// The left nav: the main views, and who is signed in with a way to sign out.
import { useTranslation } from 'react-i18next'
import { formatCount } from '../format/number'
import { selectMe, selectTotalUnread } from '../store/selectors'
import { useTack } from '../store/store-context'
import type { MainView } from '../store/navigation-slice'
import { Avatar } from './avatar'

export function NavRail() {
  const { t, i18n } = useTranslation()
  const view = useTack((state) => state.view)
  const showView = useTack((state) => state.showView)
  const me = useTack(selectMe)
  const totalUnread = useTack(selectTotalUnread)
  const logout = useTack((state) => state.logout)

  const item = (target: MainView, label: string, testId: string, badge?: number) => (
    <li>
      <button
        type="button"
        className="nav-item"
        aria-current={view === target ? 'page' : undefined}
        onClick={() => showView(target)}
        data-testid={testId}
      >
        <span>{label}</span>
        {badge ? (
          <span className="badge" aria-label={t('nav.unread', { total: badge })}>
            {formatCount(badge, i18n.language)}
          </span>
        ) : null}
      </button>
    </li>
  )

  return (
    <nav className="nav-rail" aria-label={t('nav.label')}>
      <div className="nav-brand">{t('app.name')}</div>
      <ul className="nav-items">
        {item('chats', t('nav.chats'), 'nav-chats', totalUnread)}
        {item('contacts', t('nav.contacts'), 'nav-contacts')}
        {item('workbench', t('workbench.nav'), 'nav-workbench')}
        {item('settings', t('nav.settings'), 'nav-settings')}
      </ul>
      {me && (
        <div className="nav-me">
          <Avatar name={me.name} color={me.avatarColor} size="sm" />
          <span className="nav-me-name" data-testid="me-name" title={me.username}>
            {me.name}
          </span>
          <button
            type="button"
            className="button subtle"
            onClick={() => void logout()}
            data-testid="sign-out"
          >
            {t('nav.signOut')}
          </button>
        </div>
      )}
    </nav>
  )
}
