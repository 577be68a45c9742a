// Messaging between people in Chromium against a real server: read receipts ("N unread" and who
// read it), @mentions through the picker, replies with a quote, copying a message, and quoted
// text that looks like HTML shown literally.
import { expect, test, type Browser, type Page } from '@playwright/test'
import { sendAndConfirm, signIn } from './steps'
import { useStack } from './stack'

const stack = useStack()

/** The seeded group of all 36 demo people: a message of mine there starts with 35 unread. */
const ALL_HANDS = 'All Hands'

async function newPage(browser: Browser, options: { clipboard?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: 'en-US',
    colorScheme: 'light',
    ...(options.clipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
  })
  return context.newPage()
}

async function openAllHands(page: Page): Promise<void> {
  await page.getByTestId('conversation-item').filter({ hasText: ALL_HANDS }).click()
  await expect(page.getByTestId('chat-title')).toContainText(ALL_HANDS)
}

function messageWith(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text })
}

test('read receipts: Alice sees how many have not read, and Bob reading moves it', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  const text = 'Quarterly review slides are in the drive RECEIPT-1'

  await test.step('Alice sends in the all-hands group and sees 35 unread', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await openAllHands(alicePage)
    await sendAndConfirm(alicePage, text)
    const receipt = messageWith(alicePage, text).getByTestId('read-receipt')
    await expect(receipt).toHaveText('35 unread')
    await expect(receipt).toHaveAttribute('aria-haspopup', 'dialog')
  })

  await test.step('Bob opens the chat; Alice’s count drops to 34 without a reload', async () => {
    await expect(
      bobPage.getByTestId('conversation-item').filter({ hasText: ALL_HANDS }),
    ).toContainText('RECEIPT-1')
    await openAllHands(bobPage)
    await expect(messageWith(bobPage, text)).toHaveCount(1)
    await expect(messageWith(alicePage, text).getByTestId('read-receipt')).toHaveText('34 unread')
  })

  await test.step('The receipt opens a dialog listing Bob as read, others as unread', async () => {
    await messageWith(alicePage, text).getByTestId('read-receipt').click()
    const dialog = alicePage.getByRole('dialog', { name: 'Read receipts' })
    await expect(dialog).toHaveAttribute('aria-modal', 'true')
    const read = dialog.getByTestId('receipt-read').locator('li')
    await expect(read).toHaveCount(1)
    await expect(read).toHaveAttribute('data-user-id', 'u-bob')
    await expect(read).toContainText('李博')
    await expect(dialog.getByTestId('receipt-unread').locator('li')).toHaveCount(34)
    await expect(dialog.getByTestId('receipt-unread')).toContainText('陈卡罗')
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused()
    await alicePage.screenshot({ path: testInfo.outputPath('receipts-dialog.png') })
    await alicePage.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
  })
})

