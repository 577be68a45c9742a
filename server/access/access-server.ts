// The access layer: a TLS listener whose every connection speaks length-prefixed protobuf frames.
import type { AddressInfo } from 'node:net'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import { createLogger } from '../../shared/logger'
import type { Storage } from '../storage/storage'
import { SyncHub } from '../sync/sync-hub'
import type { SyncStreamOptions } from '../sync/sync-stream'
import { Connection } from './connection'

const log = createLogger('access')

export interface AccessServerOptions {
  storage: Storage
  certPem: string
  keyPem: string
  sync: SyncStreamOptions
  /** A connection silent for this long is dropped; above the longest heartbeat interval. */
  idleTimeoutMs: number
  /** On shutdown, clients are asked to reconnect at a random time within this window. */
  reconnectWindowMs: number
  /** The upload endpoint's port, told to clients in SessionReply. */
  uploadPort: number
}

export class AccessServer {
  private readonly server: Server
  private readonly connections = new Set<Connection>()
  /** Wakes synced sessions; the open platform uses it after its writes too. */
  readonly hub = new SyncHub()

  constructor(private readonly options: AccessServerOptions) {
    this.server = createServer(
      { cert: options.certPem, key: options.keyPem, minVersion: 'TLSv1.2' },
      (socket) => this.accept(socket),
    )
    this.server.on('tlsClientError', (error, socket) =>
      log.info(
        { remote: `${socket.remoteAddress}:${socket.remotePort}`, reason: error.message },
        'tls handshake failed',
      ),
    )
  }

  /** Starts listening; resolves with the port, which is random when `port` is 0. */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        resolve((this.server.address() as AddressInfo).port)
      })
    })
  }

  /** Stops accepting, ends every session and closes every connection with a kick. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const connection of this.connections) {
      connection.kickAndClose('server shutting down', this.options.reconnectWindowMs)
    }
    this.connections.clear()
    return closed
  }

  private accept(socket: TLSSocket): void {
    socket.setNoDelay(true)
    socket.setKeepAlive(true, 60_000)
    const connection = new Connection(socket, {
      storage: this.options.storage,
      hub: this.hub,
      sync: this.options.sync,
      uploadPort: this.options.uploadPort,
    })
    this.connections.add(connection)
    socket.setTimeout(this.options.idleTimeoutMs, () =>
      connection.dropIdle(this.options.idleTimeoutMs),
    )
    socket.on('close', () => this.connections.delete(connection))
    log.debug({ remote: connection.remote, protocol: socket.getProtocol() }, 'connection accepted')
  }
}
