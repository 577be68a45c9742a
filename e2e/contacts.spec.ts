// Contacts and groups in browser mode: the org tree (a keyboard-driven ARIA tree), finding 王爱丽
// by full pinyin and by initials with the match marked, her profile card and its "Message";
// a group made from the org tree, renamed, a member added and removed, and left (marked "Left" in
// the leaver's list), each seen in the other member's browser and on the leaver's second device,
// and each written into the chat as a line of its own; and pictures of the tree, the card and
// the group panel in light and dark, English and Chinese.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test'
import { sendAndConfirm as send, signIn } from './steps'
import { useStack } from './stack'

const stack = useStack()

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light' })
  return context.newPage()
}

function person(within: Page | Locator, testId: string, username: string) {
  return within.locator(`[data-testid="${testId}"][data-username="${username}"]`)
}

function department(within: Page | Locator, id: string) {
  return within.locator(`[data-testid="org-department"][data-department-id="${id}"]`)
}

/** Language and theme through Settings, as a person would change them. */
async function setLook(page: Page, language: 'en' | 'zh-CN', theme: 'light' | 'dark') {
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-language').selectOption(language)
  await page.getByTestId(`settings-theme-${theme}`).check()
  await expect(page.locator('html')).toHaveAttribute('lang', language)
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
}

async function openGroup(page: Page, title: string): Promise<void> {
  await page.getByTestId('nav-chats').click()
  await page.getByTestId('conversation-item').filter({ hasText: title }).click()
  await expect(page.getByTestId('chat-title')).toHaveText(title)
}

