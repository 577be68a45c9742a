// What the shell around the page does itself (getHostInfo: Electron shows native notifications
// and the dock or taskbar badge; browser mode leaves both to the page), and the account's disk
// use for Settings. The host info is asked for once at start; until it answers the page acts
// as in browser mode.
import type { HostApi, HostInfo, StorageUsageView } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { TackSlice } from './store'

const log = createLogger('shell')

export interface ShellState {
  hostInfo: HostInfo | null
}

export interface ShellActions {
  loadHostInfo(): Promise<void>
  /** The signed-in account's database and files on disk; rejects with HostError. */
  measureStorage(): Promise<StorageUsageView>
}

export type ShellSlice = ShellState & ShellActions

export const initialShellState: ShellState = {
  hostInfo: null,
}

export function createShellSlice(host: HostApi): TackSlice<ShellSlice> {
  return (set) => ({
    ...initialShellState,

    async loadHostInfo() {
      try {
        set({ hostInfo: await host.getHostInfo({}) })
      } catch (error) {
        log.warn({ err: error }, 'getHostInfo failed; acting as in browser mode')
      }
    },

    measureStorage() {
      return host.getStorageUsage({})
    },
  })
}
