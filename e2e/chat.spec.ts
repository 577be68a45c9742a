// The first real chat, end to end in browser mode: two people, each with their own app host
// and browser context, against a real TLS server.
import { expect, test } from '@playwright/test'
import { messagesWithText, openConversationWith, send, signIn } from './steps'
import { useStack, type AppHost } from './stack'

const stack = useStack()

test('two people chat live, history survives a reload, and a message typed offline arrives once', async ({
  browser,
}, testInfo) => {
  const alicePage = await (await browser.newContext()).newPage()
  const bobPage = await (await browser.newContext()).newPage()
  let aliceHost!: AppHost
  let bobHost!: AppHost

  await test.step('Alice and Bob each start their own app and sign in', async () => {
    aliceHost = await stack().addHost('alice-profile')
    bobHost = await stack().addHost('bob-profile')
    await signIn(alicePage, aliceHost, 'alice', { serverAddress: stack().server.address })
    await signIn(bobPage, bobHost, 'bob', { serverAddress: stack().server.address })
    await alicePage.screenshot({ path: testInfo.outputPath('alice-signed-in.png') })
  })

  const hello = 'Hello Bob, 你好 PLAINTEXT-CANARY-1'
  await test.step('Alice opens a chat with Bob from contacts and sends a message', async () => {
    await openConversationWith(alicePage, 'bob')
    await send(alicePage, hello)
    await expect(alicePage.getByTestId('message').filter({ hasText: hello })).toHaveAttribute(
      'data-state',
      'sent',
    )
  })

  await test.step('Bob sees it live, with an unread count, and opens it', async () => {
    const item = bobPage
      .getByTestId('conversation-item')
      .filter({ hasText: 'Alice' })
      .or(bobPage.getByTestId('conversation-item').filter({ hasText: '王爱丽' }))
    await expect(item.getByTestId('unread-badge')).toHaveText('1')
    await item.click()
    await expect(messagesWithText(bobPage, hello)).toHaveCount(1)
    await expect(item.getByTestId('unread-badge')).toHaveCount(0)
  })

  const reply = 'Hi Alice! 收到 PLAINTEXT-CANARY-2'
  await test.step('Bob replies and Alice sees it live', async () => {
    await send(bobPage, reply)
    await expect(messagesWithText(alicePage, reply)).toHaveCount(1)
    await bobPage.screenshot({ path: testInfo.outputPath('bob-chat.png') })
  })

  await test.step("After a reload, Bob's history comes from his encrypted store", async () => {
    await bobPage.reload()
    await bobPage.getByTestId('conversation-item').first().click()
    await expect(messagesWithText(bobPage, hello)).toHaveCount(1)
    await expect(messagesWithText(bobPage, reply)).toHaveCount(1)
  })

  await test.step("Bob's database file holds no plaintext of the messages", async () => {
    expect(bobHost.databaseFiles().length).toBeGreaterThan(0)
    expect(bobHost.databaseContains('PLAINTEXT-CANARY')).toBe(false)
    expect(aliceHost.databaseContains('PLAINTEXT-CANARY')).toBe(false)
  })

  const offline = 'Typed while the server was down PLAINTEXT-CANARY-3'
  await test.step('Alice types while the server is stopped; the message waits', async () => {
    const port = stack().server.port
    await stack().server.stop()
    await expect(alicePage.getByTestId('connection-status')).not.toHaveAttribute(
      'data-status',
      'online',
    )
    await send(alicePage, offline)
    await expect(alicePage.getByTestId('message').filter({ hasText: offline })).toHaveAttribute(
      'data-state',
      'sending',
    )
    await alicePage.screenshot({ path: testInfo.outputPath('alice-offline.png') })

    await test.step('the server comes back on the same port', async () => {
      await stack().server.start(port)
      await alicePage
        .getByTestId('retry-now')
        .click({ timeout: 5_000 })
        .catch(() => undefined)
    })
  })

  await test.step('Once the server is back, the message is delivered exactly once', async () => {
    await expect(alicePage.getByTestId('connection-status')).toHaveAttribute(
      'data-status',
      'online',
      { timeout: 45_000 },
    )
    await expect(alicePage.getByTestId('message').filter({ hasText: offline })).toHaveAttribute(
      'data-state',
      'sent',
    )
    await expect(messagesWithText(bobPage, offline)).toHaveCount(1, { timeout: 45_000 })
    await bobPage.reload()
    await bobPage.getByTestId('conversation-item').first().click()
    await expect(messagesWithText(bobPage, offline)).toHaveCount(1)
    await expect(messagesWithText(alicePage, offline)).toHaveCount(1)
  })
})
