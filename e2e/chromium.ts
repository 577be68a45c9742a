// Which Chromium the e2e suite drives: $CHROMIUM_PATH, else the system's (Debian's chromium),
// else Playwright's own where it was downloaded. Nothing found is a clear error, never a skip.
import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]

export interface ChromiumChoice {
  executablePath: string | undefined
  source: string
}

export function findChromium(): ChromiumChoice {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH' }
  }
  const system = SYSTEM_CANDIDATES.find((path) => existsSync(path))
  if (system) return { executablePath: system, source: 'system' }
  const bundled = chromium.executablePath()
  if (bundled && existsSync(bundled)) return { executablePath: undefined, source: 'playwright' }
  throw new Error(
    'No Chromium for the e2e suite. Install one (Debian: apt-get install chromium), ' +
      'set CHROMIUM_PATH, or run `npx playwright install chromium` where downloads work.',
  )
}

/** Flags for a quiet, offline-friendly headless Chromium. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]
