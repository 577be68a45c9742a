// Tray, badge and notifications, with 'electron' replaced by the test double.
import type { BrowserWindow } from 'electron'
import type { ConversationView } from '../../shared/host-api'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { trayMenuTemplate } from './menus'
import { ShellPresence, type PresenceOptions } from './shell-presence'
import { shellText } from './shell-text'
import type { ArrivedMessage } from './unread-watcher'
import * as electron from './testing/electron-double'

vi.mock('electron', () => import('./testing/electron-double'))

function setUp(platform: NodeJS.Platform = 'linux', preview = true) {
  const window = new electron.BrowserWindow()
  const options = {
    platform,
    getWindow: () => window as unknown as BrowserWindow,
    showWindow: vi.fn(),
    openConversation: vi.fn(),
    text: () => shellText('en'),
    trayMenu: (unread: number) =>
      trayMenuTemplate(
        {
          locale: 'en',
          platform,
          openAtLogin: false,
          development: false,
          updates: false,
          unread,
        },
        {
          showWindow: vi.fn(),
          setOpenAtLogin: vi.fn(),
          setLocale: vi.fn(),
          checkForUpdates: vi.fn(),
          quit: vi.fn(),
        },
      ),
    preview: () => preview,
    attention: vi.fn(() => ({
      notificationsEnabled: true,
      openConversationId: null as string | null,
    })),
  } satisfies PresenceOptions
  const presence = new ShellPresence(options)
  return { presence, options, window }
}

const arrival: ArrivedMessage = {
  conversationId: 'c42',
  conversationTitle: 'Bob',
  group: false,
  message: { senderId: 'bob', text: 'Lunch at noon?', sentAt: 1, senderName: '李博' },
}

describe('ShellPresence (electron replaced by its test double)', () => {
  beforeEach(() => {
    electron.Notification.shown.length = 0
    electron.Tray.created.length = 0
    electron.app.setBadgeCount.mockClear()
  })

  it('shows the unread count on the tray, its menu and the badge', () => {
    const { presence } = setUp()
    expect(presence.showTray()).toBe(true)
    presence.unreadChanged(3)

    const tray = electron.Tray.created[0]!
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Tack · 3 unread messages')
    const menu = tray.setContextMenu.mock.lastCall![0] as { template: { label?: string }[] }
    expect(menu.template[0]!.label).toBe('3 unread messages')
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(3)
  })

  it('uses the taskbar overlay on Windows instead of a badge count', () => {
    const { presence, window } = setUp('win32')
    presence.unreadChanged(2)
    expect(window.setOverlayIcon).toHaveBeenLastCalledWith(expect.anything(), '2 unread messages')
    presence.unreadChanged(0)
    expect(window.setOverlayIcon).toHaveBeenLastCalledWith(null, '')
    expect(electron.app.setBadgeCount).not.toHaveBeenCalled()
  })

  it('opens the conversation when its notification is clicked', () => {
    const { presence, options } = setUp()
    presence.messageArrived(arrival)
    const [notification] = electron.Notification.shown
    expect(notification!.options).toEqual({ title: 'Bob', body: 'Lunch at noon?' })

    notification!.emit('click')
    expect(options.showWindow).toHaveBeenCalled()
    expect(options.openConversation).toHaveBeenCalledWith('c42')
  })

  it('closes the notification of a message once it is recalled, not before', () => {
    const { presence } = setUp()
    presence.messageArrived(arrival)
    const [notification] = electron.Notification.shown
    const chat = (message: ConversationView['lastMessage']): ConversationView => ({
      id: 'c42',
      kind: 'direct',
      title: 'Bob',
      memberIds: ['me', 'bob'],
      peerId: 'bob',
      lastMessage: message,
      unreadCount: 0,
      lastActivityAt: 1,
    })

    presence.conversationsSeen([chat(arrival.message)])
    expect(notification!.closed).toBe(false)
    presence.conversationsSeen([chat({ senderId: 'bob', text: '', sentAt: 1, recalled: true })])
    expect(notification!.closed).toBe(true)
  })

  it("names the sender before a group message's text, as the browser's notifications do", () => {
    const { presence, options } = setUp()
    const inGroup = { ...arrival, conversationTitle: 'Launch', group: true }
    presence.messageArrived(inGroup)
    const nameless = { senderId: 'bob', text: 'Lunch at noon?', sentAt: 1 }
    presence.messageArrived({ ...inGroup, message: nameless })
    options.text = () => shellText('zh-CN')
    presence.messageArrived({ ...inGroup, message: nameless })
    expect(electron.Notification.shown.map((shown) => shown.options)).toEqual([
      { title: 'Launch', body: '李博: Lunch at noon?' },
      { title: 'Launch', body: 'Unknown: Lunch at noon?' },
      { title: 'Launch', body: '未知: Lunch at noon?' },
    ])
  })

  it('hides the text when previews are off', () => {
    const hidden = setUp('linux', false)
    hidden.presence.messageArrived(arrival)
    expect(electron.Notification.shown[0]!.options.body).toBe('New message')
  })

  it('says the open conversation is in front of the reader only while the window has focus', () => {
    const { presence, options, window } = setUp()
    options.attention.mockReturnValue({ notificationsEnabled: true, openConversationId: 'c42' })
    window.focused = true
    expect(presence.reader()).toEqual({ notificationsEnabled: true, conversationInFront: 'c42' })
    window.focused = false
    expect(presence.reader()).toEqual({ notificationsEnabled: true, conversationInFront: null })
  })

  it('passes on that the reader has turned notifications off in Settings', () => {
    const { presence, options } = setUp()
    options.attention.mockReturnValue({ notificationsEnabled: false, openConversationId: null })
    expect(presence.reader().notificationsEnabled).toBe(false)
  })

  it('says what an attachment sent without text is, in the shell language', () => {
    const { presence, options } = setUp()
    const alone = (attachment: ArrivedMessage['message']['attachment']) => ({
      ...arrival,
      message: { senderId: 'bob', text: '', sentAt: 2, attachment },
    })
    presence.messageArrived(alone({ kind: 'file', name: 'plan.pdf' }))
    presence.messageArrived(alone({ kind: 'image', name: 'a.png' }))
    options.text = () => shellText('zh-CN')
    presence.messageArrived(alone({ kind: 'voice', name: 'v.webm', durationMs: 7_000 }))
    presence.messageArrived(alone({ kind: 'voice', name: 'v.webm' }))
    expect(electron.Notification.shown.map((shown) => shown.options.body)).toEqual([
      '[File] plan.pdf',
      '[Image]',
      '[语音] 0:07',
      '[语音]',
    ])
  })
})
