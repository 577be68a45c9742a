// The core's link to the server (from `connection` events), and this page's link to its host.
import type { ConnectionState, HostApi } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { HostLinkState } from '../host/host-connection'
import type { TackSlice } from './store'

const log = createLogger('connection')

export interface ConnectionSliceState {
  connection: ConnectionState
  hostLink: HostLinkState
}

export interface ConnectionActions {
  setConnection(connection: ConnectionState): void
  setHostLink(hostLink: HostLinkState): void
  /** Skips the wait before the next connect attempt. */
  retryNow(): Promise<void>
}

export type ConnectionSlice = ConnectionSliceState & ConnectionActions

export const initialConnectionState: ConnectionSliceState = {
  connection: { status: 'connecting', retryAt: null, attempt: 0, lastError: null },
  hostLink: 'connecting',
}

export function createConnectionSlice(host: HostApi): TackSlice<ConnectionSlice> {
  return (set) => ({
    ...initialConnectionState,

    setConnection(connection) {
      set({ connection })
    },

    setHostLink(hostLink) {
      // Without its host the page cannot know the core's link; it learns it again on reconnect.
      if (hostLink === 'down') set({ hostLink, connection: initialConnectionState.connection })
      else set({ hostLink })
    },

    async retryNow() {
      try {
        await host.retryNow({})
      } catch (error) {
        log.warn({ err: error }, 'retryNow failed')
      }
    },
  })
}
