// Under Electron the main process shows the notifications, so it has to know what the page
// knows: whether the reader turned notifications off, and which conversation is in front of
// them. This tells it (setAttention) whenever either changes; in browser mode it does nothing.
import type { HostApi } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { TackState, TackStore } from '../store/store'

const log = createLogger('attention')

export interface Attention {
  notificationsEnabled: boolean
  openConversationId: string | null
}

/** The conversation in front is the open one while the Chats view shows. */
export function attentionOf(state: TackState): Attention {
  return {
    notificationsEnabled: state.preferences.notificationsEnabled,
    openConversationId: state.view === 'chats' ? state.openConversationId : null,
  }
}

export function reportAttention(store: TackStore, host: HostApi): () => void {
  let told: Attention | null = null
  const tell = (state: TackState): void => {
    if (!state.hostInfo?.nativeNotifications || !state.session) return
    const now = attentionOf(state)
    if (
      told?.notificationsEnabled === now.notificationsEnabled &&
      told.openConversationId === now.openConversationId
    )
      return
    told = now
    host.setAttention(now).catch((error: unknown) => {
      told = null
      log.warn({ err: error }, 'setAttention failed')
    })
  }
  tell(store.getState())
  return store.subscribe((state) => tell(state))
}