test('finding 王爱丽 by pinyin and initials in the org tree, her card, and "Message"', async ({
  browser,
}, testInfo) => {
  const page = await newPage(browser)

  await test.step('Bob signs in and opens Contacts: top departments are open', async () => {
    await signIn(page, await stack().addHost('bob-profile'), 'bob')
    await page.getByTestId('nav-contacts').click()
    await expect(page.getByRole('tree', { name: 'Organisation' })).toBeVisible()
    await expect(department(page, 'dept-eng')).toHaveAttribute('aria-expanded', 'true')
    await expect(department(page, 'dept-fe')).toHaveAttribute('aria-expanded', 'false')
    await expect(person(page, 'contact-item', 'oscar')).toHaveCount(0)
  })

  await test.step('A search opens the departments it finds people in, until it is cleared', async () => {
    await page.getByTestId('contacts-search').fill('shentao')
    await expect(person(page, 'contact-item', 'oscar').locator('mark')).toHaveText('沈涛')
    await expect(department(page, 'dept-fe')).toHaveAttribute('aria-expanded', 'true')
    await page.getByTestId('contacts-search').press('Escape')
    await expect(page.getByTestId('contacts-search')).toHaveValue('')
    await expect(person(page, 'contact-item', 'oscar')).toHaveCount(0)
  })

  await test.step('He opens Front-end with a click, then drives the tree by keyboard', async () => {
    const frontEnd = department(page, 'dept-fe')
    await frontEnd.locator('.tree-row').first().click()
    await expect(frontEnd).toHaveAttribute('aria-expanded', 'true')
    await expect(person(page, 'contact-item', 'oscar')).toBeVisible()
    await expect(frontEnd).toBeFocused()

    await page.keyboard.press('ArrowLeft')
    await expect(frontEnd).toHaveAttribute('aria-expanded', 'false')
    await expect(person(page, 'contact-item', 'oscar')).toHaveCount(0)
    await page.keyboard.press('ArrowLeft')
    await expect(department(page, 'dept-eng')).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await expect(frontEnd).toBeFocused()
    await page.keyboard.press('ArrowRight')
    await expect(frontEnd).toHaveAttribute('aria-expanded', 'true')
    await page.keyboard.press('ArrowRight')
    await expect(person(page, 'contact-item', 'oscar')).toBeFocused()
    await expect(person(page, 'contact-item', 'oscar')).toHaveAttribute('aria-level', '3')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('profile-name')).toHaveText('沈涛')
    await expect(page.getByTestId('profile-name')).toBeFocused()
    await expect(page.getByTestId('profile-department')).toHaveText('Engineering / Front-end')
    await page.keyboard.press('Escape')
    await expect(person(page, 'contact-item', 'oscar')).toBeFocused()
    // Typing a name's start jumps to it: "y" for 杨倩 (Yang Qian).
    await page.keyboard.press('y')
    await expect(person(page, 'contact-item', 'quinn')).toBeFocused()
  })

  await test.step('Full pinyin "wangaili" finds 王爱丽, her name marked', async () => {
    await page.getByTestId('contacts-search').fill('wangaili')
    const alice = person(page, 'contact-item', 'alice')
    await expect(alice).toBeVisible()
    await expect(alice.locator('mark')).toHaveText('王爱丽')
    await expect(page.getByTestId('contacts-found')).toHaveText('1 found')
    await expect(page.getByTestId('contact-item')).toHaveCount(1)
  })

  await test.step('Initials "wal" find her too; a miss says so', async () => {
    await page.getByTestId('contacts-search').fill('wal')
    await expect(person(page, 'contact-item', 'alice').locator('mark')).toHaveText('王爱丽')
    await page.getByTestId('contacts-search').fill('wangai')
    await expect(person(page, 'contact-item', 'alice').locator('mark')).toHaveText('王爱')
    await page.getByTestId('contacts-search').fill('qqqqq')
    await expect(page.getByTestId('contacts-found')).toHaveText('Nobody matches “qqqqq”')
    await page.getByTestId('contacts-search').fill('wal')
  })

  await test.step('Her card shows both names, title, department and username', async () => {
    await person(page, 'contact-item', 'alice').click()
    const card = page.getByTestId('profile-card')
    await expect(card).toHaveAttribute('data-person-id', 'u-alice')
    await expect(page.getByTestId('profile-name')).toHaveText('王爱丽')
    await expect(page.getByTestId('profile-name-en')).toHaveText('Alice Wang')
    await expect(page.getByTestId('profile-title')).toHaveText('高级工程师')
    await expect(page.getByTestId('profile-department')).toHaveText('Engineering')
    await expect(page.getByTestId('profile-username')).toHaveText('alice')
    await expect(person(page, 'contact-item', 'alice')).toHaveAttribute('aria-selected', 'true')
  })

  await test.step('Pictures of the tree and the card, light and dark, English and Chinese', async () => {
    for (const [language, theme] of [
      ['en', 'light'],
      ['en', 'dark'],
      ['zh-CN', 'dark'],
      ['zh-CN', 'light'],
    ] as const) {
      await setLook(page, language, theme)
      await page.getByTestId('nav-contacts').click()
      await page.getByTestId('contacts-search').fill('')
      await department(page, 'dept-fe').locator('.tree-row').first().click()
      await person(page, 'contact-item', 'oscar').click()
      await expect(page.getByTestId('profile-card')).toBeVisible()
      await page.screenshot({ path: testInfo.outputPath(`contacts-tree-${language}-${theme}.png`) })
      await page.getByTestId('contacts-search').fill('wal')
      await person(page, 'contact-item', 'alice').click()
      await page.screenshot({ path: testInfo.outputPath(`profile-card-${language}-${theme}.png`) })
    }
    await expect(page.getByTestId('profile-department')).toHaveText('研发部')
    await expect(page.getByTestId('profile-message')).toHaveText('发消息')
    await setLook(page, 'en', 'light')
  })

  await test.step('"Message" on her card opens the direct conversation', async () => {
    await page.getByTestId('nav-contacts').click()
    await page.getByTestId('contacts-search').fill('wal')
    await person(page, 'contact-item', 'alice').click()
    await page.getByTestId('profile-message').click()
    await expect(page.getByTestId('nav-chats')).toHaveAttribute('aria-current', 'page')
    await expect(page.getByTestId('chat-title')).toHaveText('王爱丽')
    await expect(page.getByTestId('composer-input')).toBeFocused()
    await send(page, 'Found you by pinyin')
  })
})

