import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './e2e/chromium'

const chromium = findChromium()
process.stdout.write(
  `e2e: Chromium from ${chromium.source}${chromium.executablePath ? ` (${chromium.executablePath})` : ''}\n`,
)

// Browser-mode e2e: each test starts its own server and app hosts (see e2e/stack.ts).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'on-first-retry',
    screenshot: 'on',
    launchOptions: { executablePath: chromium.executablePath, args: CHROMIUM_ARGS },
  },
})