test('mention: Alice picks Bob with @ and the keyboard; Bob sees it marked and highlighted', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)

  await test.step('Alice types @libo: the picker narrows to Bob by pinyin', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await openAllHands(alicePage)
    const input = alicePage.getByTestId('composer-input')
    await input.pressSequentially('Please check @libo')
    const picker = alicePage.getByRole('listbox', { name: 'Mention a member' })
    await expect(picker).toBeVisible()
    await expect(picker.getByRole('option').first()).toHaveAttribute('data-user-id', 'u-bob')
    await expect(input).toHaveAttribute('aria-activedescendant', /.+/)
    await alicePage.screenshot({ path: testInfo.outputPath('mention-picker.png') })
  })

  await test.step('Escape closes the picker; Enter then inserts @李博 and sends', async () => {
    const input = alicePage.getByTestId('composer-input')
    await alicePage.keyboard.press('Escape')
    await expect(alicePage.getByTestId('mention-picker')).toHaveCount(0)
    await input.pressSequentially('x')
    await expect(alicePage.getByTestId('mention-picker')).toHaveCount(0)
    await input.fill('Please check ')
    await input.pressSequentially('@libo')
    await expect(alicePage.getByTestId('mention-picker')).toBeVisible()
    await alicePage.keyboard.press('ArrowDown')
    await alicePage.keyboard.press('ArrowUp')
    await alicePage.keyboard.press('Enter')
    await expect(input).toHaveValue('Please check @李博 ')
    await input.pressSequentially('the numbers MENTION-1')
    await alicePage.keyboard.press('Enter')
    await expect(messageWith(alicePage, 'MENTION-1')).toHaveAttribute('data-state', 'sent')
  })

  await test.step('Bob’s list marks the group until he reads it; the message is highlighted', async () => {
    const item = bobPage.getByTestId('conversation-item').filter({ hasText: ALL_HANDS })
    await expect(item.getByTestId('conversation-mention')).toHaveText('[@me]')
    await bobPage.screenshot({ path: testInfo.outputPath('mention-marked.png') })
    await item.click()
    const message = messageWith(bobPage, 'MENTION-1')
    await expect(message).toHaveClass(/mentions-me/)
    await expect(message.getByTestId('message-mentions-me')).toHaveText('Mentions you')
    await expect(item.getByTestId('conversation-mention')).toHaveCount(0)
  })
})

test('reply with a quote: HTML-looking text stays text, and the quote scrolls to the original', async ({
  browser,
}, testInfo) => {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  const markup = '<img src=x onerror="window.pwned=1"><b>bold?</b> QUOTE-ME'

  await test.step('Bob writes something that looks like markup', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await openAllHands(bobPage)
    await sendAndConfirm(bobPage, markup)
    for (let i = 0; i < 6; i++) await sendAndConfirm(bobPage, `filler ${i}`)
  })

  await test.step('Alice replies from the keyboard: the quote bar shows, Escape cancels', async () => {
    await openAllHands(alicePage)
    // Six more messages push the original out of view once the reply is sent; it stays among
    // the rows the virtualized list keeps rendered, so its Reply button can take the focus.
    await expect(messageWith(alicePage, 'filler 5')).toBeVisible()
    const original = messageWith(alicePage, 'QUOTE-ME')
    const reply = original.getByTestId('message-reply')
    await expect(reply).toHaveAttribute('aria-label', 'Reply to the message from 李博')
    await reply.focus()
    await alicePage.keyboard.press('Enter')
    await expect(alicePage.getByTestId('quote-bar')).toContainText(markup)
    await expect(alicePage.getByTestId('composer-input')).toBeFocused()
    await alicePage.keyboard.press('Escape')
    await expect(alicePage.getByTestId('quote-bar')).toHaveCount(0)
    await reply.focus()
    await alicePage.keyboard.press('Enter')
    await alicePage.getByTestId('composer-input').fill('Agreed REPLY-1')
    await alicePage.keyboard.press('Enter')
    await expect(alicePage.getByTestId('quote-bar')).toHaveCount(0)
  })

  await test.step('Both see the quote as literal text; nothing in it ran', async () => {
    for (const page of [alicePage, bobPage]) {
      const quote = messageWith(page, 'REPLY-1').getByTestId('message-quote-text')
      await expect(quote).toHaveText(markup)
      await expect(messageWith(page, 'REPLY-1').locator('img, b')).toHaveCount(0)
      expect(await page.evaluate('window.pwned')).toBeUndefined()
    }
    await alicePage.screenshot({ path: testInfo.outputPath('reply-quote.png') })
  })

  await test.step('Clicking the quote scrolls to the original and highlights it', async () => {
    await messageWith(alicePage, 'REPLY-1').getByTestId('message-quote').click()
    const original = alicePage.locator('[data-testid="message"][data-highlighted="true"]')
    await expect(original).toContainText('QUOTE-ME')
    await expect(original).toBeInViewport()
    await alicePage.screenshot({ path: testInfo.outputPath('reply-quote-focused.png') })
  })
})

