// The unread total in the page title, "(3) Tack", as browser mode's badge. Under Electron the
// main process puts the same total (muted conversations left out) on the dock or taskbar badge
// and the tray itself, from the core, even while the window is closed; the title stays plain.
import type { i18n as I18n } from 'i18next'
import { selectTotalUnread } from '../store/selectors'
import type { TackStore } from '../store/store'

export function titleWithUnread(name: string, total: number, locale: string): string {
  if (total <= 0) return name
  return `(${new Intl.NumberFormat(locale).format(total)}) ${name}`
}

export function watchUnread(store: TackStore, i18n: I18n, page: Window): () => void {
  function apply(): void {
    const state = store.getState()
    const total = state.session && !state.hostInfo?.appBadge ? selectTotalUnread(state) : 0
    page.document.title = titleWithUnread(i18n.t('app.name'), total, state.preferences.language)
  }

  apply()
  return store.subscribe((state, previous) => {
    if (
      state.conversations !== previous.conversations ||
      state.preferences !== previous.preferences ||
      state.hostInfo !== previous.hostInfo
    )
      apply()
  })
}
