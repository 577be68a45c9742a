// The core's link to the server (from `connection` events), and this page's link to its host.
import type { ConnectionState, HostApi, NetworkDiagnostics } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { HostLinkState } from '../host/host-connection'
import type { TackSlice } from './store'

const log = createLogger('connection')

export interface ConnectionSliceState {
  connection: ConnectionState
  hostLink: HostLinkState
  /** The link's health, fetched while the diagnostics panel is open. */
  diagnostics: NetworkDiagnostics | null
}

export interface ConnectionActions {
  setConnection(connection: ConnectionState): void
  setHostLink(hostLink: HostLinkState): void
  /** Skips the wait before the next connect attempt. */
  retryNow(): Promise<void>
  loadDiagnostics(): Promise<void>
}

export type ConnectionSlice = ConnectionSliceState & ConnectionActions

export const initialConnectionState: ConnectionSliceState = {
  connection: { status: 'connecting', retryAt: null, attempt: 0, lastError: null },
  hostLink: 'connecting',
  diagnostics: null,
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

    async loadDiagnostics() {
      try {
        set({ diagnostics: await host.getNetworkDiagnostics({}) })
      } catch (error) {
        log.debug({ err: error }, 'network diagnostics unavailable')
      }
    },
  })
}
