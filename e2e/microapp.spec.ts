// Micro-apps end to end in browser mode: the demo task list in Alice's workbench, signed in by
// free-login, assigning a task to Bob with the host's contact picker; the checks that refuse a
// method outside jsApiList and bad parameters; auth codes that are reused or expired; the JS-API
// panel; and the work notification the app's backend sends reaching Bob's chat.
import { expect, test, type Frame, type Page } from '@playwright/test'
import {
  DemoMicroAppProcess,
  MicroAppServerProcess,
  TEST_AUTH_CODE_LIFETIME_MS,
  freePort,
} from './microapp-stack'
import { signIn } from './steps'
import { Stack } from './stack'

let stack: Stack
let demo: DemoMicroAppProcess

test.beforeEach(async () => {
  const demoPort = await freePort()
  const server = (dataDir: string) =>
    new MicroAppServerProcess(dataDir, `http://127.0.0.1:${demoPort}/`)
  stack = new Stack(server)
  await stack.server.start()
  demo = new DemoMicroAppProcess(demoPort, stack.server as MicroAppServerProcess)
  await demo.start()
})

test.afterEach(async () => {
  await demo.stop()
  await stack.stop()
})

/** The demo app's frame, once its page has loaded. */
async function demoFrame(page: Page): Promise<Frame> {
  await expect(page.getByTestId('microapp-frame')).toBeVisible()
  await expect
    .poll(() => page.frames().some((frame) => frame.url().startsWith(demo.url)))
    .toBe(true)
  return page.frames().find((frame) => frame.url().startsWith(demo.url))!
}

/** Calls a dd method inside the app's page and returns its result or its error payload. */
function callInApp(frame: Frame, method: string, params: unknown) {
  return frame.evaluate(
    async ([name, input]) => {
      let target: unknown = (globalThis as unknown as { dd: unknown }).dd
      for (const part of name.split('.')) target = (target as Record<string, unknown>)[part]
      try {
        return { ok: true, value: await (target as (p: unknown) => Promise<unknown>)(input) }
      } catch (error) {
        return { ok: false, value: error }
      }
    },
    [method, params] as const,
  )
}

function panelCalls(page: Page, method: string) {
  return page.locator(`[data-testid="jsapi-call"][data-method="${method}"]`)
}

