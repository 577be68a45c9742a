// Files, images and voice in the chat, end to end in browser mode against a real server: Alice
// attaches a file with the button and pastes an image; Bob sees the file card and the thumbnail,
// downloads the file and opens the image large. A voice message recorded with Chromium's fake
// microphone reaches Bob with its duration. A file past the server's limit is refused with a
// clear error before any byte is sent.
import type { ChildProcess } from 'node:child_process'
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './chromium'
import { ServerProcess, Stack, startProcess, stopProcess, type AppHost } from './stack'
import { openConversationWith, signIn } from './steps'

// Chromium's fake microphone (a tone) and no permission prompt, for the voice test.
test.use({
  launchOptions: {
    executablePath: findChromium().executablePath,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  },
})

/** A server started with a small upload limit (`--max-upload-bytes`). */
class LimitedServerProcess extends ServerProcess {
  private process: ChildProcess | null = null

  constructor(
    dataDir: string,
    private readonly maxUploadBytes: number,
  ) {
    super(dataDir)
  }

  override async start(port = 0): Promise<void> {
    const started = await startProcess(
      [
        'server/main.ts',
        ...['--data', this.dataDir, '--port', String(port)],
        ...['--max-upload-bytes', String(this.maxUploadBytes)],
      ],
      /listening on (\S+) \(trust CA: (.+?)\)/,
      'server',
    )
    this.process = started.child
    this.address = started.line[1]!
    this.caPath = started.line[2]!
  }

  override async stop(): Promise<void> {
    if (this.process) await stopProcess(this.process)
    this.process = null
  }
}

const UPLOAD_LIMIT = 2 * 1024 * 1024
let stack: Stack

test.beforeEach(async () => {
  stack = new Stack((dataDir) => new LimitedServerProcess(dataDir, UPLOAD_LIMIT))
  await stack.server.start()
})

test.afterEach(async () => {
  await stack.stop()
})

/** Alice and Bob signed in, Alice in her chat with Bob; `locale` picks the UI's language. */
async function twoPeople(browser: Browser, locale?: string) {
  const alicePage = await (await browser.newContext({ locale })).newPage()
  const bobPage = await (await browser.newContext({ locale })).newPage()
  const aliceHost: AppHost = await stack.addHost('alice-profile')
  const bobHost: AppHost = await stack.addHost('bob-profile')
  await signIn(alicePage, aliceHost, 'alice')
  await signIn(bobPage, bobHost, 'bob')
  await openConversationWith(alicePage, 'bob')
  return { alicePage, bobPage }
}

/** Bob opens the conversation with Alice from his list. */
async function openAliceChat(bobPage: Page): Promise<void> {
  await bobPage
    .getByTestId('conversation-item')
    .filter({ hasText: /Alice|王爱丽/ })
    .first()
    .click()
}

/**
 * Pastes a 64×48 PNG drawn in the page into the composer, as a screenshot paste would. The script
 * is a string: this file is type-checked without the DOM.
 */
