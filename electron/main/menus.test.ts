import type { MenuItem, MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { appMenuTemplate, trayMenuTemplate, type MenuActions, type MenuState } from './menus'

function actions() {
  return {
    showWindow: vi.fn<MenuActions['showWindow']>(),
    setOpenAtLogin: vi.fn<MenuActions['setOpenAtLogin']>(),
    setLocale: vi.fn<MenuActions['setLocale']>(),
    checkForUpdates: vi.fn<MenuActions['checkForUpdates']>(),
    quit: vi.fn<MenuActions['quit']>(),
  }
}

const base: MenuState = {
  locale: 'en',
  platform: 'linux',
  openAtLogin: false,
  development: false,
  updates: true,
}

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.label ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? labels(item.submenu) : []),
  ])
}

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of items) {
    if (item.label === label) return item
    if (Array.isArray(item.submenu)) {
      const found = labels(item.submenu).includes(label) ? find(item.submenu, label) : null
      if (found) return found
    }
  }
  throw new Error(`no menu item ${label}`)
}

describe('application menu', () => {
  it('is in English or in Chinese, as chosen', () => {
    const english = labels(appMenuTemplate(base, actions()))
    expect(english).toEqual(expect.arrayContaining(['File', 'Edit', 'Copy', 'Start Tack at Login']))

    const chinese = labels(appMenuTemplate({ ...base, locale: 'zh-CN' }, actions()))
    expect(chinese).toEqual(expect.arrayContaining(['文件', '编辑', '复制', '开机时启动 Tack']))
    expect(chinese).not.toContain('File')
  })

  it('puts the app menu first on macOS only', () => {
    expect(appMenuTemplate({ ...base, platform: 'darwin' }, actions())[0]!.label).toBe('Tack')
    expect(appMenuTemplate(base, actions())[0]!.label).toBe('File')
  })

  it('offers developer tools only in a development run', () => {
    expect(labels(appMenuTemplate(base, actions()))).not.toContain('Developer Tools')
    expect(labels(appMenuTemplate({ ...base, development: true }, actions()))).toContain(
      'Developer Tools',
    )
  })

  it('switches start at login and the language through the actions', () => {
    const handlers = actions()
    const menu = appMenuTemplate(base, handlers)
    find(menu, 'Start Tack at Login').click!({ checked: true } as MenuItem, undefined, {} as never)
    expect(handlers.setOpenAtLogin).toHaveBeenCalledWith(true)
    find(menu, '简体中文').click!({} as MenuItem, undefined, {} as never)
    expect(handlers.setLocale).toHaveBeenCalledWith('zh-CN')
  })
})

describe('tray menu', () => {
  it('shows the unread count, in the chosen language', () => {
    expect(trayMenuTemplate({ ...base, unread: 3 }, actions())[0]!.label).toBe('3 unread messages')
    expect(trayMenuTemplate({ ...base, locale: 'zh-CN', unread: 3 }, actions())[0]!.label).toBe(
      '3 条未读消息',
    )
    expect(trayMenuTemplate({ ...base, unread: 0 }, actions())[0]!.label).toBe('No unread messages')
  })

  it('opens the window and quits from the menu', () => {
    const handlers = actions()
    const menu = trayMenuTemplate({ ...base, unread: 0 }, handlers)
    find(menu, 'Open Tack').click!({} as MenuItem, undefined, {} as never)
    find(menu, 'Quit Tack').click!({} as MenuItem, undefined, {} as never)
    expect(handlers.showWindow).toHaveBeenCalled()
    expect(handlers.quit).toHaveBeenCalled()
  })
})
