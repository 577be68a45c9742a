// The desktop experience in browser mode: settings (language and theme, applied at once and kept
// across a reload), message text that looks like markup shown literally everywhere it appears,
// desktop notifications and the unread title (a file sent alone says "[File] name"), mute and
// pin, the Ctrl+K quick switcher, drafts (marked in the list and kept across a reload),
// recalling a message, making a group, and screenshots of the main views in light and dark,
// English and Chinese.
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test'
import { openConversationWith, sendAndConfirm as send, signIn } from './steps'
import { useStack } from './stack'

const stack = useStack()

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light' })
  return context.newPage()
}

/** A custom property of the page's root, as the stylesheet resolves it. */
function rootProperty(page: Page, name: string): Promise<string> {
  return page.evaluate(
    `getComputedStyle(document.documentElement).getPropertyValue(${JSON.stringify(name)}).trim()`,
  )
}

function pageBackground(page: Page): Promise<string> {
  return page.evaluate('getComputedStyle(document.documentElement).backgroundColor')
}

/** Chats, Contacts and Settings, one screenshot each, named after the language and theme. */
async function screenshotMainViews(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  for (const view of ['chats', 'contacts', 'settings'] as const) {
    await page.getByTestId(`nav-${view}`).click()
    await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page')
    await page.screenshot({ path: testInfo.outputPath(`${view}-${label}.png`) })
  }
}

test('language and theme switch at once from settings, and stay after a reload', async ({
  browser,
}, testInfo) => {
  const page = await newPage(browser)
  const host = await stack().addHost('alice-profile')

  await test.step('Alice signs in (English, light) and writes to Bob', async () => {
    await signIn(page, host, 'alice')
    await openConversationWith(page, 'bob')
    await send(page, 'Morning! The review is at 10:00. 早上好')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
    await expect(page.getByTestId('nav-chats')).toHaveText('Chats')
    await expect(page.getByTestId('day-separator')).toHaveText('Today')
    await screenshotMainViews(page, testInfo, 'en-light')
  })

  await test.step('She picks the dark theme: the colours change at once', async () => {
    const lightSurface = await rootProperty(page, '--surface')
    expect(await pageBackground(page)).toBe('rgb(244, 245, 247)')
    await page.getByTestId('settings-theme-dark').check()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    expect(await pageBackground(page)).toBe('rgb(18, 21, 28)')
    expect(await rootProperty(page, '--surface')).not.toBe(lightSurface)
    await expect(page.getByTestId('settings')).toHaveCSS('background-color', 'rgb(26, 30, 39)')
    await screenshotMainViews(page, testInfo, 'en-dark')
  })

  await test.step('She picks Simplified Chinese: every view speaks Chinese at once', async () => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-language').selectOption('zh-CN')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByTestId('nav-chats')).toHaveText('消息')
    await expect(page.getByTestId('nav-contacts')).toHaveText('通讯录')
    await expect(page.getByRole('heading', { level: 2, name: '设置' })).toBeVisible()
    await expect(page.getByTestId('settings-theme')).toContainText('深色')
    await page.getByTestId('nav-chats').click()
    await expect(page.getByTestId('day-separator')).toHaveText('今天')
    await expect(page.getByTestId('composer-input')).toHaveAttribute('placeholder', /^输入消息/)
    await screenshotMainViews(page, testInfo, 'zh-dark')
  })

  await test.step('After a reload the choices are still in force', async () => {
    await page.reload()
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    await expect(page.getByTestId('nav-chats')).toHaveText('消息')
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await expect(page.getByTestId('sign-out')).toHaveText('退出登录')
  })

  await test.step('"Follow the system" tracks the system colour scheme live', async () => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-theme-system').check()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
    await screenshotMainViews(page, testInfo, 'zh-light')
  })

  await test.step('Back to English: the same views read in English again', async () => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('settings-language').selectOption('en')
    await expect(page.getByTestId('nav-chats')).toHaveText('Chats')
    await expect(page.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible()
  })
})

