// Browser mode's host: serves the built renderer and carries HostApi over a WebSocket.
// Being written; the public surface below is fixed.
import type { ClientCore } from '../core/client-core'

export interface BrowserHostOptions {
  core: ClientCore
  /** The built renderer (dist/renderer). */
  rendererDir: string
  /** Loopback only. */
  host?: '127.0.0.1' | 'localhost'
  port?: number
}

export interface BrowserHost {
  /** The page to open, with the launch token in its fragment. */
  url: string
  origin: string
  token: string
  port: number
  close(): Promise<void>
}

export declare function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost>
