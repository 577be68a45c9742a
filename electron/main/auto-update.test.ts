import { describe, expect, it, vi } from 'vitest'
import { planUpdates, startAutoUpdate } from './auto-update'

// electron-updater is CommonJS; under Electron an import gives its exports as `default` only.
const autoUpdater = vi.hoisted(() => ({
  setFeedURL: vi.fn(),
  checkForUpdatesAndNotify: vi.fn(async () => null),
  on: vi.fn(),
  autoDownload: false,
  autoInstallOnAppQuit: false,
  isTestDouble: true,
}))
vi.mock('electron-updater', () => ({ default: { autoUpdater } }))

describe('planUpdates', () => {
  it('checks the configured feed in a packaged app', () => {
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: 'https://updates.example.com/tack',
        environmentFeedUrl: 'https://other.example.com',
      }),
    ).toEqual({ check: true, feedUrl: 'https://updates.example.com/tack' })
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: null,
        environmentFeedUrl: 'https://u.example',
      }),
    ).toEqual({ check: true, feedUrl: 'https://u.example' })
  })

  it('does not update a development run, nor without an https feed', () => {
    const feed = 'https://updates.example.com/tack'
    expect(
      planUpdates({ isPackaged: false, settingsFeedUrl: feed, environmentFeedUrl: undefined }),
    ).toMatchObject({ check: false })
    expect(
      planUpdates({ isPackaged: true, settingsFeedUrl: null, environmentFeedUrl: undefined }),
    ).toEqual({ check: false, reason: 'no update feed configured' })
    expect(
      planUpdates({
        isPackaged: true,
        settingsFeedUrl: null,
        environmentFeedUrl: 'http://plain.example',
      }),
    ).toMatchObject({ check: false })
  })
})

describe('startAutoUpdate (electron-updater replaced by a test double)', () => {
  it('points electron-updater at the configured generic feed and checks at once', async () => {
    expect(autoUpdater.isTestDouble).toBe(true)
    const updater = await startAutoUpdate('https://updates.example.com/tack')
    expect(autoUpdater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://updates.example.com/tack',
    })
    expect(autoUpdater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(1)
    expect(autoUpdater.autoInstallOnAppQuit).toBe(true)
    updater.checkNow()
    expect(autoUpdater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(2)
    updater.stop()
  })
})
