// Tack under Electron: sign-in, a chat between two app windows (two installs, two people), the
// app window's hardening seen from inside, and a micro-app call through the webview bridge.
// Skipped, with the reason printed, where the Electron binary is absent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { ServerProcess } from '../e2e/stack'
import { electron, SKIP_REASON, TackApp } from './tack-app'

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

async function launchApp(): Promise<Page> {
  const app = new TackApp(server)
  apps.push(app)
  return app.launch()
}

async function signIn(page: Page, username: string): Promise<void> {
  await expect(page.getByTestId('login-server')).toHaveValue(server.address)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('demo1234')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
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

// TODO(#9): the container now holds each micro-app in a <webview>, but this has never run under
// real Electron (no binary here), and the suite does not yet start the demo app's backend.
test.fixme('a micro-app calls the JS-API through the webview bridge', async () => {
  const page = await launchApp()
  await signIn(page, 'alice')

  await test.step('Alice opens the Tasks app: a webview in its own partition', async () => {
    await page.getByTestId('nav-workbench').click()
    await page.locator('[data-testid="app-tile"][data-agent-id="demo-tasks"]').click()
    await expect(page.locator('webview[partition="persist:microapp-demo-tasks"]')).toHaveCount(1)
  })

  await test.step('free-login in the app goes through window.tackMicroApp.invoke', async () => {
    const call = page.locator(
      '[data-testid="jsapi-call"][data-method="runtime.permission.requestAuthCode"]',
    )
    await expect(call.first()).toBeVisible()
    await expect(page.getByTestId('microapp-title')).toHaveText('任务 Tasks')
  })
})
