// Sync log retention: every user's log is pruned to the server's retention now and then. A device
// whose sync point falls below what is kept gets a reset (sync-stream.ts) instead of the items.
import { createLogger } from '../../shared/logger'
import type { Storage, SyncLogRetention } from '../storage/storage'

const log = createLogger('sync')

export interface Retention {
  /** Prunes now; returns how many items went. */
  prune(): number
  stop(): void
}

/** Prunes at once and then every `intervalMs`; without limits it keeps everything and never runs. */
export function startRetention(
  storage: Storage,
  retention: SyncLogRetention | undefined,
  intervalMs: number,
  pruned: () => void,
): Retention {
  const limited = retention?.keepItems !== undefined || retention?.keepMs !== undefined
  const prune = (): number => {
    if (!limited) return 0
    const started = Date.now()
    const items = storage.pruneSyncLogs(retention, started)
    if (items > 0) {
      log.info({ items, durationMs: Date.now() - started }, 'sync logs pruned')
      pruned()
    }
    return items
  }
  if (!limited) return { prune, stop: () => undefined }
  const timer = setInterval(() => {
    try {
      prune()
    } catch (error) {
      log.error({ err: error }, 'sync log pruning failed')
    }
  }, intervalMs)
  timer.unref()
  prune()
  return { prune, stop: () => clearInterval(timer) }
}
