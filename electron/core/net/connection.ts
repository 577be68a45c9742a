// One TLS connection to the access layer: frames in and out, requests matched to responses by
// id, pushes handed on, and one liveness timer that decides when the link is dead. The timer
// sends a heartbeat after the smart heartbeat's idle interval, or, while requests wait for an
// answer, a probe as soon as the server has been silent for an RTO; an unanswered probe closes
// the connection at once instead of waiting minutes for TCP to notice.
import type { TLSSocket } from 'node:tls'
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
import { ConnectionLostError, dialFirst, type RaceOptions } from './dial'
import { RttEstimator } from './rtt-estimator'
import { SmartHeartbeat } from './smart-heartbeat'

export { ConnectionLostError, parseAddress, type ServerAddress } from './dial'

const log = createLogger('net')

export type FrameBody = NonNullable<FrameInit['body']>

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

export type ProbeReason = 'heartbeat' | 'pending' | 'system'

export interface ConnectionOptions {
  address: string
  /** More access addresses, raced with `address` when connecting. */
  fallbackAddresses?: readonly string[]
  caPem: string
  /** A TLS session from an earlier connection to resume. */
  tlsSession?: Buffer
  connectTimeoutMs?: number
  requestTimeoutMs?: number
  /** Idle time before a heartbeat, when no smart heartbeat is given. */
  heartbeatMs?: number
  /** Longest wait for a probe's answer; the RTO decides below it. */
  pingTimeoutMs?: number
  /** Shortest wait for a probe's answer. */
  minProbeTimeoutMs?: number
  race?: RaceOptions
  /** Aborts the connect (the link is stopping). */
  signal?: AbortSignal
  /** Kept by the link across connections. */
  heartbeat?: SmartHeartbeat
  rtt?: RttEstimator
}

export interface ConnectionSettings {
  requestTimeoutMs: number
  pingTimeoutMs: number
  minProbeTimeoutMs: number
  heartbeat: SmartHeartbeat
  rtt: RttEstimator
}

/** What closed a connection: the reason, and a server's hint to spread the reconnect. */
export interface CloseInfo {
  reason: string
  /** The server asked for a reconnect at a random time within this window (a restart). */
  reconnectWithinMs: number
}

interface Pending {
  resolve(frame: Frame): void
  reject(error: Error): void
  timer: NodeJS.Timeout
  sentAt: number
  sample: boolean
}

interface Probe {
  id: number
  reason: ProbeReason
  sentAt: number
  /** Silence before the probe; a heartbeat's answer proves the path keeps that long. */
  idleMs: number
  timeoutMs: number
}

export class Connection {
  private readonly decoder = new FrameDecoder()
  private readonly pending = new Map<number, Pending>()
  private readonly pushListeners: ((frame: Frame) => void)[] = []
  private nextId = 1
  private requestsSent = 0
  private closedReason: string | null = null
  private reconnectWithinMs = 0
  private latestTlsSession: Buffer | undefined
  private readonly resumedTls: boolean
  private lastRxAt = Date.now()
  private lastTxAt = Date.now()
  /** When requests started waiting with no answer since. */
  private busySince: number | null = null
  private probe: Probe | null = null
  /** Probes answered (by any frame) whose own pong may still come. */
  private readonly answeredProbeIds = new Set<number>()
  private liveness: NodeJS.Timeout | null = null
  readonly closed: Promise<string>
  private resolveClosed!: (reason: string) => void

