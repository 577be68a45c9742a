// Settings: my signed-in devices (up to five), each with when it was last seen, this one marked,
// two of the same name told apart by a tag from their ids, and "Sign out" for the others. The
// list follows devicesChanged, so a device signed in or out anywhere shows here at once.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { formatListTime } from '../format/time'
import { errorDetail, errorText, platformName } from '../i18n/error-text'
import { deviceTags } from '../store/devices-slice'
import { useTack } from '../store/store-context'
import { useNow } from './use-now'

export function DevicesSection() {
  const { t, i18n } = useTranslation()
  const devices = useTack((state) => state.devices)
  const signingOut = useTack((state) => state.signingOutDeviceId)
  const error = useTack((state) => state.devicesError)
  const refreshDevices = useTack((state) => state.refreshDevices)
  const signOutDevice = useTack((state) => state.signOutDevice)
  const now = useNow(true, 60_000)
  const tags = deviceTags(devices ?? [])

  useEffect(() => {
    void refreshDevices()
  }, [refreshDevices])

  return (
    <section className="settings-section" aria-labelledby="settings-devices" data-testid="devices">
      <h3 id="settings-devices">{t('devices.title')}</h3>
      <p className="muted">{t('devices.intro')}</p>
      {devices === null ? (
        <p className="muted">{t('devices.loading')}</p>
      ) : (
        <ul className="device-list">
          {[...devices]
            .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt)
            .map((device) => (
              <li key={device.deviceId} className="device-row" data-testid="device-row">
                <div className="device-info">
                  <span className="device-name" data-testid="device-name">
                    {device.name || t('devices.unnamed')}
                    {tags.has(device.deviceId) && (
                      <>
                        {' '}
                        <span className="muted device-tag" data-testid="device-tag">
                          {tags.get(device.deviceId)}
                        </span>
                      </>
                    )}
                  </span>
                  <span className="muted">
                    <span data-testid="device-platform">{platformName(t, device.platform)}</span>
                    {' · '}
                    {device.current ? (
                      <strong data-testid="device-current">{t('devices.thisDevice')}</strong>
                    ) : (
                      t('devices.lastSeen', {
                        time: formatListTime(device.lastSeenAt, now, i18n.language),
                      })
                    )}
                  </span>
                </div>
                {!device.current && (
                  <button
                    type="button"
                    className="button small"
                    disabled={signingOut !== null}
                    aria-label={t('devices.signOutLabel', {
                      name: [device.name, tags.get(device.deviceId)].filter(Boolean).join(' '),
                    })}
                    onClick={() => void signOutDevice(device.deviceId)}
                    data-testid="device-sign-out"
                  >
                    {signingOut === device.deviceId
                      ? t('devices.signingOut')
                      : t('devices.signOut')}
                  </button>
                )}
              </li>
            ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert" title={errorDetail(t, error.message)}>
          {t('devices.failed', { message: errorText(t, error) })}
        </p>
      )}
    </section>
  )
}
