// The unread total in the page title, "(3) Tack", as browser mode's badge.
// TODO(#7): under Electron, the app badge (dock / taskbar) needs a HostApi request to set it.
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
    const total = state.session ? selectTotalUnread(state) : 0
    page.document.title = titleWithUnread(i18n.t('app.name'), total, state.preferences.language)
  }

  apply()
  return store.subscribe((state, previous) => {
    if (
      state.conversations !== previous.conversations ||
      state.preferences !== previous.preferences
    )
      apply()
  })
}
