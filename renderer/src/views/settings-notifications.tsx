// Settings' notifications: the switch, and which kind this Tack shows. Under Electron the system
// shows them (the main process, told by report-attention.ts) and the unread total is on the app
// icon; in a browser the page shows them once the browser allows it, and the total is in the
// tab's title.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { notificationsSupported } from '../notifications/notify-new-messages'
import { useTack } from '../store/store-context'

export function NotificationsSection() {
  const { t } = useTranslation()
  const enabled = useTack((state) => state.preferences.notificationsEnabled)
  const setEnabled = useTack((state) => state.setNotificationsEnabled)
  const native = useTack((state) => state.hostInfo?.nativeNotifications ?? false)
  const appBadge = useTack((state) => state.hostInfo?.appBadge ?? false)
  const supported = native || notificationsSupported(window)
  const [permission, setPermission] = useState(
    notificationsSupported(window) ? Notification.permission : 'denied',
  )
  const askBrowser = !native && supported

  // Browsers ask for permission only from a person's action: this change or the button.
  function askPermission(): void {
    if (askBrowser && Notification.permission === 'default') {
      void Notification.requestPermission().then(setPermission)
    }
  }

  function toggle(on: boolean): void {
    setEnabled(on)
    if (on) askPermission()
  }

  return (
    <section
      className="settings-section"
      aria-labelledby="settings-notifications-title"
      data-notifications={native ? 'native' : 'page'}
    >
      <h3 id="settings-notifications-title">{t('settings.notifications')}</h3>
      <label className="settings-choice">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(event) => toggle(event.target.checked)}
          disabled={!supported}
          data-testid="settings-notifications"
        />
        <span>{t('settings.notificationsToggle')}</span>
      </label>
      {!supported && <p className="muted">{t('settings.notificationsUnsupported')}</p>}
      {supported && (
        <p className="muted" data-testid="settings-notifications-kind">
          {t(native ? 'settings.notificationsNative' : 'settings.notificationsPage')}{' '}
          {t(appBadge ? 'settings.badgeNative' : 'settings.badgeTitle')}
        </p>
      )}
      {askBrowser && enabled && permission === 'default' && (
        <button
          type="button"
          className="button small"
          onClick={askPermission}
          data-testid="settings-notifications-allow"
        >
          {t('settings.notificationsAllow')}
        </button>
      )}
      {askBrowser && enabled && permission === 'denied' && (
        <p className="muted" role="status">
          {t('settings.notificationsBlocked')}
        </p>
      )}
    </section>
  )
}
