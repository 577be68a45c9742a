// Steps the browser-mode specs share: signing in, opening a conversation from contacts, sending.
// Each waits for what a person would see before the next step.
import { expect, type Locator, type Page } from '@playwright/test'
import type { AppHost } from './stack'

/** Signs in to `host` as a demo account; with `serverAddress`, first checks it is filled in. */
export async function signIn(
  page: Page,
  host: AppHost,
  username: string,
  options: { serverAddress?: string } = {},
): Promise<void> {
  await page.goto(host.url)
  if (options.serverAddress) {
    await expect(page.getByTestId('login-server')).toHaveValue(options.serverAddress)
  }
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill('demo1234')
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
}

/** Finds the person in Contacts by username, opens their card and presses "Message". */
export async function openConversationWith(page: Page, username: string): Promise<void> {
  await page.getByTestId('nav-contacts').click()
  await page.getByTestId('contacts-search').fill(username)
  await page.locator(`[data-testid="contact-item"][data-username="${username}"]`).click()
  await expect(page.getByTestId('profile-card')).toHaveAttribute('data-person-id', `u-${username}`)
  await page.getByTestId('profile-message').click()
  await expect(page.getByTestId('composer-input')).toBeVisible()
}

/** Types and sends, without waiting for the server (it may be down). */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('composer-send').click()
}

/** Sends and waits until the server has acknowledged the message. */
export async function sendAndConfirm(page: Page, text: string): Promise<void> {
  await send(page, text)
  await expect(page.getByTestId('message').filter({ hasText: text }).last()).toHaveAttribute(
    'data-state',
    'sent',
  )
}

export function messagesWithText(page: Page, text: string): Locator {
  return page.getByTestId('message-text').filter({ hasText: text })
}
