// The signed-in app: the connection strip on top, the nav on the left, the current view beside it.
import { useTack } from '../store/store-context'
import { ChatsView } from './chats-view'
import { ConnectionStrip } from './connection-strip'
import { ContactsView } from './contacts-view'
import { NavRail } from './nav-rail'
import { WorkbenchView } from './workbench-view'

export function MainLayout() {
  const view = useTack((state) => state.view)
  // Open micro-apps stay loaded (hidden) while another view shows.
  const hasTabs = useTack((state) => state.tabs.length > 0)
  return (
    <div className="main-layout">
      <ConnectionStrip />
      <div className="main-body">
        <NavRail />
        {view === 'chats' && <ChatsView />}
        {view === 'contacts' && <ContactsView />}
        {(view === 'workbench' || hasTabs) && <WorkbenchView visible={view === 'workbench'} />}
      </div>
    </div>
  )
}