// Records notifications instead of showing them, with permission already granted.
const FAKE_NOTIFICATIONS = `
  window.__notifications = []
  window.Notification = class {
    static permission = 'granted'
    static requestPermission() { return Promise.resolve('granted') }
    constructor(title, options) {
      this.title = title
      this.body = options && options.body
      this.onclick = null
      this.closed = false
      window.__notifications.push(this)
    }
    close() { this.closed = true }
  }
`

test('text that looks like HTML or script shows literally; a notification opens its chat; muted is quiet', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  await bobPage.context().addInitScript(FAKE_NOTIFICATIONS)
  const markup =
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <b>bold</b> ' +
    'javascript:alert(1) see https://example.com/doc?a=1'

  await test.step('Alice and Bob sign in; Bob stays in Contacts', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await bobPage.getByTestId('nav-contacts').click()
    await expect(bobPage).toHaveTitle('Tack')
  })

  await test.step('Alice sends text full of markup to Bob', async () => {
    await openConversationWith(alicePage, 'bob')
    await send(alicePage, markup)
  })

  await test.step('Bob gets a desktop notification with the literal text, and "(1)" in the title', async () => {
    await expect.poll(() => bobPage.evaluate('window.__notifications.length')).toBe(1)
    expect(await bobPage.evaluate('window.__notifications[0].body')).toBe(markup)
    await expect(bobPage).toHaveTitle('(1) Tack')
  })

  await test.step('Clicking the notification opens the conversation', async () => {
    await bobPage.evaluate('window.__notifications[0].onclick()')
    await expect(bobPage.getByTestId('chat-title')).toBeVisible()
    await expect(bobPage.getByTestId('nav-chats')).toHaveAttribute('aria-current', 'page')
    await expect(bobPage).toHaveTitle('Tack')
  })

  await test.step('The list preview and the chat show the text as written', async () => {
    const preview = bobPage
      .getByTestId('conversation-item')
      .locator('.conversation-preview')
      .filter({ hasText: 'javascript:alert(1)' })
    await expect(preview).toHaveText(markup)
    const text = bobPage.getByTestId('message-text').last()
    await expect(text).toHaveText(markup)
    await expect(text.locator('img, script, b')).toHaveCount(0)
    expect(await bobPage.evaluate('window.__pwned')).toBeUndefined()
    await expect(alicePage.getByTestId('message-text').last()).toHaveText(markup)
    expect(await alicePage.evaluate('window.__pwned')).toBeUndefined()
  })

  await test.step('Only the https URL is a link, opening outside with no opener', async () => {
    const link = bobPage.getByTestId('message-link')
    await expect(link).toHaveCount(1)
    await expect(link).toHaveText('https://example.com/doc?a=1')
    await expect(link).toHaveAttribute('href', 'https://example.com/doc?a=1')
    await expect(link).toHaveAttribute('target', '_blank')
    await expect(link).toHaveAttribute('rel', /noopener/)
    await bobPage.screenshot({ path: testInfo.outputPath('markup-literal.png') })
  })

  await test.step('A file sent alone notifies and previews as "[File] name", not blank', async () => {
    await bobPage.getByTestId('nav-contacts').click()
    await alicePage.getByTestId('composer-file-input').setInputFiles({
      name: 'plan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 the plan'),
    })
    await expect.poll(() => bobPage.evaluate('window.__notifications.length')).toBe(2)
    expect(await bobPage.evaluate('window.__notifications[1].body')).toBe('[File] plan.pdf')
    const previewOf = (page: Page) =>
      page
        .getByTestId('conversation-item')
        .locator('.conversation-preview')
        .filter({ hasText: 'plan.pdf' })
    await expect(previewOf(alicePage)).toHaveText('You: [File] plan.pdf')
    await bobPage.getByTestId('nav-chats').click()
    await expect(previewOf(bobPage)).toHaveText('[File] plan.pdf')
  })

  await test.step('Bob mutes the conversation: new messages count, but do not notify', async () => {
    await bobPage.getByTestId('chat-mute').click()
    await expect(bobPage.getByTestId('chat-mute')).toHaveAttribute('aria-pressed', 'true')
    await expect(bobPage.getByTestId('conversation-muted')).toHaveCount(1)
    const item = bobPage
      .getByTestId('conversation-item')
      .filter({ has: bobPage.getByTestId('conversation-muted') })
    // Another conversation in front, so Alice's is neither open nor marked read.
    await bobPage
      .getByTestId('conversation-item')
      .filter({ hasNot: bobPage.getByTestId('conversation-muted') })
      .first()
      .click()
    await expect(item).not.toHaveAttribute('aria-current', 'true')
    await send(alicePage, 'sent while Bob has it muted')
    await expect(item.getByTestId('unread-badge')).toHaveText('1')
    expect(await bobPage.evaluate('window.__notifications.length')).toBe(2)
    await expect(bobPage).toHaveTitle('Tack')
  })
})

