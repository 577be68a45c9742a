import { defineConfig } from '@playwright/test'
import { SKIP_REASON } from './e2e-electron/tack-app'

// The Electron e2e suite: Tack itself under Electron, through Playwright's Electron support. Where
// the Electron binary is absent every test is skipped, and this says why, once.
if (SKIP_REASON && !process.env.TEST_WORKER_INDEX) process.stdout.write(`${SKIP_REASON}\n`)

export default defineConfig({
  testDir: 'e2e-electron',
  testMatch: '**/*.electron.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/electron' }]],
  outputDir: 'test-results/electron',
  use: { trace: 'on-first-retry', screenshot: 'on' },
})
