// The network diagnostics panel under the connection strip: the smart heartbeat's current
// interval, the measured round trip and request timeout, and how the link has fared.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'

const REFRESH_MS = 2_000

export function NetworkDiagnosticsPanel() {
  const { t, i18n } = useTranslation()
  const diagnostics = useTack((state) => state.diagnostics)
  const loadDiagnostics = useTack((state) => state.loadDiagnostics)

  useEffect(() => {
    void loadDiagnostics()
    const timer = setInterval(() => void loadDiagnostics(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [loadDiagnostics])

  if (!diagnostics) return null
  const number = new Intl.NumberFormat(i18n.language)
  const ms = (value: number | null) =>
    value === null ? t('diagnostics.none') : t('diagnostics.ms', { value: number.format(value) })
  const rows: [string, string, string][] = [
    [
      'diagnostics-heartbeat',
      t('diagnostics.heartbeat'),
      t('diagnostics.heartbeatValue', {
        seconds: number.format(Math.round(diagnostics.heartbeatIntervalMs / 1000)),
        phase: t(`diagnostics.${diagnostics.heartbeatPhase}`),
      }),
    ],
    ['diagnostics-srtt', t('diagnostics.srtt'), ms(diagnostics.srttMs)],
    ['diagnostics-rto', t('diagnostics.rto'), ms(diagnostics.rtoMs)],
    [
      'diagnostics-tls',
      t('diagnostics.tlsResumed'),
      diagnostics.tlsSessionReused === null
        ? t('diagnostics.none')
        : t(diagnostics.tlsSessionReused ? 'diagnostics.yes' : 'diagnostics.no'),
    ],
    ['diagnostics-address', t('diagnostics.address'), diagnostics.address ?? t('diagnostics.none')],
    ['diagnostics-connects', t('diagnostics.connects'), number.format(diagnostics.connects)],
    [
      'diagnostics-last-close',
      t('diagnostics.lastClose'),
      diagnostics.lastCloseReason ?? t('diagnostics.none'),
    ],
  ]

  return (
    <section
      className="network-diagnostics"
      aria-label={t('diagnostics.label')}
      data-testid="network-diagnostics"
      data-heartbeat-ms={diagnostics.heartbeatIntervalMs}
    >
      <dl>
        {rows.map(([testId, label, value]) => (
          <div key={testId} className="diagnostics-row">
            <dt>{label}</dt>
            <dd data-testid={testId}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