test('pinned comes first; Ctrl+K switches conversations by name; each keeps its own draft, across a reload', async ({
  browser,
}, testInfo) => {
  const page = await newPage(browser)
  await signIn(page, await stack().addHost('alice-profile'), 'alice')
  const composer = page.getByTestId('composer-input')
  let bobTitle = ''
  let henryTitle = ''

  await test.step('Alice has conversations with Bob and Henry', async () => {
    await openConversationWith(page, 'bob')
    await send(page, 'hello Bob')
    bobTitle = (await page.getByTestId('chat-title').textContent()) ?? ''
    await openConversationWith(page, 'henry')
    await send(page, 'hello Henry')
    henryTitle = (await page.getByTestId('chat-title').textContent()) ?? ''
    expect(bobTitle).not.toBe('')
    expect(henryTitle).not.toBe(bobTitle)
  })

  await test.step('Pinning the older conversation puts it first', async () => {
    const titles = page.getByTestId('conversation-title')
    await expect(titles.first()).toHaveText(henryTitle)
    await page.getByTestId('conversation-item').filter({ hasText: bobTitle }).click()
    await page.getByTestId('chat-pin').click()
    await expect(page.getByTestId('chat-pin')).toHaveAttribute('aria-pressed', 'true')
    await expect(titles.first()).toHaveText(bobTitle)
    await page.getByTestId('chat-pin').click()
    await expect(titles.first()).toHaveText(henryTitle)
    await page.getByTestId('conversation-item').filter({ hasText: henryTitle }).click()
  })

  await test.step('She starts a draft to Henry, then jumps to Bob with Ctrl+K', async () => {
    await composer.fill('half-written note for Henry')
    await page.keyboard.press('Control+k')
    const dialog = page.getByRole('dialog', { name: 'Go to a conversation' })
    await expect(dialog).toBeVisible()
    await expect(page.getByTestId('quick-switcher-input')).toBeFocused()
    await page.keyboard.type(bobTitle)
    await expect(page.getByTestId('quick-switcher-option')).toHaveCount(1)
    await page.screenshot({ path: testInfo.outputPath('quick-switcher.png') })
    await page.keyboard.press('Enter')
    await expect(dialog).toHaveCount(0)
    await expect(page.getByTestId('chat-title')).toHaveText(bobTitle)
    await expect(composer).toBeFocused()
    await expect(composer).toHaveValue('')
  })

  await test.step('The switcher finds by pinyin, initials and English name; Escape closes it', async () => {
    await composer.fill('draft for Bob')
    await page.keyboard.press('Control+k')
    await expect(page.getByTestId('quick-switcher')).toBeVisible()
    const options = page.getByTestId('quick-switcher-option')
    for (const [query, title] of [
      ['libo', bobTitle],
      ['wulei', henryTitle],
      ['yanfa', '研发部 Engineering'],
      ['yfb', '研发部 Engineering'],
      // A direct conversation by the other person's English name, which its option shows.
      ['bob li', 'Bob Li'],
    ] as const) {
      await page.getByTestId('quick-switcher-input').fill(query)
      await expect(options).toHaveCount(1)
      await expect(options).toContainText(title)
    }
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('quick-switcher')).toHaveCount(0)
    await expect(composer).toBeFocused()
  })

  await test.step('Each conversation gets its own draft back', async () => {
    await page.getByTestId('conversation-item').filter({ hasText: henryTitle }).click()
    await expect(page.getByTestId('chat-title')).toHaveText(henryTitle)
    await expect(composer).toHaveValue('half-written note for Henry')
    await page.keyboard.press('Control+k')
    await page.keyboard.type(bobTitle)
    await page.keyboard.press('Enter')
    await expect(composer).toHaveValue('draft for Bob')
  })

  await test.step('Sending clears only that draft', async () => {
    await page.getByTestId('composer-send').click()
    await expect(page.getByTestId('message-text').filter({ hasText: 'draft for Bob' })).toHaveCount(
      1,
    )
    await expect(composer).toHaveValue('')
    await page.getByTestId('conversation-item').filter({ hasText: henryTitle }).click()
    await expect(composer).toHaveValue('half-written note for Henry')
  })

  await test.step('The list marks an unsent draft, and drafts outlast a reload', async () => {
    const henry = page.getByTestId('conversation-item').filter({ hasText: henryTitle })
    const bob = page.getByTestId('conversation-item').filter({ hasText: bobTitle })
    // The open conversation's draft is in its composer, not in the list.
    await expect(henry.getByTestId('conversation-draft')).toHaveCount(0)
    await bob.click()
    await expect(henry.getByTestId('conversation-draft')).toHaveText('[Draft]')
    await expect(henry.getByTestId('conversation-preview')).toHaveText(
      'half-written note for Henry',
    )
    await expect(bob.getByTestId('conversation-preview')).toHaveText('You: draft for Bob')
    // Typed the moment before the page goes: saved as it goes, not after the pause.
    await composer.fill('<b>typed</b> just before the reload')
    await page.reload()
    await expect(henry.getByTestId('conversation-draft')).toHaveText('[Draft]')
    await expect(bob.getByTestId('conversation-draft')).toHaveText('[Draft]')
    await expect(bob.getByTestId('conversation-preview')).toHaveText(
      '<b>typed</b> just before the reload',
    )
    await henry.click()
    await expect(composer).toHaveValue('half-written note for Henry')
    await bob.click()
    await expect(composer).toHaveValue('<b>typed</b> just before the reload')
  })
})