test('the demo micro-app signs in by free-login, assigns a task through the contact picker, its notification reaches the assignee, and it runs as an offline package', async ({
  browser,
}, testInfo) => {
  const alicePage = await (await browser.newContext()).newPage()
  const bobPage = await (await browser.newContext()).newPage()
  let frame!: Frame

  await test.step('Alice and Bob sign in; Alice opens the Tasks app from the workbench', async () => {
    const aliceHost = await stack.addHost('alice-profile')
    const bobHost = await stack.addHost('bob-profile')
    await signIn(alicePage, aliceHost, 'alice')
    await signIn(bobPage, bobHost, 'bob')
    await alicePage.getByTestId('nav-workbench').click()
    await alicePage.locator('[data-testid="app-tile"][data-agent-id="demo-tasks"]').click()
    frame = await demoFrame(alicePage)
  })

  await test.step('free-login shows the signed-in person, and the app set its title', async () => {
    await expect(frame.locator('#me')).toHaveText('王爱丽')
    await expect(frame.locator('#me')).toHaveAttribute('data-user-id', 'u-alice')
    await expect(alicePage.getByTestId('microapp-title')).toHaveText('任务 Tasks')
    await alicePage.screenshot({ path: testInfo.outputPath('signed-in-app.png') })
  })

  await test.step("picking Bob in the host's contact picker assigns the task, with a toast", async () => {
    await frame.locator('#task-title').fill('Write the release notes')
    await frame.locator('#assign').click()
    const picker = alicePage.locator(
      '[data-testid="jsapi-dialog"][data-method="biz.contact.choose"]',
    )
    await expect(picker).toBeVisible()
    await picker.getByTestId('contact-picker-search').fill('bob')
    await picker.locator('[data-testid="contact-picker-option"][data-username="bob"]').check()
    await alicePage.screenshot({ path: testInfo.outputPath('contact-picker.png') })
    await picker.locator('[data-testid="jsapi-dialog-button"][data-index="0"]').click()
    await expect(
      alicePage.getByTestId('microapp-toast').filter({ hasText: 'Assigned to 李博' }),
    ).toBeVisible()
    await expect(frame.locator('#tasks li')).toHaveText(['Write the release notes → 李博Done'])
  })

  await test.step('a confirm asks before marking the task done, and its answer is used', async () => {
    await frame.locator('#tasks li button.done').click()
    const confirm = alicePage.locator(
      '[data-testid="jsapi-dialog"][data-method="device.notification.confirm"]',
    )
    await expect(confirm.getByTestId('jsapi-dialog-message')).toHaveText(
      'Mark "Write the release notes" done?',
    )
    await confirm.locator('[data-testid="jsapi-dialog-button"][data-index="0"]').click()
    await expect(frame.locator('#tasks li')).toHaveAttribute('data-done', 'true')
    await expect(frame.locator('#status')).toHaveText('marked done')
  })

  await test.step("the right-hand navigation button calls back into the app each time it's clicked", async () => {
    await alicePage.getByTestId('microapp-nav-right').click()
    await expect(
      alicePage.getByTestId('microapp-toast').filter({ hasText: 'Refreshed' }),
    ).toBeVisible()
  })

  await test.step('a method outside jsApiList fails with PERMISSION_DENIED (1005)', async () => {
    const outcome = await callInApp(frame, 'biz.chat.pickConversation', {})
    expect(outcome).toMatchObject({
      ok: false,
      value: { errorCode: 1005, error: 'PERMISSION_DENIED' },
    })
  })

  await test.step('bad parameters fail with BAD_PARAMS (1004) naming the parameter', async () => {
    const outcome = await callInApp(frame, 'device.notification.toast', { text: 42 })
    expect(outcome).toMatchObject({ ok: false, value: { errorCode: 1004, error: 'BAD_PARAMS' } })
    expect((outcome.value as { errorMessage: string }).errorMessage).toContain('text')
  })

  await test.step('a reused auth code fails at the exchange', async () => {
    const issued = await callInApp(frame, 'runtime.permission.requestAuthCode', {})
    const code = (issued.value as { code: string }).code
    expect((await demo.login(code)).status).toBe(200)
    const again = await demo.login(code)
    expect(again).toEqual({ status: 401, body: { error: 'unknown or already used auth code' } })
  })

  await test.step('an expired auth code fails at the exchange', async () => {
    const issued = await callInApp(frame, 'runtime.permission.requestAuthCode', {})
    const code = (issued.value as { code: string }).code
    await alicePage.waitForTimeout(TEST_AUTH_CODE_LIFETIME_MS + 500)
    expect(await demo.login(code)).toEqual({ status: 401, body: { error: 'auth code expired' } })
  })

  await test.step('the JS-API panel lists every call of this test with its result', async () => {
    const calls = alicePage.getByTestId('jsapi-call')
    await expect(calls.and(alicePage.locator('[data-status="pending"]'))).toHaveCount(0)
    for (const method of [
      'config',
      'biz.navigation.setTitle',
      'biz.navigation.setRight',
      'biz.contact.choose',
      'device.notification.confirm',
    ]) {
      await expect(panelCalls(alicePage, method).first()).toHaveAttribute('data-status', 'ok')
    }
    await expect(panelCalls(alicePage, 'runtime.permission.requestAuthCode')).toHaveCount(3)
    await expect(
      panelCalls(alicePage, 'device.notification.toast').and(
        alicePage.locator('[data-status="ok"]'),
      ),
    ).toHaveCount(2)
    await expect(panelCalls(alicePage, 'device.notification.toast').last()).toHaveAttribute(
      'data-error-code',
      '1004',
    )
    await expect(panelCalls(alicePage, 'biz.chat.pickConversation')).toHaveAttribute(
      'data-error-code',
      '1005',
    )
    await alicePage
      .getByTestId('jsapi-panel')
      .screenshot({ path: testInfo.outputPath('panel.png') })
  })

  await test.step("the app's work notification, posted through the open API, is in Bob's chat", async () => {
    const text = '📋 王爱丽 assigned you: Write the release notes'
    const fromApp = bobPage.getByTestId('conversation-item').filter({ hasText: '任务' })
    await fromApp.click()
    await expect(bobPage.getByTestId('message-text').filter({ hasText: text })).toHaveCount(1)
    await bobPage.screenshot({ path: testInfo.outputPath('bob-notification.png') })
  })

  await test.step('the same app as an offline package: installed, served on its own origin, signed in', async () => {
    const zip = Buffer.from(await (await fetch(new URL('package.zip', demo.url))).arrayBuffer())
    await alicePage.getByTestId('workbench-home').click()
    await alicePage.getByTestId('dev-app-package').setInputFiles({
      name: 'tasks.zip',
      mimeType: 'application/zip',
      buffer: zip,
    })
    await expect
      .poll(() =>
        alicePage.frames().some((f) => /^http:\/\/demo-tasks\.localhost:\d+\//.test(f.url())),
      )
      .toBe(true)
    const packaged = alicePage.frames().find((f) => f.url().includes('demo-tasks.localhost'))!
    await expect(packaged.locator('#me')).toHaveText('王爱丽')
    await expect(packaged.locator('#tasks li')).toHaveCount(1)

    await alicePage.getByTestId('workbench-home').click()
    await expect(alicePage.getByTestId('app-package-version')).toHaveText('📦 1.0.0')
    await alicePage.getByTestId('dev-app-package').setInputFiles({
      name: 'tasks-again.zip',
      mimeType: 'application/zip',
      buffer: zip,
    })
    await expect(alicePage.getByTestId('dev-app-problem')).toContainText('not newer')
  })

  await test.step('a newer package published by the backend is installed by version when the workbench next looks', async () => {
    await demo.publishPackage('1.1.0')
    await alicePage.getByTestId('nav-chats').click()
    await alicePage.getByTestId('nav-workbench').click()
    await expect(alicePage.getByTestId('app-package-version')).toHaveText('📦 1.1.0')
    await alicePage.getByTestId('microapp-tab').click()
    await alicePage.getByTestId('microapp-reload').click()
    await expect
      .poll(async () => {
        const packaged = alicePage.frames().find((f) => f.url().includes('demo-tasks.localhost'))
        return packaged ? packaged.locator('#me').textContent() : null
      })
      .toBe('王爱丽')
  })
})
