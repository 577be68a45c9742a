// The signed-in app: the connection strip on top, the nav on the left, the current view beside it,
// and the quick switcher over them on Ctrl/Cmd+K. When the view changes and focus was lost with
// the old view, it moves to the new view's heading, so keyboard and screen reader users stay put.
import { useEffect, useRef, useState } from 'react'
import { useTack } from '../store/store-context'
import { ChatsView } from './chats-view'
import { COMPOSER_INPUT_ID } from './composer'
import { ConnectionStrip } from './connection-strip'
import { ContactsView } from './contacts-view'
import { NavRail } from './nav-rail'
import { QuickSwitcher } from './quick-switcher'
import { SettingsView } from './settings-view'
import { WorkbenchView } from './workbench-view'

export function MainLayout() {
  const view = useTack((state) => state.view)
  const openConversation = useTack((state) => state.openConversation)
  // Open micro-apps stay loaded (hidden) while another view shows.
  const hasTabs = useTack((state) => state.tabs.length > 0)
  const body = useRef<HTMLDivElement>(null)
  const [switching, setSwitching] = useState(false)
  const focusBeforeSwitcher = useRef<HTMLElement | null>(null)

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent): void {
      if (!isQuickSwitchKey(event)) return
      event.preventDefault()
      if (document.activeElement instanceof HTMLElement) {
        focusBeforeSwitcher.current = document.activeElement
      }
      setSwitching(true)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  useEffect(() => {
    const focused = document.activeElement
    if (focused && focused !== document.body && focused.isConnected) return
    body.current?.querySelector<HTMLElement>('[data-view-heading]')?.focus()
  }, [view])

  function choose(conversationId: string): void {
    setSwitching(false)
    openConversation(conversationId)
    // The composer of the opened conversation takes the focus, once it has rendered.
    requestAnimationFrame(() => document.getElementById(COMPOSER_INPUT_ID)?.focus())
  }

  function cancel(): void {
    setSwitching(false)
    const previous = focusBeforeSwitcher.current
    requestAnimationFrame(() => {
      if (previous?.isConnected) previous.focus()
    })
  }

  return (
    <div className="main-layout">
      <ConnectionStrip />
      <div className="main-body" ref={body}>
        <NavRail />
        {view === 'chats' && <ChatsView />}
        {view === 'contacts' && <ContactsView />}
        {view === 'settings' && <SettingsView />}
        {(view === 'workbench' || hasTabs) && <WorkbenchView visible={view === 'workbench'} />}
      </div>
      {switching && <QuickSwitcher onChoose={choose} onCancel={cancel} />}
    </div>
  )
}

function isQuickSwitchKey(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === 'k'
  )
}