async function pasteImage(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 64
    canvas.height = 48
    const context = canvas.getContext('2d')
    context.fillStyle = '#d33'
    context.fillRect(0, 0, 64, 48)
    context.fillStyle = '#33d'
    context.fillRect(16, 12, 32, 24)
    const blob = await new Promise((done) => canvas.toBlob(done, 'image/png'))
    const data = new DataTransfer()
    data.items.add(new File([blob], 'screenshot.png', { type: 'image/png' }))
    const input = document.querySelector('[data-testid="composer-input"]')
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }))
  })()`)
}

test('a file by the button and an image by paste reach Bob, who downloads and opens them', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await twoPeople(browser)
  const report = Buffer.alloc(300_000, 'quarterly numbers\n')

  await test.step('Alice attaches a file with the button; it shows, uploads and is sent', async () => {
    await expect(alicePage.getByTestId('composer-attach')).toHaveAccessibleName('Attach a file')
    await alicePage.getByTestId('composer-file-input').setInputFiles({
      name: 'report.txt',
      mimeType: 'text/plain',
      buffer: report,
    })
    const message = alicePage.getByTestId('message').filter({ hasText: 'report.txt' })
    await expect(message).toHaveAttribute('data-state', 'sent')
    await expect(message.getByTestId('attachment-size')).toContainText('293 KiB')
  })

  await test.step('Alice pastes an image; its thumbnail shows in her chat', async () => {
    await pasteImage(alicePage)
    const image = alicePage
      .getByTestId('message')
      .filter({ has: alicePage.getByTestId('attachment-image') })
    await expect(image).toHaveAttribute('data-state', 'sent')
    await expect(image.getByTestId('attachment-thumbnail')).toBeVisible()
    await alicePage.screenshot({ path: testInfo.outputPath('alice-sent-file-and-image.png') })
  })

  await test.step('Bob sees the file card and the thumbnail', async () => {
    await openAliceChat(bobPage)
    const card = bobPage.getByTestId('attachment-file')
    await expect(card.getByTestId('attachment-name')).toHaveText('report.txt')
    await expect(card.getByTestId('attachment-size')).toHaveText('293 KiB · TXT')
    await expect(bobPage.getByTestId('attachment-thumbnail')).toBeVisible()
  })

  await test.step('Bob downloads the file; it opens with the same bytes', async () => {
    await bobPage.getByTestId('attachment-download').click()
    const open = bobPage.getByTestId('attachment-open')
    await expect(open).toBeVisible()
    const href = await open.getAttribute('href')
    const body = await bobPage.evaluate<number[]>(
      `fetch(${JSON.stringify(href)}).then(async (r) => Array.from(new Uint8Array(await r.arrayBuffer())))`,
    )
    expect(Buffer.from(body).equals(report)).toBe(true)
  })

  await test.step('Bob opens the image large in a modal dialog, × beside its title', async () => {
    await bobPage.getByTestId('attachment-image').click()
    const dialog = bobPage.getByRole('dialog', { name: 'screenshot.png' })
    await expect(dialog).toBeVisible()
    const large = dialog.locator('img.attachment-large')
    await expect(large).toHaveAttribute('src', /\/attachments\/file\//)
    await expect
      .poll(() => bobPage.evaluate(`document.querySelector('img.attachment-large').naturalWidth`))
      .toBe(64)
    const close = dialog.getByRole('button', { name: 'Close' })
    await expect(close).toBeFocused()
    const title = (await dialog.getByRole('heading', { name: 'screenshot.png' }).boundingBox())!
    const button = (await close.boundingBox())!
    // On the title's line, to its right.
    expect(button.x).toBeGreaterThanOrEqual(title.x + title.width)
    expect(button.y).toBeLessThan(title.y + title.height)
    expect(button.y + button.height).toBeGreaterThan(title.y)
    await bobPage.screenshot({ path: testInfo.outputPath('bob-image-dialog.png') })
    await bobPage.emulateMedia({ colorScheme: 'dark' })
    await bobPage.screenshot({ path: testInfo.outputPath('bob-image-dialog-dark.png') })
    await bobPage.emulateMedia({ colorScheme: 'light' })
  })

  await test.step('Tab stays in the image dialog; Escape closes it and the thumbnail has the focus', async () => {
    const dialog = bobPage.getByTestId('attachment-dialog')
    const inside = `!!document.activeElement.closest('[data-testid="attachment-dialog"]')`
    for (let i = 0; i < 3; i++) {
      await bobPage.keyboard.press('Tab')
      expect(await bobPage.evaluate(inside)).toBe(true)
    }
    await bobPage.keyboard.press('Shift+Tab')
    await bobPage.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    await expect(bobPage.getByTestId('attachment-image')).toBeFocused()
  })
})

test('a voice message recorded with the fake microphone reaches Bob with its duration', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await twoPeople(browser)

  await test.step('Alice records for about two seconds, with a timer, and stops', async () => {
    const record = alicePage.getByTestId('voice-record')
    await expect(record).toHaveAccessibleName('Record a voice message')
    await record.click()
    await expect(alicePage.getByTestId('voice-timer')).toHaveText('0:02', { timeout: 5_000 })
    await alicePage.getByTestId('voice-record').click()
    const voice = alicePage
      .getByTestId('message')
      .filter({ has: alicePage.getByTestId('attachment-voice') })
    await expect(voice).toHaveAttribute('data-state', 'sent')
  })

  await test.step('Alice can play her own recording at once, without a reload', async () => {
    const audio = alicePage.getByTestId('attachment-voice').locator('audio')
    await expect(audio).toHaveAttribute('src', /\/attachments\/file\//)
    // The player read the whole recording: it has its metadata and no error.
    await expect
      .poll(() =>
        alicePage.evaluate(`(() => {
          const audio = document.querySelector('[data-testid=attachment-voice] audio')
          return audio.error ? 'error ' + audio.error.code : audio.readyState
        })()`),
      )
      .toBeGreaterThanOrEqual(1)
  })

  await test.step('Bob sees a voice message with its duration and can play it', async () => {
    await openAliceChat(bobPage)
    const voice = bobPage.getByTestId('attachment-voice')
    await expect(voice.getByTestId('attachment-duration')).toHaveText(/Voice message, 0:0[2-3]/)
    await voice.getByTestId('attachment-download').click()
    await expect(voice.locator('audio')).toHaveAttribute('src', /\/attachments\/file\//)
    await bobPage.screenshot({ path: testInfo.outputPath('bob-voice.png') })
  })
})

test('a file past the server limit is refused with a clear error before any byte', async ({
  browser,
}) => {
  const { alicePage } = await twoPeople(browser)
  await alicePage.getByTestId('composer-file-input').setInputFiles({
    name: 'too-big.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(UPLOAD_LIMIT + 1024, 1),
  })
  const message = alicePage.getByTestId('message').filter({ hasText: 'too-big.bin' })
  await expect(message).toHaveAttribute('data-state', 'failed')
  // Worded by the UI from the refusal's code and figures (the English detail is its title).
  await expect(message.getByTestId('attachment-upload-failed')).toContainText(
    'too-big.bin is 2 MiB (2,098,176 bytes); the server accepts files up to 2 MiB (2,097,152 bytes).',
  )
  // The card says the size in the refusal's units, and only cancel is offered: retry cannot help.
  await expect(message.getByTestId('attachment-size')).toHaveText('2 MiB · BIN')
  await expect(message.getByTestId('attachment-retry')).toHaveCount(0)
  await message.getByRole('button', { name: 'Cancel' }).click()
  await expect(message).toHaveCount(0)
})

/** Attaches a small text file named `name` and waits until it is sent. */
async function sendTextFile(page: Page, name: string): Promise<void> {
  await page.getByTestId('composer-file-input').setInputFiles({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.from('numbers'),
  })
  await expect(page.getByTestId('message').filter({ hasText: name })).toHaveAttribute(
    'data-state',
    'sent',
  )
}

test('a file with a long name keeps its card inside the message, the name cut and whole in its title', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await twoPeople(browser)
  const name = `${'quarterly numbers for the board '.repeat(4)}final <b>v2.txt`
  await sendTextFile(alicePage, name)
  await openAliceChat(bobPage)

  for (const page of [alicePage, bobPage]) {
    const message = page.getByTestId('message').filter({ hasText: 'quarterly' })
    const card = message.getByTestId('attachment-file')
    await expect(card).toBeVisible()
    const outer = (await message.getByTestId('attachment').boundingBox())!
    const inner = (await card.boundingBox())!
    // The card lies within its attachment box (which is at most 320 px wide), on both sides.
    expect(inner.x).toBeGreaterThanOrEqual(outer.x - 0.5)
    expect(inner.x + inner.width).toBeLessThanOrEqual(outer.x + outer.width + 0.5)
    expect(outer.width).toBeLessThanOrEqual(320.5)
    await expect(card.getByTestId('attachment-name')).toHaveAttribute('title', name)
  }
  await bobPage.screenshot({ path: testInfo.outputPath('bob-long-file-name.png') })
})

/** Whether a control's label sits on one line: two characters side by side are wider than tall. */
async function expectOneLine(control: Locator): Promise<void> {
  const box = (await control.boundingBox())!
  expect(box.width, await control.innerText()).toBeGreaterThan(box.height)
}

test('in Chinese, 打开 and 取消 stay on one line; a long file name is what gets cut', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await twoPeople(browser, 'zh-CN')

  await test.step('Bob downloads a file with a long name: 打开 keeps its line, the name is cut', async () => {
    await sendTextFile(alicePage, `${'季度报表给董事会的最终版本'.repeat(4)}.txt`)
    await openAliceChat(bobPage)
    await bobPage.getByTestId('attachment-download').click()
    const open = bobPage.getByTestId('attachment-open')
    await expect(open).toHaveText('打开')
    await expectOneLine(open)
    const name = bobPage.getByTestId('attachment-name')
    const cut = await name.evaluate((element) => element.scrollWidth > element.clientWidth)
    expect(cut).toBe(true)
    await bobPage.screenshot({ path: testInfo.outputPath('bob-long-file-name-zh.png') })
  })

  await test.step('A file refused for its size shows 取消 on one line, and no 重试', async () => {
    await alicePage.getByTestId('composer-file-input').setInputFiles({
      name: 'too-big.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(UPLOAD_LIMIT + 1024, 1),
    })
    const failed = alicePage.getByTestId('attachment-upload-failed')
    await expect(failed).toBeVisible()
    await expectOneLine(failed.getByRole('button', { name: '取消' }))
    await expect(failed.getByRole('button', { name: '重试' })).toHaveCount(0)
    await alicePage.screenshot({ path: testInfo.outputPath('alice-upload-failed-zh.png') })
  })
})