test('a group from the org tree: rename, add and remove a member, leave, seen by everyone', async ({
  browser,
}, testInfo) => {
  const alice = await newPage(browser)
  const bob = await newPage(browser)
  const bobLaptop = await newPage(browser)
  const title = 'Launch 发布'
  const renamed = 'Launch review 评审'

  await test.step('Alice, Bob, and Bob on a second device sign in', async () => {
    await signIn(alice, await stack().addHost('alice-profile'), 'alice')
    await signIn(bob, await stack().addHost('bob-profile'), 'bob')
    await signIn(bobLaptop, await stack().addHost('bob-laptop'), 'bob')
  })

  await test.step('Alice picks people in the tree: by pinyin, a chip taken off, a department', async () => {
    await alice.getByTestId('nav-contacts').click()
    await alice.getByTestId('new-group').click()
    await alice.getByTestId('group-title-input').fill(title)
    // 李博's initials.
    await alice.getByTestId('member-search').fill('lb')
    await person(alice, 'group-member-option', 'bob').click()
    await expect(person(alice, 'group-member-option', 'bob')).toHaveAttribute(
      'aria-checked',
      'true',
    )
    // The Tasks micro-app's bot is in the directory, but it is no member for a group.
    await alice.getByTestId('member-search').fill('tasks')
    await expect(alice.getByTestId('group-member-option')).toHaveCount(0)
    await alice.getByTestId('member-search').fill('')
    // Ticking the Finance department takes its four people; one chip is then taken off again.
    const finance = department(alice.getByTestId('new-group-dialog'), 'dept-finance')
    await finance.locator('.tick-box').first().click()
    await expect(finance).toHaveAttribute('aria-checked', 'true')
    await expect(alice.getByTestId('member-chip')).toHaveCount(5)
    for (const username of ['ian', 'julia', 'leo']) {
      await person(alice, 'member-chip', username).getByTestId('member-chip-remove').click()
    }
    await expect(finance).toHaveAttribute('aria-checked', 'mixed')
    await expect(alice.getByTestId('member-chip')).toHaveCount(2)
    await alice.screenshot({ path: testInfo.outputPath('new-group-picker.png') })
    await alice.getByTestId('group-create').click()
    await expect(alice.getByTestId('chat-title')).toHaveText(title)
    await send(alice, 'Kick-off on Monday')
  })

  await test.step('Bob sees the group with three members on both his devices', async () => {
    for (const page of [bob, bobLaptop]) {
      await openGroup(page, title)
      await expect(page.locator('.chat-header')).toContainText('3 members')
    }
  })

  await test.step('Alice renames it from the group panel; Bob sees the new title', async () => {
    await alice.getByTestId('chat-group-info').click()
    const panel = alice.getByRole('dialog', { name: 'Group info' })
    await expect(panel).toBeVisible()
    await expect(alice.getByTestId('group-member')).toHaveCount(3)
    await alice.getByTestId('group-rename-input').fill(renamed)
    await alice.getByTestId('group-rename-save').click()
    await expect(alice.getByTestId('chat-title')).toHaveText(renamed)
    await expect(bob.getByTestId('chat-title')).toHaveText(renamed)
  })

  await test.step('Add members puts the focus in the picker; Cancel gives it back, Escape still closes', async () => {
    const addMembers = alice.getByTestId('group-add-members')
    await addMembers.click()
    await expect(alice.getByTestId('member-search')).toBeFocused()
    await alice.getByRole('button', { name: 'Cancel' }).click()
    await expect(addMembers).toBeFocused()
    await alice.keyboard.press('Escape')
    await expect(alice.getByTestId('group-panel')).toHaveCount(0)
    await expect(alice.getByTestId('chat-group-info')).toBeFocused()
    await alice.getByTestId('chat-group-info').click()
  })

  await test.step('She adds Henry through the same picker; Bob sees four members', async () => {
    await alice.getByTestId('group-add-members').click()
    await expect(person(alice, 'group-member-option', 'bob')).toHaveAttribute(
      'aria-checked',
      'true',
    )
    await expect(person(alice, 'group-member-option', 'bob')).toHaveAttribute(
      'aria-disabled',
      'true',
    )
    await alice.getByTestId('member-search').fill('henry')
    await person(alice, 'group-member-option', 'henry').click()
    await alice.getByTestId('group-add-confirm').click()
    await expect(alice.getByTestId('group-member')).toHaveCount(4)
    await expect(person(alice, 'group-member', 'henry')).toBeVisible()
    await expect(alice.getByTestId('group-add-members')).toBeFocused()
    await expect(bob.locator('.chat-header')).toContainText('4 members')
  })

  await test.step('She removes Helen; Bob sees three members again', async () => {
    await person(alice, 'group-member', 'helen').getByTestId('group-member-remove').click()
    await expect(alice.getByTestId('group-member')).toHaveCount(3)
    await expect(alice.getByRole('heading', { name: '3 members' })).toBeFocused()
    await expect(bob.locator('.chat-header')).toContainText('3 members')
    await alice.screenshot({ path: testInfo.outputPath('group-panel-en-light.png') })
  })

  await test.step("Bob leaves: read-only on both his devices, gone from Alice's list", async () => {
    await bob.getByTestId('chat-group-info').click()
    // Alice made the group, so she owns it: only she may remove people.
    await expect(person(bob, 'group-member', 'alice').getByTestId('group-owner')).toHaveText(
      'Owner',
    )
    await expect(bob.getByTestId('group-owner')).toHaveCount(1)
    await expect(bob.getByTestId('group-member-remove')).toHaveCount(0)
    // Words he never sends: once he has left, the list does not offer them as a draft.
    await bob.getByTestId('group-panel-close').click()
    await bob.getByTestId('composer-input').fill('unsent words')
    await bob.getByTestId('chat-group-info').click()
    await bob.getByTestId('group-leave').click()
    await bob.getByTestId('group-leave-confirm').click()
    await expect(bob.getByTestId('group-panel').getByTestId('chat-left-notice')).toBeVisible()
    await expect(bob.getByTestId('group-panel-close')).toBeFocused()
    await bob.getByTestId('group-panel-close').click()
    for (const page of [bob, bobLaptop]) {
      await expect(page.getByTestId('chat-left-notice')).toBeVisible()
      await expect(page.getByTestId('composer-input')).toHaveCount(0)
    }
    await expect(person(alice, 'group-member', 'bob')).toHaveCount(0)
    await expect(alice.getByTestId('group-member')).toHaveCount(2)
    await expect(alice.locator('.chat-header')).toContainText('2 members')
  })

  await test.step('Bob\'s list marks the group "Left" on both devices; Alice\'s does not', async () => {
    for (const page of [bob, bobLaptop]) {
      const item = page.getByTestId('conversation-item').filter({ hasText: renamed })
      const mark = item.getByTestId('conversation-left')
      await expect(mark).toHaveText('Left')
      await expect(mark).toHaveAccessibleName('You have left this group')
      await expect(item).toHaveAccessibleName(/You have left this group/)
      await expect(item.getByTestId('conversation-title')).toHaveClass(/conversation-title-left/)
    }
    await expect(bob.getByTestId('conversation-left')).toHaveCount(1)
    await expect(alice.getByTestId('conversation-left')).toHaveCount(0)
    await bob.getByTestId('conversation-item').filter({ hasNotText: renamed }).first().click()
    const left = bob.getByTestId('conversation-item').filter({ hasText: renamed })
    await expect(left.getByTestId('conversation-draft')).toHaveCount(0)
    await expect(left.getByTestId('conversation-preview')).toHaveText('You left the group')
    await left.click()
    await bob.getByTestId('conversation-list').screenshot({
      path: testInfo.outputPath('conversation-list-left-group.png'),
    })
  })

  await test.step('Each change is a line in the chat, worded for who reads it, never unread', async () => {
    await alice.getByTestId('group-panel-close').click()
    await expect(alice.getByTestId('message-notice')).toHaveText([
      `You created the group “${title}”`,
      `You renamed the group to “${renamed}”`,
      'You added 吴磊',
      'You removed 戚慧',
      '李博 left the group',
    ])
    for (const page of [bob, bobLaptop]) {
      await expect(page.getByTestId('message-notice').first()).toHaveText(
        `王爱丽 created the group “${title}”`,
      )
      await expect(page.getByTestId('message-notice').last()).toHaveText('You left the group')
    }
    // The last line of Alice's list is the latest change, and it counts as nothing unread.
    const item = alice.getByTestId('conversation-item').filter({ hasText: renamed })
    await expect(item.getByTestId('conversation-preview')).toHaveText('李博 left the group')
    await expect(item.getByTestId('unread-badge')).toHaveCount(0)
  })

  await test.step('Pictures of the group panel in dark and in Chinese', async () => {
    for (const [language, theme] of [
      ['en', 'dark'],
      ['zh-CN', 'dark'],
      ['zh-CN', 'light'],
    ] as const) {
      await setLook(alice, language, theme)
      await openGroup(alice, renamed)
      await alice.getByTestId('chat-group-info').click()
      await expect(alice.getByTestId('group-panel')).toBeVisible()
      await alice.screenshot({ path: testInfo.outputPath(`group-panel-${language}-${theme}.png`) })
      await alice.keyboard.press('Escape')
      await expect(alice.getByTestId('group-panel')).toHaveCount(0)
      await expect(alice.getByTestId('chat-group-info')).toBeFocused()
    }
    await expect(alice.getByTestId('chat-group-info')).toHaveText('群信息')
  })

  await test.step('With the server gone, a rename fails with a clear error; nothing changes', async () => {
    await setLook(alice, 'en', 'light')
    await openGroup(alice, renamed)
    await stack().server.stop()
    await expect(alice.getByTestId('connection-status')).not.toHaveAttribute(
      'data-status',
      'online',
    )
    await alice.getByTestId('chat-group-info').click()
    await alice.getByTestId('group-rename-input').fill('Never saved')
    await alice.getByTestId('group-rename-save').click()
    await expect(alice.getByTestId('group-error')).toContainText('Could not change the group:')
    await expect(alice.getByTestId('group-rename-input')).toHaveValue('Never saved')
    await expect(alice.getByTestId('chat-title')).toHaveText(renamed)
    await alice.getByTestId('group-panel').screenshot({
      path: testInfo.outputPath('group-panel-error.png'),
    })
  })
})

