// The virtualized lists with more history than fits: older messages load as the reader scrolls up,
// down to the first one, while the page holds only the rows in view; the conversation list of
// hundreds is driven from the keyboard. The history is written into the server before Alice's
// first sign-in (seed-history.ts) and reaches her device through sync.
import { expect, test, type Page } from '@playwright/test'
import { seedHistory } from './seed-history'
import { useStack } from './stack'
import { signIn } from './steps'

const stack = useStack()

const HISTORY_ID = 'g:lists-history'
const MESSAGES = 400
const CONVERSATIONS = 300

function seed(): void {
  seedHistory({
    dataDir: stack().server.dataDir,
    memberIds: ['u-alice', 'u-bob'],
    conversations: CONVERSATIONS,
    history: { conversationId: HISTORY_ID, title: 'Long history', messages: MESSAGES, days: 5 },
  })
}

/** Waits until sync has brought the last seeded message (the history is written last). */
async function waitForHistory(page: Page): Promise<void> {
  const item = page.locator(
    `[data-testid="conversation-item"][data-conversation-id="${HISTORY_ID}"]`,
  )
  await expect(item).toContainText(`#${MESSAGES} `, { timeout: 60_000 })
}

test('scrolling up loads older messages down to the first, with few rows in the page', async ({
  browser,
}, testInfo) => {
  const page = await (await browser.newContext()).newPage()
  seed()
  const host = await stack().addHost('alice-profile')
  const list = page.getByTestId('message-list')

  await test.step('Alice signs in on a new device; sync brings the history', async () => {
    await signIn(page, host, 'alice')
    await waitForHistory(page)
  })

  await test.step('She opens it at the newest message; only the newest page is loaded', async () => {
    await page.locator(`[data-conversation-id="${HISTORY_ID}"]`).click()
    await expect(
      page.getByTestId('message-text').filter({ hasText: `#${MESSAGES} ` }),
    ).toBeInViewport()
    const rows = Number(await list.getAttribute('data-rows'))
    expect(rows).toBeLessThan(MESSAGES)
    await expect(page.getByTestId('history-edge')).toHaveAttribute('data-state', /more|loading/)
  })

  await test.step('An older page lands above without moving the rows in view', async () => {
    const rowsBefore = Number(await list.getAttribute('data-rows'))
    // The seq of the first message whose top is in view.
    const topSeq = () =>
      list.evaluate(async (element) => {
        const frame = element.ownerDocument.defaultView!
        await new Promise((done) =>
          frame.requestAnimationFrame(() => frame.requestAnimationFrame(done)),
        )
        const top = element.getBoundingClientRect().top
        const row = [...element.querySelectorAll('[data-testid="message"]')].find(
          (item) => item.getBoundingClientRect().top >= top,
        )
        return Number(row?.getAttribute('data-seq'))
      })
    await list.evaluate((element) => element.scrollTo({ top: 200 }))
    const before = await topSeq()
    await expect
      .poll(async () => Number(await list.getAttribute('data-rows')))
      .toBeGreaterThan(rowsBefore)
    // Were the rows not kept in place, the view would now show a page (100 messages) earlier.
    expect(Math.abs((await topSeq()) - before)).toBeLessThanOrEqual(2)
  })

  await test.step('Scrolling to the top again and again loads every older page', async () => {
    await expect(async () => {
      await list.evaluate((element) => element.scrollTo({ top: 0 }))
      await expect(page.getByTestId('history-edge')).toHaveAttribute('data-state', 'start', {
        timeout: 1_000,
      })
    }).toPass({ timeout: 60_000 })
    // The last page lands above the rows in view, which stay put: one more scroll to the top.
    const first = page.getByTestId('message-text').filter({ hasText: /^#1 / })
    await expect(async () => {
      await list.evaluate((element) => element.scrollTo({ top: 0 }))
      await expect(first).toBeVisible({ timeout: 1_000 })
    }).toPass({ timeout: 15_000 })
    await page.screenshot({ path: testInfo.outputPath('history-start.png') })
  })

  await test.step('All of it is loaded, each message once, but the page holds a screenful', async () => {
    const rows = Number(await list.getAttribute('data-rows'))
    // Every message, plus a separator per day.
    expect(rows).toBeGreaterThanOrEqual(MESSAGES)
    const inPage = await page.getByTestId('message').count()
    expect(inPage).toBeGreaterThan(0)
    expect(inPage).toBeLessThan(60)
    const seqs = await page
      .getByTestId('message')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-seq')))
    expect(new Set(seqs).size).toBe(seqs.length)
  })

  await test.step('A new message from Bob while she reads the top does not move her view', async () => {
    const first = page.getByTestId('message-text').filter({ hasText: /^#1 / })
    const before = await first.boundingBox()
    const bob = await (await browser.newContext()).newPage()
    const bobHost = await stack().addHost('bob-profile')
    await signIn(bob, bobHost, 'bob')
    await bob.locator(`[data-conversation-id="${HISTORY_ID}"]`).click()
    await bob.getByTestId('composer-input').fill('fresh from Bob')
    await bob.getByTestId('composer-send').click()
    await expect(page.locator(`[data-conversation-id="${HISTORY_ID}"]`)).toContainText(
      'fresh from Bob',
    )
    expect(await first.boundingBox()).toEqual(before)
  })

  await test.step('Scrolled back down, the bottom follows new messages again', async () => {
    await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }))
    await expect(
      page.getByTestId('message-text').filter({ hasText: 'fresh from Bob' }),
    ).toBeInViewport()
  })
})

test('a list of hundreds of conversations is driven from the keyboard', async ({
  browser,
}, testInfo) => {
  const page = await (await browser.newContext()).newPage()
  seed()
  const host = await stack().addHost('alice-profile')
  const list = page.getByTestId('conversation-list')
  const options = page.getByTestId('conversation-item')
  const active = () =>
    list.evaluate((element) => {
      const id = element.getAttribute('aria-activedescendant')
      return id ? element.querySelector(`[id="${id}"]`)?.getAttribute('aria-posinset') : null
    })

  await test.step('Alice signs in; the list is a labelled listbox with few options in the page', async () => {
    await signIn(page, host, 'alice')
    await waitForHistory(page)
    await expect(list).toHaveAttribute('role', 'listbox')
    await expect(list).toHaveAccessibleName('Conversations')
    const total = Number(await options.first().getAttribute('aria-setsize'))
    expect(total).toBeGreaterThanOrEqual(CONVERSATIONS)
    expect(await options.count()).toBeLessThan(40)
  })

  await test.step('Arrow keys move the active option; the focus stays on the list', async () => {
    await list.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await active()).toBe('4')
    await page.keyboard.press('ArrowUp')
    expect(await active()).toBe('3')
    await expect(list).toBeFocused()
  })

  await test.step('End goes to the last conversation, scrolled into view; Enter opens it', async () => {
    await page.keyboard.press('End')
    const total = await options.first().getAttribute('aria-setsize')
    await expect.poll(active).toBe(total)
    const last = page.locator(`[data-testid="conversation-item"][aria-posinset="${total}"]`)
    await expect(last).toBeInViewport()
    const title = await last.getByTestId('conversation-title').textContent()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('chat-title')).toHaveText(title!)
    await expect(last).toHaveAttribute('aria-selected', 'true')
    await page.screenshot({ path: testInfo.outputPath('conversation-list-end.png') })
  })

  await test.step('Home goes back to the first; Page Down moves a screenful', async () => {
    await list.focus()
    await page.keyboard.press('Home')
    await expect.poll(active).toBe('1')
    await page.keyboard.press('PageDown')
    await expect.poll(async () => Number(await active())).toBeGreaterThan(5)
  })
})
