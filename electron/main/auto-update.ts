// Updates through electron-updater from a generic feed whose address is configuration
// (settings.json's updateFeedUrl, or TACK_UPDATE_URL), never a default baked into the code. Only
// a packaged app updates; a development run, or one without a feed, says so and skips.
import type { AppUpdater } from 'electron-updater'
import { createLogger } from '../../shared/logger'

const log = createLogger('auto-update')

const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

export type UpdatePlan = { check: true; feedUrl: string } | { check: false; reason: string }

export function planUpdates(options: {
  isPackaged: boolean
  settingsFeedUrl: string | null
  environmentFeedUrl: string | undefined
}): UpdatePlan {
  if (!options.isPackaged) return { check: false, reason: 'a development run does not update' }
  const feedUrl = options.settingsFeedUrl ?? httpsOrNull(options.environmentFeedUrl)
  if (!feedUrl) return { check: false, reason: 'no update feed configured' }
  return { check: true, feedUrl }
}

export interface Updater {
  checkNow(): void
  stop(): void
}

/** Starts checking the feed now and every few hours; downloads install on quit. */
export async function startAutoUpdate(feedUrl: string): Promise<Updater> {
  const autoUpdater = await loadAutoUpdater()
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl })
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.on('error', (error: Error) => log.warn({ err: error }, 'update check failed'))
  autoUpdater.on('update-downloaded', (info: { version: string }) =>
    log.info({ version: info.version }, 'update downloaded; installs when Tack quits'),
  )

  const checkNow = (): void => {
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => {
      log.warn({ err: error }, 'update check failed')
    })
  }
  checkNow()
  const timer = setInterval(checkNow, CHECK_EVERY_MS)
  timer.unref()
  log.info({ feedUrl }, 'auto-update on')
  return { checkNow, stop: () => clearInterval(timer) }
}

/**
 * electron-updater, loaded only here: it needs the real 'electron' module. It is CommonJS and
 * defines autoUpdater with a getter, which an ESM import does not list as a named export, so it
 * is read from the module itself.
 */
async function loadAutoUpdater(): Promise<AppUpdater> {
  const loaded = (await import('electron-updater')) as {
    autoUpdater?: AppUpdater
    default?: { autoUpdater?: AppUpdater }
  }
  const autoUpdater = loaded.default?.autoUpdater ?? loaded.autoUpdater
  if (!autoUpdater) throw new Error('electron-updater has no autoUpdater')
  return autoUpdater
}

function httpsOrNull(url: string | undefined): string | null {
  if (!url) return null
  try {
    return new URL(url).protocol === 'https:' ? url : null
  } catch {
    return null
  }
}
