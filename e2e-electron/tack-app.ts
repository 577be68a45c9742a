// Starts Tack itself under Electron for the e2e suite: the bundle in dist/electron, on its own
// profile folder, pointed at a test server. One TackApp is one installed Tack on one machine;
// two of them are two people.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, expect, type ElectronApplication, type Page } from '@playwright/test'
import { ELECTRON_OUT_DIR, MAIN_BUNDLE } from '../electron/main/bundle-layout'
import { findInstalledElectron } from '../scripts/lib/electron-binary'
import type { ServerProcess } from '../e2e/stack'

const ROOT = resolve(import.meta.dirname, '..')

/** Whether this machine can run the suite, and if not why: decided once, printed by the config. */
export const electron = findInstalledElectron()

export const SKIP_REASON = electron.available
  ? ''
  : `Electron e2e suite skipped: ${electron.reason}. It runs wherever the Electron binary is installed.`

export class TackApp {
  readonly profileDir = mkdtempSync(join(tmpdir(), 'tack-electron-e2e-'))
  app: ElectronApplication | null = null
  window: Page | null = null

  constructor(private readonly server: ServerProcess) {}

  async launch(): Promise<Page> {
    if (!electron.available) throw new Error(SKIP_REASON)
    this.app = await _electron.launch({
      executablePath: electron.binary,
      args: [join(ROOT, ELECTRON_OUT_DIR, MAIN_BUNDLE)],
      env: {
        ...process.env,
        TACK_PROFILE_DIR: this.profileDir,
        TACK_SERVER_ADDRESS: this.server.address,
        TACK_CA_PATH: this.server.caPath,
        TACK_LOG_LEVEL: process.env.TACK_LOG_LEVEL ?? 'warn',
      },
    })
    this.window = await this.app.firstWindow()
    return this.window
  }

  async close(): Promise<void> {
    await this.app?.close()
    this.app = null
    rmSync(this.profileDir, { recursive: true, force: true })
  }
}

/** Signs `username` in on the app window's login screen and waits for the link to come online. */
export async function signIn(page: Page, server: ServerProcess, username: string): Promise<void> {
  await expect(page.getByTestId('login-server')).toHaveValue(server.address)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('demo1234')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
}
