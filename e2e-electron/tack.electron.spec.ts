// Tack under Electron: sign-in, a chat between two app windows (two installs, two people), and the
// app window's hardening seen from inside; micro-apps are in microapp.electron.spec.ts. Skipped,
// with the reason printed, where the Electron binary is absent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { ServerProcess } from '../e2e/stack'
import { electron, signIn as signInAs, SKIP_REASON, TackApp } from './tack-app'

test.skip(!electron.available, SKIP_REASON)

let server: ServerProcess
let dataRoot: string
const apps: TackApp[] = []

test.beforeEach(async () => {
  dataRoot = mkdtempSync(join(tmpdir(), 'tack-electron-server-'))
  server = new ServerProcess(join(dataRoot, 'server'))
  await server.start()
})

test.afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
  await server.stop()
  rmSync(dataRoot, { recursive: true, force: true })
})

const signIn = (page: Page, username: string) => signInAs(page, server, username)

async function launchApp(): Promise<Page> {
  const app = new TackApp(server)
  apps.push(app)
  return app.launch()
}

test('signs in from the Electron app window', async () => {
  const testInfo = test.info()
  const page = await launchApp()

  await test.step('the window shows the app from app://', async () => {
    expect(page.url()).toMatch(/^app:\/\/tack\//)
  })

  await test.step('Alice signs in and the link comes online', async () => {
    await signIn(page, 'alice')
    await page.screenshot({ path: testInfo.outputPath('electron-signed-in.png') })
  })
})

test('two people chat between two Tack windows', async () => {
  const testInfo = test.info()
  const alice = await launchApp()
  const bob = await launchApp()

  await test.step('Alice and Bob sign in, each in their own Tack', async () => {
    await signIn(alice, 'alice')
    await signIn(bob, 'bob')
  })

  const hello = 'Hello from Electron, 你好'
  await test.step('Alice opens a chat with Bob and sends a message', async () => {
    await alice.getByTestId('nav-contacts').click()
    await alice.locator('[data-testid="contact-item"][data-username="bob"]').click()
    await alice.getByTestId('profile-message').click()
    await alice.getByTestId('composer-input').fill(hello)
    await alice.getByTestId('composer-send').click()
    await expect(alice.getByTestId('message').filter({ hasText: hello })).toHaveAttribute(
      'data-state',
      'sent',
    )
  })

  await test.step('Bob sees it live with an unread count, and replies', async () => {
    const item = bob.getByTestId('conversation-item').first()
    await expect(item.getByTestId('unread-badge')).toHaveText('1')
    await item.click()
    await expect(bob.getByTestId('message-text').filter({ hasText: hello })).toHaveCount(1)
    await bob.getByTestId('composer-input').fill('收到 Alice')
    await bob.getByTestId('composer-send').click()
    await expect(alice.getByTestId('message-text').filter({ hasText: '收到 Alice' })).toHaveCount(1)
    await bob.screenshot({ path: testInfo.outputPath('electron-chat.png') })
  })
})

test('the app window has no Node and only the host bridge', async () => {
  const page = await launchApp()

  await test.step('no require, process or Buffer in the page', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      buffer: typeof (globalThis as Record<string, unknown>).Buffer,
    }))
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', buffer: 'undefined' })
  })

  await test.step('window.open does not make a window', async () => {
    await page.evaluate(() => {
      const page = globalThis as unknown as { open(url: string, target: string): unknown }
      page.open('https://example.com/', '_blank')
    })
    await page.waitForTimeout(500)
    expect(apps[0]!.app!.windows()).toHaveLength(1)
  })
})
