// My devices in Settings: Alice signs in on two browser-mode hosts (two profiles, two devices),
// each lists both with "this device" marked, and one signs the other out, which is told why.
import { expect, test, type Browser, type Page } from '@playwright/test'
import { useStack } from './stack'
import { signIn } from './steps'

const stack = useStack()

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' })
  return context.newPage()
}

test('signs one of my devices out from the other one’s Settings', async ({ browser }) => {
  const desktopHost = await stack().addHost('desktop')
  const laptopHost = await stack().addHost('laptop')
  const desktop = await newPage(browser)
  const laptop = await newPage(browser)

  await test.step('Alice signs in on both devices', async () => {
    await signIn(desktop, desktopHost, 'alice')
    await signIn(laptop, laptopHost, 'alice')
  })

  await test.step('Settings on the desktop lists both, this one marked', async () => {
    await desktop.getByTestId('nav-settings').click()
    const rows = desktop.getByTestId('device-row')
    await expect(rows).toHaveCount(2)
    await expect(rows.first().getByTestId('device-current')).toHaveText('This device')
    await expect(rows.first().getByTestId('device-sign-out')).toHaveCount(0)
    await expect(rows.nth(1)).toContainText('last seen')
    await expect(desktop.getByTestId('device-sign-out')).toHaveCount(1)
    // Both are browser mode on this machine, with its name: a piece of each id tells them apart.
    await expect(desktop.getByTestId('device-tag')).toHaveText([/^#[0-9a-f]{4}$/, /^#[0-9a-f]{4}$/])
  })

  await test.step('the laptop’s Settings lists both too, in Chinese', async () => {
    await laptop.getByTestId('nav-settings').click()
    await laptop.getByTestId('settings-language').selectOption('zh-CN')
    await expect(laptop.getByTestId('device-current')).toHaveText('本机')
    await expect(laptop.getByTestId('device-row')).toHaveCount(2)
    // Browser mode's devices report the platform "browser", worded in the UI's language.
    await expect(laptop.getByTestId('device-platform')).toHaveText(['浏览器', '浏览器'])
  })

  await test.step('the desktop signs the laptop out', async () => {
    await desktop.getByTestId('device-sign-out').click()
    await expect(desktop.getByTestId('device-row')).toHaveCount(1)
    await expect(desktop.getByTestId('device-current')).toBeVisible()
  })

  await test.step('the laptop is back at sign-in, told why in Chinese', async () => {
    await expect(laptop.getByTestId('login-username')).toBeVisible({ timeout: 15_000 })
    const reason = laptop.getByTestId('signed-out-reason')
    await expect(reason).toHaveAttribute('data-code', 'SIGNED_OUT_ELSEWHERE')
    await expect(reason).toHaveText('你已退出登录：你在另一台设备上让本设备退出了登录。')
  })

  await test.step('signing in to a server that is not there says so in Chinese', async () => {
    await laptop.getByTestId('login-server').fill('127.0.0.1:1')
    await laptop.getByTestId('login-username').fill('alice')
    await laptop.getByTestId('login-password').fill('demo1234')
    await laptop.getByTestId('login-submit').click()
    const error = laptop.getByTestId('login-error')
    await expect(error).toHaveAttribute('data-code', 'UNREACHABLE', { timeout: 30_000 })
    await expect(error).toHaveText('无法连接服务器 127.0.0.1:1。请检查地址，并确认服务器正在运行。')
  })
})
