// Every word the shell shows outside the web page (menus, tray, notifications, dialogs), in
// Chinese and English. The renderer has its own translations; these never reach it.
import type { AttachmentWords } from '../../shared/message-notice'
import type { ShellLocale } from './settings'

const en = {
  app: 'Tack',
  about: 'About Tack',
  settings: 'Settings',
  openAtLogin: 'Start Tack at Login',
  language: 'Language',
  checkForUpdates: 'Check for Updates…',
  services: 'Services',
  hide: 'Hide Tack',
  hideOthers: 'Hide Others',
  showAll: 'Show All',
  quit: 'Quit Tack',
  file: 'File',
  closeWindow: 'Close Window',
  edit: 'Edit',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  view: 'View',
  reload: 'Reload',
  devTools: 'Developer Tools',
  actualSize: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  fullScreen: 'Toggle Full Screen',
  window: 'Window',
  minimize: 'Minimize',
  zoom: 'Zoom',
  front: 'Bring All to Front',
  help: 'Help',
  showTack: 'Open Tack',
  noUnread: 'No unread messages',
  unread: (count: number) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  newMessage: 'New message',
  unknownSender: 'Unknown',
  attachments: {
    image: '[Image]',
    voice: '[Voice message]',
    voiceOfLength: (length: string) => `[Voice message] ${length}`,
    file: (name: string) => `[File] ${name}`,
  } satisfies AttachmentWords,
  keychainTitle: 'Tack cannot protect its data',
  startFailedTitle: 'Tack could not start',
}

export type ShellText = typeof en

const zh: ShellText = {
  app: 'Tack',
  about: '关于 Tack',
  settings: '设置',
  openAtLogin: '开机时启动 Tack',
  language: '语言',
  checkForUpdates: '检查更新…',
  services: '服务',
  hide: '隐藏 Tack',
  hideOthers: '隐藏其他',
  showAll: '全部显示',
  quit: '退出 Tack',
  file: '文件',
  closeWindow: '关闭窗口',
  edit: '编辑',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  view: '视图',
  reload: '重新加载',
  devTools: '开发者工具',
  actualSize: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  fullScreen: '切换全屏',
  window: '窗口',
  minimize: '最小化',
  zoom: '缩放',
  front: '前置全部窗口',
  help: '帮助',
  showTack: '打开 Tack',
  noUnread: '没有未读消息',
  unread: (count: number) => `${count} 条未读消息`,
  newMessage: '新消息',
  unknownSender: '未知',
  attachments: {
    image: '[图片]',
    voice: '[语音]',
    voiceOfLength: (length: string) => `[语音] ${length}`,
    file: (name: string) => `[文件] ${name}`,
  },
  keychainTitle: 'Tack 无法保护其数据',
  startFailedTitle: 'Tack 无法启动',
}

/** The languages' own names, for the language menu. */
export const LOCALE_NAMES: Record<ShellLocale, string> = { 'zh-CN': '简体中文', en: 'English' }

export function shellText(locale: ShellLocale): ShellText {
  return locale === 'zh-CN' ? zh : en
}
