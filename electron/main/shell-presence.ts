// Tack outside its window: the tray icon with the unread count and a menu, the dock or taskbar
// badge, and native notifications whose click opens the conversation. Fed by unread-watcher.ts,
// which asks it (reader) what the renderer reported (setAttention): notifications on or off, and
// the conversation open, which is in front only while the window has focus. The renderer itself
// uses no web notifications here.
import type { BrowserWindow, MenuItemConstructorOptions, NativeImage } from 'electron'
import { app, Menu, nativeImage, Notification, Tray } from 'electron'
import { createLogger } from '../../shared/logger'
import type { ConversationView } from '../../shared/host-api'
import {
  noticeBody,
  takeRecalledNotices,
  type NoticeReader,
  type ShownNotice,
} from '../../shared/message-notice'
import { drawAppIcon, drawUnreadDot, encodePng } from './icon-image'
import type { ShellText } from './shell-text'
import type { ArrivedMessage, ReaderAttention, UnreadSink } from './unread-watcher'

const log = createLogger('presence')

const NOTIFICATION_BODY_CHARS = 120

export interface PresenceOptions {
  platform: NodeJS.Platform
  getWindow(): BrowserWindow | null
  showWindow(): void
  openConversation(conversationId: string): void
  text(): ShellText
  trayMenu(unread: number): MenuItemConstructorOptions[]
  /** Whether notifications show the message text. */
  preview(): boolean
  /** What the renderer says the reader wants and has in front (the core's readerAttention). */
  attention(): ReaderAttention
}

export class ShellPresence implements UnreadSink {
  private tray: Tray | null = null
  private unread = 0
  /**
   * Shown notifications by conversation, held so they are not collected before they are clicked,
   * with the message each shows, so a recall of it closes it.
   */
  private readonly notifications = new Map<string, ShownNotice<Notification>>()

  constructor(private readonly options: PresenceOptions) {}

  /** Puts the icon in the tray; false where the desktop has no tray. */
  showTray(): boolean {
    try {
      this.tray = new Tray(trayImage(false, this.options.platform))
    } catch (error) {
      log.warn({ err: error }, 'no tray on this desktop')
      return false
    }
    this.tray.on('click', () => this.options.showWindow())
    this.refreshTray()
    return true
  }

  get hasTray(): boolean {
    return this.tray !== null
  }

  unreadChanged(total: number): void {
    this.unread = total
    this.refreshTray()
    this.refreshBadge()
  }

  /** The open conversation is in front of the reader only while the window has focus. */
  reader(): Omit<NoticeReader, 'me'> {
    const { notificationsEnabled, openConversationId } = this.options.attention()
    const window = this.options.getWindow()
    const focused = !!window && !window.isDestroyed() && window.isFocused()
    return { notificationsEnabled, conversationInFront: focused ? openConversationId : null }
  }

  /** The watcher has decided it is news (notifiesOf); this only shows it. */
  messageArrived({ conversationId, conversationTitle, group, message }: ArrivedMessage): void {
    if (!Notification.isSupported()) return

    const text = this.options.text()
    const sender = group ? (message.senderName ?? text.unknownSender) : null
    const body = this.options.preview()
      ? noticeBody(message, sender, text.attachments, NOTIFICATION_BODY_CHARS)
      : text.newMessage
    const notification = new Notification({ title: conversationTitle, body })
    notification.on('click', () => {
      this.options.showWindow()
      this.options.openConversation(conversationId)
    })
    notification.on('close', () => {
      if (this.notifications.get(conversationId)?.notification === notification) {
        this.notifications.delete(conversationId)
      }
    })
    this.notifications.set(conversationId, { notification, message })
    notification.show()
  }

  /** Closes the notifications whose message has been recalled since (a recall takes the text). */
  conversationsSeen(conversations: readonly ConversationView[]): void {
    for (const notification of takeRecalledNotices(this.notifications, conversations)) {
      notification.close()
    }
  }

  /** After a language change. */
  refreshTray(): void {
    if (!this.tray) return
    const text = this.options.text()
    this.tray.setImage(trayImage(this.unread > 0, this.options.platform))
    this.tray.setToolTip(this.unread > 0 ? `Tack · ${text.unread(this.unread)}` : 'Tack')
    if (this.options.platform === 'darwin')
      this.tray.setTitle(this.unread > 0 ? String(this.unread) : '')
    this.tray.setContextMenu(Menu.buildFromTemplate(this.options.trayMenu(this.unread)))
  }

  destroy(): void {
    this.tray?.destroy()
    this.tray = null
  }

  /** The dock (macOS), launcher (Linux, Unity) or taskbar overlay (Windows). */
  private refreshBadge(): void {
    if (this.options.platform === 'win32') {
      const window = this.options.getWindow()
      if (!window || window.isDestroyed()) return
      const overlay = this.unread > 0 ? image(encodePng(drawUnreadDot(16))) : null
      window.setOverlayIcon(overlay, this.unread > 0 ? this.options.text().unread(this.unread) : '')
      return
    }
    app.setBadgeCount(this.unread)
  }
}

function trayImage(unreadDot: boolean, platform: NodeJS.Platform): NativeImage {
  // 16 pt on macOS and Windows, 22 px on Linux panels; drawn at twice that for sharp screens.
  const size = platform === 'linux' ? 22 : 16
  return nativeImage.createFromBuffer(encodePng(drawAppIcon(size * 2, { unreadDot })), {
    scaleFactor: 2,
  })
}

function image(png: Buffer): NativeImage {
  return nativeImage.createFromBuffer(png)
}
