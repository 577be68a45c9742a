// The shell's settings, kept in <userData>/settings.json: the menu language, start at login, the
// update feed, and the server an installed Tack offers on its login screen. A missing or damaged
// file gives the defaults; nothing here is secret.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { createLogger } from '../../shared/logger'

const log = createLogger('settings')

export const SHELL_LOCALES = ['zh-CN', 'en'] as const
export type ShellLocale = (typeof SHELL_LOCALES)[number]

const settingsSchema = z.object({
  /** The menus' language; null follows the system's. */
  locale: z.enum(SHELL_LOCALES).nullable().catch(null),
  openAtLogin: z.boolean().catch(false),
  /** Where electron-updater looks for new versions (a generic feed); null: no updates. */
  updateFeedUrl: z
    .url({ protocol: /^https$/ })
    .nullable()
    .catch(null),
  /** host:port of the server, and the PEM file of the CA to trust for it. */
  serverAddress: z.string().nullable().catch(null),
  caPath: z.string().nullable().catch(null),
  /** Show the message text in notifications. */
  notificationPreview: z.boolean().catch(true),
})

export type ShellSettings = z.infer<typeof settingsSchema>

export const DEFAULT_SETTINGS: ShellSettings = {
  locale: null,
  openAtLogin: false,
  updateFeedUrl: null,
  serverAddress: null,
  caPath: null,
  notificationPreview: true,
}

export class SettingsFile {
  private current: ShellSettings = DEFAULT_SETTINGS

  constructor(private readonly path: string) {}

  get value(): ShellSettings {
    return this.current
  }

  /** Reads the file; a field that does not check out falls back to its default. */
  async load(): Promise<ShellSettings> {
    let raw: unknown = {}
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn({ path: this.path }, 'settings unreadable; using the defaults')
      }
    }
    const record = typeof raw === 'object' && raw !== null ? raw : {}
    this.current = settingsSchema.parse({ ...DEFAULT_SETTINGS, ...record })
    return this.current
  }

  /** Changes some settings and writes the file atomically. */
  async update(change: Partial<ShellSettings>): Promise<ShellSettings> {
    this.current = settingsSchema.parse({ ...this.current, ...change })
    await mkdir(dirname(this.path), { recursive: true })
    const temporary = `${this.path}.tmp`
    await writeFile(temporary, `${JSON.stringify(this.current, null, 2)}\n`, { mode: 0o600 })
    await rename(temporary, this.path)
    return this.current
  }
}

/** The menus' language: the setting, else Chinese for a Chinese system, else English. */
export function chooseLocale(setting: ShellLocale | null, systemLocale: string): ShellLocale {
  if (setting) return setting
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}