test('a message recalled within two minutes disappears for both people', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  const secret = 'wrong figures, please ignore RECALL-ME'

  await test.step('Alice sends Bob a message and Bob sees it', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await openConversationWith(alicePage, 'bob')
    await send(alicePage, secret)
    await bobPage.getByTestId('conversation-item').filter({ hasText: 'RECALL-ME' }).click()
    await expect(bobPage.getByTestId('message-text').filter({ hasText: secret })).toHaveCount(1)
  })

  await test.step('Alice recalls it: both see a notice where it was, and no text', async () => {
    const mine = alicePage.getByTestId('message').filter({ hasText: secret })
    await mine.getByTestId('message-recall').click()
    await expect(alicePage.getByTestId('message-recalled')).toHaveText('You recalled a message')
    await expect(alicePage.getByTestId('message-text').filter({ hasText: secret })).toHaveCount(0)
    await expect(bobPage.getByTestId('message-recalled')).toContainText('recalled a message')
    await expect(bobPage.getByTestId('message-text').filter({ hasText: secret })).toHaveCount(0)
    await expect(bobPage.getByTestId('conversation-item').first()).not.toContainText('RECALL-ME')
    await bobPage.screenshot({ path: testInfo.outputPath('recalled.png') })
  })
})

test('recalling a message closes the notification shown for it', async ({ browser }) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  await bobPage.context().addInitScript(FAKE_NOTIFICATIONS)

  await test.step('Bob, in Contacts, is notified of Alice’s message', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await bobPage.getByTestId('nav-contacts').click()
    await openConversationWith(alicePage, 'bob')
    await send(alicePage, 'secret oops NOTIFY-RECALL')
    await expect.poll(() => bobPage.evaluate('window.__notifications.length')).toBe(1)
    expect(await bobPage.evaluate('window.__notifications[0].closed')).toBe(false)
  })

  await test.step('Alice recalls it: Bob’s notification closes', async () => {
    const mine = alicePage.getByTestId('message').filter({ hasText: 'NOTIFY-RECALL' })
    await mine.getByTestId('message-recall').click()
    await expect.poll(() => bobPage.evaluate('window.__notifications[0].closed')).toBe(true)
  })
})

