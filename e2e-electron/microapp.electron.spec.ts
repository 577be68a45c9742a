// Micro-apps under Electron: the demo task list in a <webview> on its own partition with Tack's
// preload, signed in by free-login through window.tackMicroApp.invoke; the nav button calling back
// on every click; a method outside jsApiList refused; and the same app as an offline package at
// tack-app://demo-tasks. The reference server and the demo app's backend run as real processes,
// as in browser mode's e2e/microapp.spec.ts. Skipped, with the reason printed, where the Electron
// binary is absent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { DemoMicroAppProcess, MicroAppServerProcess, freePort } from '../e2e/microapp-stack'
import { electron, signIn, SKIP_REASON, TackApp } from './tack-app'

test.skip(!electron.available, SKIP_REASON)

let dataRoot: string
let server: MicroAppServerProcess
let demo: DemoMicroAppProcess
let app: TackApp | null = null

test.beforeEach(async () => {
  dataRoot = mkdtempSync(join(tmpdir(), 'tack-electron-microapp-'))
  const demoPort = await freePort()
  server = new MicroAppServerProcess(join(dataRoot, 'server'), `http://127.0.0.1:${demoPort}/`)
  await server.start()
  demo = new DemoMicroAppProcess(demoPort, server)
  await demo.start()
})

test.afterEach(async () => {
  await app?.close()
  app = null
  await demo.stop()
  await server.stop()
  rmSync(dataRoot, { recursive: true, force: true })
})

/**
 * Runs `script` in the micro-app's page: the app window's page asks its <webview> to run it
 * (executeJavaScript is the embedder's, so nothing is added to the app's page for the test).
 */
function inApp(page: Page, script: string): Promise<unknown> {
  return page.evaluate((code) => {
    const dom = globalThis as unknown as {
      document: {
        querySelector(selector: string): { executeJavaScript(code: string): Promise<unknown> }
      }
    }
    return dom.document.querySelector('webview').executeJavaScript(code)
  }, script)
}

/** The signed-in person's name as the app shows it, once it does. */
const shownName = (page: Page) =>
  inApp(page, "document.querySelector('#me') && document.querySelector('#me').textContent")

function panelCalls(page: Page, method: string) {
  return page.locator(`[data-testid="jsapi-call"][data-method="${method}"]`)
}

test('a micro-app calls the JS-API through the webview bridge, also as an offline package', async () => {
  const testInfo = test.info()
  app = new TackApp(server)
  const page = await app.launch()
  await signIn(page, server, 'alice')

  await test.step('Alice opens the Tasks app: a webview in its own partition', async () => {
    await page.getByTestId('nav-workbench').click()
    await page.locator('[data-testid="app-tile"][data-agent-id="demo-tasks"]').click()
    const webview = page.locator('webview[partition="persist:microapp-demo-tasks"]')
    await expect(webview).toHaveCount(1)
    await expect(webview).toHaveAttribute('src', demo.url)
  })

  await test.step('free-login through window.tackMicroApp.invoke shows her name', async () => {
    await expect.poll(() => shownName(page)).toBe('王爱丽')
    await expect(page.getByTestId('microapp-title')).toHaveText('任务 Tasks')
    await expect(panelCalls(page, 'runtime.permission.requestAuthCode').first()).toHaveAttribute(
      'data-status',
      'ok',
    )
    expect(await inApp(page, 'typeof require + typeof process + typeof window.tackMicroApp')).toBe(
      'undefinedundefinedobject',
    )
    await page.screenshot({ path: testInfo.outputPath('electron-microapp.png') })
  })

  await test.step('the nav button calls back into the app on every click', async () => {
    const toasts = panelCalls(page, 'device.notification.toast')
    const before = await toasts.count()
    await page.getByTestId('microapp-nav-right').click()
    await expect(toasts).toHaveCount(before + 1)
    await page.getByTestId('microapp-nav-right').click()
    await expect(toasts).toHaveCount(before + 2)
  })

  await test.step('a method outside jsApiList fails with PERMISSION_DENIED (1005)', async () => {
    const code = await inApp(
      page,
      'dd.biz.chat.pickConversation({}).then(() => "answered", (error) => error.errorCode)',
    )
    expect(code).toBe(1005)
  })

  await test.step('the offline package runs at tack-app://demo-tasks and signs in too', async () => {
    const zip = Buffer.from(await (await fetch(new URL('package.zip', demo.url))).arrayBuffer())
    await page.getByTestId('workbench-home').click()
    await page.getByTestId('dev-app-package').setInputFiles({
      name: 'tasks.zip',
      mimeType: 'application/zip',
      buffer: zip,
    })
    const webview = page.locator('webview[partition="persist:microapp-demo-tasks"]')
    await expect(webview).toHaveAttribute('src', 'tack-app://demo-tasks/index.html')
    await expect.poll(() => inApp(page, 'location.origin')).toBe('tack-app://demo-tasks')
    await expect.poll(() => shownName(page)).toBe('王爱丽')
    await page.screenshot({ path: testInfo.outputPath('electron-microapp-package.png') })
  })
})
