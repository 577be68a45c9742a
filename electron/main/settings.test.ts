import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chooseLocale, DEFAULT_SETTINGS, SettingsFile } from './settings'

describe('SettingsFile', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tack-settings-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives the defaults when there is no file yet', async () => {
    expect(await new SettingsFile(join(dir, 'settings.json')).load()).toEqual(DEFAULT_SETTINGS)
  })

  it('keeps a change across restarts', async () => {
    const path = join(dir, 'settings.json')
    await new SettingsFile(path).update({ openAtLogin: true, locale: 'en' })
    const reloaded = await new SettingsFile(path).load()
    expect(reloaded).toMatchObject({ openAtLogin: true, locale: 'en' })
    expect(JSON.parse(await readFile(path, 'utf8')).openAtLogin).toBe(true)
  })

  it('falls back per field for damaged values, and for a damaged file', async () => {
    const path = join(dir, 'settings.json')
    await writeFile(path, JSON.stringify({ openAtLogin: 'yes', updateFeedUrl: 'http://plain' }))
    expect(await new SettingsFile(path).load()).toMatchObject({
      openAtLogin: false,
      updateFeedUrl: null,
    })
    await writeFile(path, '{ not json')
    expect(await new SettingsFile(path).load()).toEqual(DEFAULT_SETTINGS)
  })

  it('takes an https update feed from the file', async () => {
    const path = join(dir, 'settings.json')
    await writeFile(path, JSON.stringify({ updateFeedUrl: 'https://updates.example.com/tack' }))
    expect((await new SettingsFile(path).load()).updateFeedUrl).toBe(
      'https://updates.example.com/tack',
    )
  })
})

describe('chooseLocale', () => {
  it('follows the setting, else the system: Chinese for zh-*, English otherwise', () => {
    expect(chooseLocale('en', 'zh-CN')).toBe('en')
    expect(chooseLocale(null, 'zh-TW')).toBe('zh-CN')
    expect(chooseLocale(null, 'de-DE')).toBe('en')
  })
})