test('a group made from the directory reaches every member, and Escape closes the dialog', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  const title = 'Launch planning 发布计划'

  await test.step('Alice and Bob sign in', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
  })

  await test.step('The new-group dialog is a labelled modal that Escape closes', async () => {
    await alicePage.getByTestId('nav-contacts').click()
    await alicePage.getByTestId('new-group').click()
    const dialog = alicePage.getByRole('dialog', { name: 'New group' })
    await expect(dialog).toHaveAttribute('aria-modal', 'true')
    await expect(alicePage.getByTestId('group-title-input')).toBeFocused()
    await alicePage.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
  })

  await test.step('Alice makes a group with Bob and Henry and writes in it', async () => {
    await alicePage.getByTestId('new-group').click()
    await alicePage.getByTestId('group-title-input').fill(title)
    for (const username of ['bob', 'henry']) {
      const option = alicePage.locator(
        `[data-testid="group-member-option"][data-username="${username}"]`,
      )
      await option.click()
      await expect(option).toHaveAttribute('aria-checked', 'true')
    }
    await alicePage.screenshot({ path: testInfo.outputPath('new-group.png') })
    await alicePage.getByTestId('group-create').click()
    await expect(alicePage.getByTestId('chat-title')).toHaveText(title)
    await send(alicePage, 'Kick-off on Monday')
  })

  await test.step('Bob finds the group in his list with the message and her name', async () => {
    const item = bobPage.getByTestId('conversation-item').filter({ hasText: title })
    await expect(item.getByTestId('unread-badge')).toHaveText('1')
    await item.click()
    await expect(bobPage.getByTestId('chat-title')).toHaveText(title)
    const message = bobPage.getByTestId('message').filter({ hasText: 'Kick-off on Monday' })
    await expect(message.locator('.message-sender')).toHaveText('王爱丽')
  })
})

test('Settings shows the storage used by locale and says which notifications this Tack uses', async ({
  browser,
}, testInfo) => {
  const page = await newPage(browser)

  await test.step('Alice signs in to browser mode and writes a message', async () => {
    await signIn(page, await stack().addHost('alice-profile'), 'alice')
    await openConversationWith(page, 'bob')
    await send(page, 'Something to store 存一下')
  })

  await test.step('Settings: the database size in English; no files yet; page notifications', async () => {
    await page.getByTestId('nav-settings').click()
    await expect(page.getByTestId('settings-storage-database')).toHaveText(/^\d+(\.\d)? (KiB|MiB)$/)
    await expect(page.getByTestId('settings-storage-files')).toHaveText('0 bytes')
    await expect(page.getByTestId('settings-notifications-kind')).toHaveText(
      'Notifications come from this browser tab while it is open. ' +
        'The unread total shows in the tab title.',
    )
    await page.getByTestId('settings-storage').screenshot({
      path: testInfo.outputPath('settings-storage-en.png'),
    })
  })

  await test.step('In Chinese the same figures read in Chinese, measured again on request', async () => {
    await page.getByTestId('settings-language').selectOption('zh-CN')
    await expect(page.getByTestId('settings-storage-files')).toHaveText('0字节')
    await page.getByTestId('settings-storage-refresh').click()
    await expect(page.getByTestId('settings-storage-total')).toHaveText(/^\d+(\.\d)? (KiB|MiB)$/)
    await expect(page.getByTestId('settings-storage')).toContainText('存储空间')
  })
})