/** Alice says "secret oops" in All Hands and Bob presses Reply on it: the quote bar shows it. */
async function bobRepliesToAlice(browser: Browser): Promise<{ alicePage: Page; bobPage: Page }> {
  const alicePage = await newPage(browser)
  const bobPage = await newPage(browser)
  await test.step('Alice says something in All Hands; Bob presses Reply on it', async () => {
    await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
    await signIn(bobPage, await stack().addHost('bob-profile'), 'bob')
    await openAllHands(alicePage)
    await sendAndConfirm(alicePage, 'secret oops')
    await openAllHands(bobPage)
    await messageWith(bobPage, 'secret oops').getByTestId('message-reply').click()
    await expect(bobPage.getByTestId('quote-bar')).toContainText('secret oops')
  })
  return { alicePage, bobPage }
}

test('a recall takes the text out of the quotes of the message, for both people', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await bobRepliesToAlice(browser)

  await test.step('Bob sends his reply quoting it', async () => {
    await sendAndConfirm(bobPage, 'which one? REPLY-2')
    for (const page of [alicePage, bobPage]) {
      await expect(messageWith(page, 'REPLY-2').getByTestId('message-quote-text')).toHaveText(
        'secret oops',
      )
    }
  })

  await test.step('Alice recalls it: the quote in Bob’s reply says so on both sides', async () => {
    await messageWith(alicePage, 'secret oops').getByTestId('message-recall').click()
    for (const page of [alicePage, bobPage]) {
      const quote = messageWith(page, 'REPLY-2').getByTestId('message-quote')
      await expect(quote.getByTestId('message-quote-text')).toHaveText(
        'The original message was recalled',
      )
      await expect(quote).toContainText('王爱丽')
      await expect(page.getByText('secret oops')).toHaveCount(0)
    }
    await bobPage.screenshot({ path: testInfo.outputPath('reply-quote-recalled.png') })
  })
})

test('the reply bar follows a recall of its message; sending keeps the text, without the quote', async ({
  browser,
}, testInfo) => {
  const { alicePage, bobPage } = await bobRepliesToAlice(browser)

  await test.step('Bob types his reply', async () => {
    await bobPage.getByTestId('composer-input').fill('what was that? REPLY-3')
  })

  await test.step('Alice recalls it: Bob’s bar says so, his text stays', async () => {
    await messageWith(alicePage, 'secret oops').getByTestId('message-recall').click()
    const bar = bobPage.getByTestId('quote-bar')
    await expect(bar).toContainText('The message was recalled. Send goes without the quote.')
    await expect(bar).not.toContainText('secret oops')
    await expect(bobPage.getByTestId('composer-input')).toHaveValue('what was that? REPLY-3')
    await bobPage.screenshot({ path: testInfo.outputPath('reply-bar-recalled.png') })
  })

  await test.step('Bob sends: it goes without a quote, with no error', async () => {
    await bobPage.getByTestId('composer-input').press('Enter')
    const sent = messageWith(bobPage, 'REPLY-3')
    await expect(sent).toHaveAttribute('data-state', 'sent')
    await expect(sent.getByTestId('message-quote')).toHaveCount(0)
    await expect(bobPage.getByTestId('quote-bar')).toHaveCount(0)
    await expect(bobPage.getByTestId('composer-error')).toHaveCount(0)
    await expect(messageWith(alicePage, 'REPLY-3')).toHaveCount(1)
  })
})

test('copy puts the message text on the clipboard', async ({ browser }) => {
  const alicePage = await newPage(browser, { clipboard: true })
  const text = '会议室 3-201，下午三点 COPY-1'

  await signIn(alicePage, await stack().addHost('alice-profile'), 'alice')
  await openAllHands(alicePage)
  await sendAndConfirm(alicePage, text)
  const copy = messageWith(alicePage, text).getByTestId('message-copy')
  await copy.focus()
  await alicePage.keyboard.press('Enter')

  await expect(messageWith(alicePage, text).getByTestId('message-copy-status')).toHaveText('Copied')
  expect(await alicePage.evaluate('navigator.clipboard.readText()')).toBe(text)
})
