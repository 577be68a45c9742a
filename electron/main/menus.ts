// The application menu and the tray menu, as templates in the chosen language. Plain functions:
// index.ts turns them into Electron menus, tests read the templates.
import type { MenuItemConstructorOptions } from 'electron'
import { SHELL_LOCALES, type ShellLocale } from './settings'
import { LOCALE_NAMES, shellText } from './shell-text'

export interface MenuActions {
  showWindow(): void
  setOpenAtLogin(enabled: boolean): void
  setLocale(locale: ShellLocale): void
  checkForUpdates(): void
  quit(): void
}

export interface MenuState {
  locale: ShellLocale
  platform: NodeJS.Platform
  openAtLogin: boolean
  /** Developer entries (reload, developer tools) only in a development run. */
  development: boolean
  /** Whether an update feed is configured. */
  updates: boolean
}

export function appMenuTemplate(
  state: MenuState,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const t = shellText(state.locale)
  const mac = state.platform === 'darwin'
  const settings = settingsItems(state, actions)

  const appMenu: MenuItemConstructorOptions = {
    label: t.app,
    submenu: [
      { label: t.about, role: 'about' },
      { type: 'separator' },
      ...settings,
      { type: 'separator' },
      { label: t.services, role: 'services' },
      { type: 'separator' },
      { label: t.hide, role: 'hide' },
      { label: t.hideOthers, role: 'hideOthers' },
      { label: t.showAll, role: 'unhide' },
      { type: 'separator' },
      { label: t.quit, accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  }
  const fileMenu: MenuItemConstructorOptions = {
    label: t.file,
    submenu: [
      ...(mac ? [] : [...settings, { type: 'separator' } as const]),
      { label: t.closeWindow, role: 'close' },
      ...(mac ? [] : [{ label: t.quit, click: () => actions.quit() }]),
    ],
  }
  const editMenu: MenuItemConstructorOptions = {
    label: t.edit,
    submenu: [
      { label: t.undo, role: 'undo' },
      { label: t.redo, role: 'redo' },
      { type: 'separator' },
      { label: t.cut, role: 'cut' },
      { label: t.copy, role: 'copy' },
      { label: t.paste, role: 'paste' },
      { label: t.selectAll, role: 'selectAll' },
    ],
  }
  const viewMenu: MenuItemConstructorOptions = {
    label: t.view,
    submenu: [
      ...(state.development
        ? [
            { label: t.reload, role: 'reload' } as const,
            { label: t.devTools, role: 'toggleDevTools' } as const,
            { type: 'separator' } as const,
          ]
        : []),
      { label: t.actualSize, role: 'resetZoom' },
      { label: t.zoomIn, role: 'zoomIn' },
      { label: t.zoomOut, role: 'zoomOut' },
      { type: 'separator' },
      { label: t.fullScreen, role: 'togglefullscreen' },
    ],
  }
  const windowMenu: MenuItemConstructorOptions = {
    label: t.window,
    role: 'window',
    submenu: [
      { label: t.minimize, role: 'minimize' },
      { label: t.zoom, role: 'zoom' },
      ...(mac ? [{ type: 'separator' } as const, { label: t.front, role: 'front' } as const] : []),
    ],
  }
  const helpMenu: MenuItemConstructorOptions = {
    label: t.help,
    role: 'help',
    submenu: [{ label: t.about, role: 'about' }],
  }

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu]
}

/** The tray icon's menu: the unread count, open, the login setting, quit. */
export function trayMenuTemplate(
  state: MenuState & { unread: number },
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const t = shellText(state.locale)
  return [
    { label: state.unread > 0 ? t.unread(state.unread) : t.noUnread, enabled: false },
    { type: 'separator' },
    { label: t.showTack, click: () => actions.showWindow() },
    {
      label: t.openAtLogin,
      type: 'checkbox',
      checked: state.openAtLogin,
      click: (item) => actions.setOpenAtLogin(item.checked),
    },
    { type: 'separator' },
    { label: t.quit, click: () => actions.quit() },
  ]
}

function settingsItems(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const t = shellText(state.locale)
  return [
    {
      label: t.openAtLogin,
      type: 'checkbox',
      checked: state.openAtLogin,
      click: (item) => actions.setOpenAtLogin(item.checked),
    },
    {
      label: t.language,
      submenu: SHELL_LOCALES.map((locale) => ({
        label: LOCALE_NAMES[locale],
        type: 'radio' as const,
        checked: locale === state.locale,
        click: () => actions.setLocale(locale),
      })),
    },
    ...(state.updates
      ? [{ label: t.checkForUpdates, click: () => actions.checkForUpdates() }]
      : []),
  ]
}
