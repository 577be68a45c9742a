// The encrypted store as a person meets it in browser mode: a search hit opens its conversation
// at the message, contacts are found by pinyin initials, a file by its name, and a database
// whose key no longer fits shows the recovery screen, whose way out keeps the old file and
// resyncs into a new one.
import { randomBytes } from 'node:crypto'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { openConversationWith, sendAndConfirm as send, signIn } from './steps'
import { useStack } from './stack'

const stack = useStack()

test('a search hit opens its conversation at the message; contacts are found by pinyin, files by name', async ({
  browser,
}, testInfo) => {
  const page = await (await browser.newContext()).newPage()
  const host = await stack().addHost('alice-profile')
  const early = '项目评审会议纪要已经发出 early note'

  await test.step('Alice writes to Bob: one early message, then enough to scroll it away', async () => {
    await signIn(page, host, 'alice')
    await openConversationWith(page, 'bob')
    await send(page, early)
    for (let i = 1; i <= 30; i += 1) await send(page, `filler #${i}.`)
    await expect(page.getByTestId('message').filter({ hasText: early })).not.toBeInViewport()
  })

  await test.step('She searches for a Chinese substring from the middle of it', async () => {
    await page.getByTestId('search-input').fill('评审会')
    const hit = page.getByTestId('search-message')
    await expect(hit).toHaveCount(1)
    await expect(hit).toContainText(early)
    await page.screenshot({ path: testInfo.outputPath('search-results.png') })
    await hit.click()
  })

  await test.step('The conversation opens centred on that message, highlighted', async () => {
    const message = page.getByTestId('message').filter({ hasText: early })
    await expect(message).toHaveAttribute('data-highlighted', 'true')
    await expect(message).toBeInViewport()
    await expect(page.getByTestId('search-input')).toHaveValue('')
    await page.screenshot({ path: testInfo.outputPath('opened-at-hit.png') })
  })

  await test.step('Bob is found by the initials of 李博 (lb)', async () => {
    await page.getByTestId('search-input').fill('lb')
    await expect(page.getByTestId('search-contact').first()).toHaveAttribute(
      'data-person-id',
      'u-bob',
    )
    await expect(page.getByTestId('search-contact').first().locator('mark')).toHaveText('李博')
  })

  await test.step('She sends a file without text; search finds it by its name', async () => {
    await page.getByTestId('search-input').fill('')
    await openConversationWith(page, 'bob')
    await page.getByTestId('composer-file-input').setInputFiles({
      name: '第三季度 Q3 plan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 numbers'),
    })
    await expect(page.getByTestId('message').filter({ hasText: 'Q3 plan.pdf' })).toHaveAttribute(
      'data-state',
      'sent',
    )
    for (const query of ['Q3 plan', '季度']) {
      await page.getByTestId('search-input').fill(query)
      const hit = page.getByTestId('search-message')
      await expect(hit).toHaveCount(1)
      await expect(hit.getByTestId('search-file-name')).toHaveText('[File] 第三季度 Q3 plan.pdf')
    }
    await page.screenshot({ path: testInfo.outputPath('search-file-name.png') })
  })
})

test('a key that no longer fits shows the recovery screen; recovery keeps the old file and resyncs', async ({
  browser,
}, testInfo) => {
  const page = await (await browser.newContext()).newPage()
  const host = await stack().addHost('alice-profile')
  const note = 'kept safe on the server 服务器'

  await test.step('Alice signs in, writes a message, and closes the app', async () => {
    await signIn(page, host, 'alice')
    await openConversationWith(page, 'bob')
    await send(page, note)
    await host.stop()
  })

  await test.step('Her key file is replaced by another key; the app starts again', async () => {
    writeFileSync(join(host.profileDir, 'keys', 'u-alice.key'), randomBytes(32).toString('hex'))
    await host.start()
    await page.goto(host.url)
  })

  await test.step('The recovery screen says the key does not fit, and deletes nothing', async () => {
    await expect(page.getByTestId('store-problem')).toHaveAttribute('data-kind', 'wrong-key')
    await expect(page.getByTestId('store-problem-detail')).toContainText('key does not match')
    expect(readdirSync(join(host.profileDir, 'accounts'))).toContain('u-alice.db')
    await page.screenshot({ path: testInfo.outputPath('recovery-screen.png') })
  })

  await test.step('Recovery moves the old database aside and asks her to sign in', async () => {
    await page.getByTestId('store-recover').click()
    await expect(page.getByTestId('store-recovered')).toContainText('u-alice.db.broken-')
    const files = readdirSync(join(host.profileDir, 'accounts'))
    expect(files.some((name) => /^u-alice\.db\.broken-\d{8}T\d{6}Z$/.test(name))).toBe(true)
    expect(files).not.toContain('u-alice.db')
  })

  await test.step('Signing in again brings her history back from the server', async () => {
    await page.getByTestId('login-username').fill('alice')
    await page.getByTestId('login-password').fill('demo1234')
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    await expect(page.getByTestId('conversation-list')).toContainText(note)
    await page.getByTestId('search-input').fill('服务器')
    await expect(page.getByTestId('search-message')).toContainText(note)
    await page.getByTestId('search-message').click()
    await expect(page.getByTestId('message').filter({ hasText: note })).toHaveCount(1)
  })
})
