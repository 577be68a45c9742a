// What the renderer holds once it has found its host: the HostApi itself, and how the link to the
// host is doing. Electron's IPC never drops; browser mode's WebSocket can, when the host restarts.
import type { HostApi } from '../../../shared/host-api'

/** The link between this page and its host (not the core's link to the server). */
export type HostLinkState = 'connecting' | 'up' | 'down'

export type HostLinkListener = (state: HostLinkState) => void

export interface HostConnection {
  api: HostApi
  transport: 'electron' | 'browser'
  /** Hears the link go down and come back; after 'up' following 'down', re-fetch state. */
  onLinkChange(listener: HostLinkListener): () => void
}
