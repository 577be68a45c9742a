// Always-visible connection state: the core's link to the server (and this page's to its host).
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { secondsUntil } from '../format/time'
import { useTack } from '../store/store-context'
import { NetworkDiagnosticsPanel } from './network-diagnostics'
import { useNow } from './use-now'

export function ConnectionStrip() {
  const { t } = useTranslation()
  const connection = useTack((state) => state.connection)
  const hostLink = useTack((state) => state.hostLink)
  const retryNow = useTack((state) => state.retryNow)
  const hostDown = hostLink === 'down'
  const { status, retryAt } = connection
  const now = useNow(status === 'waiting' && retryAt !== null)
  const [showDetails, setShowDetails] = useState(false)

  let text: string
  if (hostDown) text = t('connection.hostLost')
  else if (status === 'waiting') {
    text =
      retryAt === null
        ? t('connection.waitingSoon')
        : t('connection.waiting', { seconds: secondsUntil(retryAt, now) })
  } else text = t(`connection.${status}`)

  const canRetry = !hostDown && (status === 'waiting' || status === 'offline')

  return (
    <>
      <div
        className={`connection-strip status-${hostDown ? 'host-down' : status}`}
        role="status"
        aria-label={t('connection.label')}
        data-testid="connection-status"
        data-status={status}
        data-host-link={hostLink}
      >
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-text">{text}</span>
        {canRetry && (
          <button
            type="button"
            className="button small"
            onClick={() => void retryNow()}
            data-testid="retry-now"
          >
            {t('connection.retryNow')}
          </button>
        )}
        <button
          type="button"
          className="button small"
          onClick={() => setShowDetails((shown) => !shown)}
          aria-expanded={showDetails}
          data-testid="network-details"
        >
          {t(showDetails ? 'connection.hideDetails' : 'connection.details')}
        </button>
      </div>
      {showDetails && <NetworkDiagnosticsPanel />}
    </>
  )
}