test('a long group title is cut in the chat header, which keeps its count and buttons on one line', async ({
  browser,
}, testInfo) => {
  const alice = await newPage(browser)
  const title = `${'季度评审 Quarterly review '.repeat(4)}<b>e</b>`
  await signIn(alice, await stack().addHost('alice-profile'), 'alice')
  await alice.getByTestId('nav-contacts').click()
  await alice.getByTestId('new-group').click()
  await alice.getByTestId('group-title-input').fill(title)
  await alice.getByTestId('member-search').fill('lb')
  await person(alice, 'group-member-option', 'bob').click()
  await alice.getByTestId('group-create').click()
  await expect(alice.getByTestId('chat-title')).toHaveText(title)

  const header = (await alice.locator('.chat-header').boundingBox())!
  const heading = (await alice.getByTestId('chat-title').boundingBox())!
  const info = (await alice.getByTestId('chat-group-info').boundingBox())!
  const count = (await alice.locator('.chat-header .muted').boundingBox())!
  // One line each, and the last button inside the header.
  expect(count.height).toBeLessThan(heading.height * 1.5)
  expect(heading.height).toBeLessThan(30)
  expect(info.x + info.width).toBeLessThanOrEqual(header.x + header.width)
  await expect(alice.getByTestId('chat-title')).toHaveAttribute('title', title)
  await alice.screenshot({ path: testInfo.outputPath('long-group-title.png') })
})
