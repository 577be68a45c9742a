// The signed-in app: the connection strip on top, the nav on the left, the current view beside it.
import { useTack } from '../store/store-context'
import { ChatsView } from './chats-view'
import { ConnectionStrip } from './connection-strip'
import { ContactsView } from './contacts-view'
import { NavRail } from './nav-rail'

export function MainLayout() {
  const view = useTack((state) => state.view)
  return (
    <div className="main-layout">
      <ConnectionStrip />
      <div className="main-body">
        <NavRail />
        {view === 'chats' ? <ChatsView /> : <ContactsView />}
      </div>
    </div>
  )
}
