// Settings' "Storage used": the signed-in account's local database (with its WAL) and its file
// folder on this device, measured when the section shows and on request, sizes by locale.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StorageUsageView } from '../../../shared/host-api'
import { formatBytes } from '../format/number'
import { errorText } from '../i18n/error-text'
import { describeError, type ErrorInfo } from '../store/errors'
import { useTack } from '../store/store-context'

type Measure =
  | { kind: 'measuring' }
  | { kind: 'done'; usage: StorageUsageView }
  | { kind: 'failed'; error: ErrorInfo }

export function StorageSection() {
  const { t, i18n } = useTranslation()
  const measureStorage = useTack((state) => state.measureStorage)
  const [measure, setMeasure] = useState<Measure>({ kind: 'measuring' })

  const settle = useCallback(
    (measuring: Promise<StorageUsageView>, live: () => boolean = () => true) =>
      measuring.then(
        (usage) => live() && setMeasure({ kind: 'done', usage }),
        (reason: unknown) => live() && setMeasure({ kind: 'failed', error: describeError(reason) }),
      ),
    [],
  )

  useEffect(() => {
    let live = true
    void settle(measureStorage(), () => live)
    return () => {
      live = false
    }
  }, [measureStorage, settle])

  function run(): void {
    setMeasure({ kind: 'measuring' })
    void settle(measureStorage())
  }

  const size = (bytes: number) => formatBytes(bytes, i18n.language)
  return (
    <section
      className="settings-section"
      aria-labelledby="settings-storage"
      aria-busy={measure.kind === 'measuring'}
      data-testid="settings-storage"
    >
      <h3 id="settings-storage">{t('settings.storage.title')}</h3>
      {measure.kind === 'measuring' && <p className="muted">{t('settings.storage.measuring')}</p>}
      {measure.kind === 'failed' && (
        <p className="error" role="alert">
          {t('settings.storage.failed', { message: errorText(t, measure.error) })}
        </p>
      )}
      {measure.kind === 'done' && (
        <dl>
          <div className="settings-row">
            <dt>{t('settings.storage.database')}</dt>
            <dd data-testid="settings-storage-database">{size(measure.usage.databaseBytes)}</dd>
          </div>
          <div className="settings-row">
            <dt>{t('settings.storage.files')}</dt>
            <dd data-testid="settings-storage-files">{size(measure.usage.filesBytes)}</dd>
          </div>
          <div className="settings-row">
            <dt>{t('settings.storage.total')}</dt>
            <dd data-testid="settings-storage-total">
              {size(measure.usage.databaseBytes + measure.usage.filesBytes)}
            </dd>
          </div>
        </dl>
      )}
      <button
        type="button"
        className="button small"
        onClick={run}
        disabled={measure.kind === 'measuring'}
        data-testid="settings-storage-refresh"
      >
        {t('settings.storage.refresh')}
      </button>
    </section>
  )
}
