// Start at login, as a setting. macOS and Windows keep it through app.setLoginItemSettings; on
// Linux Electron has none, so Tack writes (or removes) an XDG autostart entry itself.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { App } from 'electron'
import { createLogger } from '../../shared/logger'

const log = createLogger('login-item')

export const AUTOSTART_FILE = 'tack.desktop'

export interface LoginItemTarget {
  platform: NodeJS.Platform
  app: Pick<App, 'setLoginItemSettings'>
  /** The program to start: the AppImage or the installed binary. */
  executable: string
  /** Where XDG autostart entries live; ~/.config/autostart by default. */
  autostartDir?: string
}

export async function applyOpenAtLogin(enabled: boolean, target: LoginItemTarget): Promise<void> {
  if (target.platform !== 'linux') {
    target.app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] })
    log.info({ enabled }, 'start at login set')
    return
  }
  const dir =
    target.autostartDir ??
    join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart')
  const file = join(dir, AUTOSTART_FILE)
  if (enabled) {
    await mkdir(dir, { recursive: true })
    await writeFile(file, linuxAutostartEntry(target.executable))
  } else {
    await rm(file, { force: true })
  }
  log.info({ enabled, file }, 'start at login set')
}

/** An XDG desktop entry that starts Tack in the background at login. */
export function linuxAutostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tack',
    `Exec=${quoteExec(executable)} --hidden`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=false',
    '',
  ].join('\n')
}

/** Quotes a path for an Exec line, as the desktop entry spec asks. */
function quoteExec(path: string): string {
  return `"${path.replace(/[\\"`$]/g, (character) => `\\${character}`)}"`
}