  /** Wraps an open TLS socket (from `open`, or a test's own). */
  constructor(
    private readonly socket: TLSSocket,
    private readonly settings: ConnectionSettings,
    readonly address = 'unknown',
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve))
    this.resumedTls = socket.isSessionReused() === true
    socket.on('session', (session: Buffer) => (this.latestTlsSession = session))
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) => this.close(`socket error: ${error.message}`))
    socket.on('close', () => this.close('socket closed'))
    this.rearm()
  }

  /** Opens a verified TLS connection, racing the access addresses. */
  static async open(options: ConnectionOptions): Promise<Connection> {
    const settings = connectionSettings(options)
    const dialled = await dialFirst(
      [options.address, ...(options.fallbackAddresses ?? [])],
      {
        caPem: options.caPem,
        tlsSession: options.tlsSession,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        signal: options.signal,
      },
      options.race,
    )
    const { socket } = dialled
    settings.rtt.sample(dialled.handshakeMs)
    log.debug(
      {
        address: dialled.address,
        protocol: socket.getProtocol(),
        resumed: socket.isSessionReused(),
        handshakeMs: dialled.handshakeMs,
      },
      'connected',
    )
    return new Connection(socket, settings, dialled.address)
  }

  get isOpen(): boolean {
    return this.closedReason === null
  }

  get tlsSession(): Buffer | undefined {
    return this.latestTlsSession
  }

  /** Whether the TLS handshake resumed an earlier session (no certificate exchange). */
  get tlsSessionReused(): boolean {
    return this.resumedTls
  }

  get closeInfo(): CloseInfo | null {
    return this.closedReason === null
      ? null
      : { reason: this.closedReason, reconnectWithinMs: this.reconnectWithinMs }
  }

  /** Requests sent on this connection (probes not counted). */
  get requestCount(): number {
    return this.requestsSent
  }

  get heartbeat(): SmartHeartbeat {
    return this.settings.heartbeat
  }

  get rtt(): RttEstimator {
    return this.settings.rtt
  }

  /** Sends a request and waits for the frame that echoes its id. ErrorReply → ServerError. */
  request(body: FrameBody, timeoutMs = this.settings.requestTimeoutMs): Promise<Frame> {
    if (this.closedReason !== null)
      return Promise.reject(new ConnectionLostError(this.closedReason))
    const id = this.takeId()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        this.noteSettled()
        reject(new ConnectionLostError(`request ${body.case} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      // A login spends server time hashing the password: not a round trip worth learning from.
      const sample = body.case !== 'login'
      this.requestsSent += 1
      if (this.pending.size === 0) this.busySince = Date.now()
      this.pending.set(id, { resolve, reject, timer, sentAt: Date.now(), sample })
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

  /**
   * Asks the server for an immediate answer, whatever the socket says of itself: after a resume
   * from sleep or a network change. No answer within the probe timeout closes the connection.
   */
  probeNow(reason: ProbeReason = 'system'): void {
    if (this.closedReason !== null || this.probe) return
    this.sendProbe(reason)
  }

  close(reason: string): void {
    if (this.closedReason !== null) return
    this.closedReason = reason
    if (this.liveness) clearTimeout(this.liveness)
    this.liveness = null
    this.probe = null
    this.socket.destroy()
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(new ConnectionLostError(reason))
    }
    this.pending.clear()
    log.info({ reason, address: this.address }, 'connection closed')
    this.resolveClosed(reason)
  }

  private takeId(): number {
    const id = this.nextId++
    if (this.nextId > 0xffff_fff0) this.nextId = 1
    return id
  }

  private write(frame: FrameInit): void {
    this.socket.write(encodeFrame(frame))
    this.lastTxAt = Date.now()
    this.rearm()
  }

  private onData(chunk: Buffer): void {
    if (this.closedReason !== null) return
    let frames: Frame[]
    try {
      frames = this.decoder.push(chunk)
    } catch (error) {
      const reason = error instanceof FrameError ? error.reason : 'malformed'
      log.warn({ reason, address: this.address }, 'frame rejected from server')
      this.close(`bad frame from server: ${reason}`)
      return
    }
    this.onTraffic()
    for (const frame of frames) {
      if (this.closedReason !== null) return
      this.dispatch(frame)
    }
  }

  private dispatch(frame: Frame): void {
    if (frame.body.case === 'kick') {
      this.reconnectWithinMs = frame.body.value.reconnectWithinMs
    }
    if (frame.id !== 0 && frame.body.case === 'pong' && this.isProbeAnswer(frame.id)) return
    const pending = frame.id === 0 ? undefined : this.pending.get(frame.id)
    if (!pending) {
      for (const listener of this.pushListeners) listener(frame)
      return
    }
    this.pending.delete(frame.id)
    clearTimeout(pending.timer)
    if (pending.sample) this.settings.rtt.sample(Date.now() - pending.sentAt)
    this.noteSettled()
    if (frame.body.case === 'error') {
      pending.reject(new ServerError(frame.body.value.code, frame.body.value.message))
    } else pending.resolve(frame)
  }

  /** A pong for a probe other traffic already answered (probe ids share the request counter). */
  private isProbeAnswer(id: number): boolean {
    return this.answeredProbeIds.delete(id)
  }

  private noteSettled(): void {
    if (this.pending.size === 0) this.busySince = null
    else this.busySince = Date.now()
    this.rearm()
  }

  /** Any frame from the server proves the link alive and answers a probe in flight. */
  private onTraffic(): void {
    const now = Date.now()
    this.lastRxAt = now
    const probe = this.probe
    if (probe) {
      this.probe = null
      this.answeredProbeIds.add(probe.id)
      if (this.answeredProbeIds.size > 16) this.answeredProbeIds.clear()
      this.settings.rtt.sample(now - probe.sentAt)
      if (probe.reason === 'heartbeat') this.settings.heartbeat.answered(probe.idleMs)
    }
    this.rearm()
  }

  /** Keeps the one liveness timer on the next thing to check. */
  private rearm(): void {
    if (this.liveness) clearTimeout(this.liveness)
    this.liveness = null
    if (this.closedReason !== null) return
    const { at, fire } = this.nextCheck()
    this.liveness = setTimeout(fire, Math.max(0, at - Date.now()))
    this.liveness.unref()
  }

  private nextCheck(): { at: number; fire: () => void } {
    const probe = this.probe
    if (probe) {
      return { at: probe.sentAt + probe.timeoutMs, fire: () => this.probeUnanswered(probe) }
    }
    if (this.busySince !== null) {
      const quietSince = Math.max(this.lastRxAt, this.busySince)
      return { at: quietSince + this.settings.rtt.rtoMs, fire: () => this.sendProbe('pending') }
    }
    const idleSince = Math.max(this.lastRxAt, this.lastTxAt)
    return {
      at: idleSince + this.settings.heartbeat.intervalMs,
      fire: () => this.sendProbe('heartbeat'),
    }
  }

  private sendProbe(reason: ProbeReason): void {
    if (this.closedReason !== null) return
    const now = Date.now()
    const timeoutMs = Math.min(
      this.settings.pingTimeoutMs,
      Math.max(this.settings.minProbeTimeoutMs, this.settings.rtt.rtoMs),
    )
    const id = this.takeId()
    this.probe = { id, reason, sentAt: now, idleMs: now - this.lastRxAt, timeoutMs }
    log.debug({ reason, timeoutMs, address: this.address }, 'probe sent')
    this.write({ id, body: { case: 'ping', value: { sentAtMs: BigInt(now), immediate: true } } })
  }

  private probeUnanswered(probe: Probe): void {
    if (probe.reason === 'heartbeat') this.settings.heartbeat.unanswered()
    log.info(
      { reason: probe.reason, timeoutMs: probe.timeoutMs, address: this.address },
      'dead link: probe unanswered',
    )
    this.close(`dead link: no answer to a ${probe.reason} probe in ${probe.timeoutMs} ms`)
  }
}

export function connectionSettings(options: Partial<ConnectionOptions>): ConnectionSettings {
  const heartbeatMs = options.heartbeatMs ?? 30_000
  return {
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    pingTimeoutMs: options.pingTimeoutMs ?? 4_000,
    minProbeTimeoutMs: options.minProbeTimeoutMs ?? 1_000,
    heartbeat:
      options.heartbeat ??
      new SmartHeartbeat({
        initialMs: heartbeatMs,
        minMs: heartbeatMs,
        maxMs: heartbeatMs,
        stepMs: 0,
        confirmations: 1,
      }),
    rtt: options.rtt ?? new RttEstimator(),
  }
}
