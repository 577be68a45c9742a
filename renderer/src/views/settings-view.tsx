// Settings: who is signed in, the language, the theme, desktop notifications, the network
// diagnostics and the storage used. Preferences apply at once and are kept on this device
// (preferences-slice.ts).
import { useTranslation } from 'react-i18next'
import { LANGUAGES, type Language } from '../i18n/i18n'
import type { ThemePreference } from '../store/preferences-slice'
import { selectMe } from '../store/selectors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { NetworkDiagnosticsPanel } from './network-diagnostics'
import { DevicesSection } from './settings-devices'
import { NotificationsSection } from './settings-notifications'
import { StorageSection } from './settings-storage'

const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark']

export function SettingsView() {
  const { t } = useTranslation()
  return (
    <section className="settings-view" aria-labelledby="settings-title" data-testid="settings">
      <h2 id="settings-title" tabIndex={-1} data-view-heading>
        {t('settings.title')}
      </h2>
      <ProfileSection />
      <LanguageSection />
      <ThemeSection />
      <NotificationsSection />
      <DevicesSection />
      <section className="settings-section" aria-labelledby="settings-network">
        <h3 id="settings-network">{t('settings.network')}</h3>
        <NetworkDiagnosticsPanel />
      </section>
      <StorageSection />
    </section>
  )
}

function ProfileSection() {
  const { t } = useTranslation()
  const me = useTack(selectMe)
  const serverAddress = useTack((state) => state.session?.serverAddress ?? '')
  if (!me) return null
  return (
    <section className="settings-section" aria-labelledby="settings-profile">
      <h3 id="settings-profile">{t('settings.profile')}</h3>
      <div className="settings-profile">
        <Avatar name={me.name} color={me.avatarColor} />
        <dl>
          <div className="settings-row">
            <dt>{t('settings.username')}</dt>
            <dd data-testid="settings-username">{me.username}</dd>
          </div>
          <div className="settings-row">
            <dt>{t('settings.jobTitle')}</dt>
            <dd>{me.title}</dd>
          </div>
          <div className="settings-row">
            <dt>{t('settings.server')}</dt>
            <dd>{serverAddress}</dd>
          </div>
        </dl>
      </div>
    </section>
  )
}

function LanguageSection() {
  const { t } = useTranslation()
  const language = useTack((state) => state.preferences.language)
  const setLanguage = useTack((state) => state.setLanguage)
  return (
    <section className="settings-section">
      <label className="field">
        <span className="settings-heading">{t('settings.language')}</span>
        <select
          value={language}
          onChange={(event) => setLanguage(event.target.value as Language)}
          data-testid="settings-language"
        >
          {LANGUAGES.map((code) => (
            // Each language is named in itself, so it can be found whatever the UI shows.
            <option key={code} value={code} lang={code}>
              {t(`settings.languages.${code}`)}
            </option>
          ))}
        </select>
      </label>
    </section>
  )
}

function ThemeSection() {
  const { t } = useTranslation()
  const theme = useTack((state) => state.preferences.theme)
  const setTheme = useTack((state) => state.setTheme)
  return (
    <section className="settings-section">
      <fieldset className="settings-choices" data-testid="settings-theme">
        <legend className="settings-heading">{t('settings.theme')}</legend>
        {THEMES.map((option) => (
          <label key={option} className="settings-choice">
            <input
              type="radio"
              name="theme"
              value={option}
              checked={theme === option}
              onChange={() => setTheme(option)}
              data-testid={`settings-theme-${option}`}
            />
            <span>{t(`settings.themes.${option}`)}</span>
          </label>
        ))}
      </fieldset>
    </section>
  )
}
