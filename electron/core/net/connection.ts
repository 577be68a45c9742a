// One TLS connection to the access layer: frames in and out, requests matched to responses by
// id, pushes handed on, and a heartbeat that closes the link when the server stops answering.
import { connect, type TLSSocket } from 'node:tls'
import { isIP } from 'node:net'
import type { ErrorCode } from '../../../shared/gen/tack_pb'
import { ErrorCode as ErrorCodes } from '../../../shared/gen/tack_pb'
import {
  FrameDecoder,
  FrameError,
  encodeFrame,
  type Frame,
  type FrameInit,
} from '../../../shared/frame-codec'
import { createLogger } from '../../../shared/logger'

const log = createLogger('net')

export type FrameBody = NonNullable<FrameInit['body']>

export interface ServerAddress {
  host: string
  port: number
}

export function parseAddress(address: string): ServerAddress {
  const match = /^\[([0-9a-fA-F:]+)\]:(\d+)$/.exec(address) ?? /^([^:[\]]+):(\d+)$/.exec(address)
  const port = Number(match?.[2])
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`not a host:port address: ${address}`)
  }
  return { host: match[1]!, port }
}

/** The server answered a request with an ErrorReply. */
export class ServerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ServerError'
  }

  get codeName(): string {
    return ErrorCodes[this.code] ?? String(this.code)
  }
}

/** The connection closed (or never opened) before an answer came. */
export class ConnectionLostError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'ConnectionLostError'
  }
}

export interface ConnectionOptions {
  address: string
  caPem: string
  /** A TLS session from an earlier connection to resume. */
  tlsSession?: Buffer
  connectTimeoutMs?: number
  requestTimeoutMs?: number
  /** Idle time after which a ping is sent. */
  heartbeatMs?: number
  /** How long a ping may go unanswered before the link counts as dead. */
  pingTimeoutMs?: number
}

interface Pending {
  resolve(frame: Frame): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

export class Connection {
  private readonly decoder = new FrameDecoder()
  private readonly pending = new Map<number, Pending>()
  private readonly pushListeners: ((frame: Frame) => void)[] = []
  private nextId = 1
  private closedReason: string | null = null
  private heartbeat: NodeJS.Timeout | null = null
  private pingDeadline: NodeJS.Timeout | null = null
  private latestTlsSession: Buffer | undefined
  readonly closed: Promise<string>
  private resolveClosed!: (reason: string) => void

  private constructor(
    private readonly socket: TLSSocket,
    private readonly options: Required<Omit<ConnectionOptions, 'tlsSession'>>,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve))
    socket.on('session', (session: Buffer) => (this.latestTlsSession = session))
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) => this.close(`socket error: ${error.message}`))
    socket.on('close', () => this.close('socket closed'))
    this.armHeartbeat()
  }

  /** Opens a verified TLS connection; the server's certificate must chain to `caPem`. */
  static open(options: ConnectionOptions): Promise<Connection> {
    const settings = {
      address: options.address,
      caPem: options.caPem,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      heartbeatMs: options.heartbeatMs ?? 30_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
    }
    const { host, port } = parseAddress(options.address)
    return new Promise((resolve, reject) => {
      const socket = connect({
        host,
        port,
        ca: options.caPem,
        servername: isIP(host) ? undefined : host,
        minVersion: 'TLSv1.2',
        session: options.tlsSession,
      })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new ConnectionLostError(`connect to ${options.address} timed out`))
      }, settings.connectTimeoutMs)
      socket.once('secureConnect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        log.debug(
          {
            address: options.address,
            protocol: socket.getProtocol(),
            resumed: socket.isSessionReused(),
          },
          'connected',
        )
        resolve(new Connection(socket, settings))
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        socket.destroy()
        reject(new ConnectionLostError(`cannot connect to ${options.address}: ${error.message}`))
      })
    })
  }

  get isOpen(): boolean {
    return this.closedReason === null
  }

  get tlsSession(): Buffer | undefined {
    return this.latestTlsSession
  }

  /** Sends a request and waits for the frame that echoes its id. ErrorReply → ServerError. */
  request(body: FrameBody, timeoutMs = this.options.requestTimeoutMs): Promise<Frame> {
    if (this.closedReason !== null)
      return Promise.reject(new ConnectionLostError(this.closedReason))
    const id = this.nextId++
    if (this.nextId > 0xffff_fff0) this.nextId = 1
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new ConnectionLostError(`request ${body.case} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      this.write({ id, body })
    })
  }

  /** Sends a frame that expects no answer (id 0), such as a sync ack. */
  push(body: FrameBody): void {
    if (this.closedReason === null) this.write({ id: 0, body })
  }

  onPush(listener: (frame: Frame) => void): void {
    this.pushListeners.push(listener)
  }

  close(reason: string): void {
    if (this.closedReason !== null) return
    this.closedReason = reason
    this.clearHeartbeat()
    this.socket.destroy()
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(new ConnectionLostError(reason))
    }
    this.pending.clear()
    log.info({ reason }, 'connection closed')
    this.resolveClosed(reason)
  }

  private write(frame: FrameInit): void {
    this.socket.write(encodeFrame(frame))
    this.armHeartbeat()
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[]
    try {
      frames = this.decoder.push(chunk)
    } catch (error) {
      const reason = error instanceof FrameError ? error.reason : 'malformed'
      log.warn({ reason, detail: (error as Error).message }, 'frame rejected from server')
      this.close(`bad frame from server: ${reason}`)
      return
    }
    this.onTraffic()
    for (const frame of frames) this.dispatch(frame)
  }

  private dispatch(frame: Frame): void {
    const pending = frame.id === 0 ? undefined : this.pending.get(frame.id)
    if (!pending) {
      for (const listener of this.pushListeners) listener(frame)
      return
    }
    this.pending.delete(frame.id)
    clearTimeout(pending.timer)
    if (frame.body.case === 'error') {
      pending.reject(new ServerError(frame.body.value.code, frame.body.value.message))
    } else pending.resolve(frame)
  }

  private onTraffic(): void {
    if (this.pingDeadline) {
      clearTimeout(this.pingDeadline)
      this.pingDeadline = null
    }
    this.armHeartbeat()
  }

  // TODO(#4): a smart heartbeat that probes for the longest interval the path keeps alive.
  private armHeartbeat(): void {
    if (this.closedReason !== null) return
    if (this.heartbeat) clearTimeout(this.heartbeat)
    this.heartbeat = setTimeout(() => this.sendPing(), this.options.heartbeatMs)
    this.heartbeat.unref()
  }

  private sendPing(): void {
    if (this.closedReason !== null || this.pingDeadline) return
    const sentAtMs = BigInt(Date.now())
    // The deadline marks a ping in flight; any frame from the server clears it (onTraffic).
    this.pingDeadline = setTimeout(() => undefined, this.options.pingTimeoutMs)
    this.request({ case: 'ping', value: { sentAtMs } }, this.options.pingTimeoutMs).catch(() =>
      this.close('heartbeat: no answer from server'),
    )
  }

  private clearHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat)
    if (this.pingDeadline) clearTimeout(this.pingDeadline)
    this.heartbeat = null
    this.pingDeadline = null
  }
}
