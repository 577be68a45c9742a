// The long-lived link to the access layer: at most one live Connection (so one heartbeat
// timer), a reconnect loop, and the connection state the UI shows. A connection that dies is
// replaced at once; failed attempts back off exponentially with full jitter up to a cap; a
// server going away for a restart names a window, and the link comes back at a random time in it.
// The smart heartbeat and the round-trip estimate live here, so they outlive each connection.
import type { ConnectionState } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { Connection, type ConnectionOptions } from './connection'
import { DEFAULT_RTT_OPTIONS, RttEstimator, type RttOptions } from './rtt-estimator'
import { DEFAULT_HEARTBEAT, SmartHeartbeat, type HeartbeatOptions } from './smart-heartbeat'

const log = createLogger('link')

export interface LinkHandlers {
  /** Logs in or resumes on a fresh connection. Throwing a fatal error stops the link. */
  authenticate(connection: Connection): Promise<void>
  /** Runs once the session is up: start sync, flush the outbox. */
  online(connection: Connection): Promise<void>
  /** Errors that retrying cannot fix (bad credentials, expired ticket). */
  isFatal(error: unknown): boolean
  stopped(error: unknown): void
  stateChanged(state: ConnectionState): void
}

export interface BackoffOptions {
  baseMs: number
  capMs: number
  /**
   * A connection up at least this long that dies is replaced at once; one that dies sooner
   * counts as a failed attempt, so a server that drops every session straight away is not
   * hammered. Default 5000.
   */
  stableUptimeMs?: number
}

const MIN_CONNECT_TIMEOUT_MS = 3_000

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, stableUptimeMs: 5_000 }

export interface LinkTuning {
  heartbeat?: Partial<HeartbeatOptions>
  rtt?: Partial<RttOptions>
}

/** What the network diagnostics view shows. */
export interface LinkDiagnostics {
  address: string | null
  heartbeatIntervalMs: number
  heartbeatPhase: 'probing' | 'stable'
  srttMs: number | null
  rttvarMs: number | null
  rtoMs: number
  tlsSessionReused: boolean | null
  connects: number
  lastCloseReason: string | null
}

/** Full jitter: a random delay between 0 and the capped exponential bound. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random = Math.random,
): number {
  const bound = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(bound * random())
}

export class Link {
  private stoppedFlag = false
  private live: Connection | null = null
  private wake: (() => void) | null = null
  private state: ConnectionState = { status: 'offline', retryAt: null, attempt: 0, lastError: null }
  private tlsSession: Buffer | undefined
  private loop: Promise<void> | null = null
  private firstOutcome: { resolve(): void; reject(error: unknown): void } | null = null
  private readonly heartbeat: SmartHeartbeat
  private readonly rtt: RttEstimator
  private connects = 0
  private readonly stopping = new AbortController()
  /** A connection still logging in or resuming: stop() closes it too. */
  private settingUp: Connection | null = null
  private lastCloseReason: string | null = null

  constructor(
    private readonly connectionOptions: Omit<ConnectionOptions, 'tlsSession' | 'heartbeat' | 'rtt'>,
    private readonly handlers: LinkHandlers,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    tuning: LinkTuning = {},
  ) {
    this.heartbeat = new SmartHeartbeat({ ...DEFAULT_HEARTBEAT, ...tuning.heartbeat })
    this.rtt = new RttEstimator({ ...DEFAULT_RTT_OPTIONS, ...tuning.rtt })
  }

  get connection(): Connection | null {
    return this.live
  }

  get connectionState(): ConnectionState {
    return this.state
  }

  /**
   * Starts the loop. The promise settles with the first attempt: resolved once online, rejected
   * with its error if the first attempt fails (the loop then stops), so a login can report it.
   */
  start(options: { failFast: boolean }): Promise<void> {
    const outcome = new Promise<void>((resolve, reject) => {
      this.firstOutcome = options.failFast ? { resolve, reject } : null
      if (!options.failFast) resolve()
    })
    this.loop = this.run(options.failFast)
    return outcome
  }

  /** Skips the wait before the next attempt. */
  retryNow(): void {
    this.wake?.()
  }

  /**
   * The system says the network may have changed (resume from sleep, back online, a new
   * interface): probe the live connection now, or stop waiting and connect.
   */
  probeNow(): void {
    if (this.live?.isOpen) this.live.probeNow('system')
    else this.wake?.()
  }

  /** A new network interface: relearn its heartbeat interval, and probe the link now. */
  networkChanged(): void {
    this.heartbeat.reset()
    this.probeNow()
  }

  diagnostics(): LinkDiagnostics {
    return {
      address: this.live?.address ?? null,
      heartbeatIntervalMs: this.heartbeat.intervalMs,
      heartbeatPhase: this.heartbeat.currentPhase,
      srttMs: roundOrNull(this.rtt.srttMs),
      rttvarMs: roundOrNull(this.rtt.rttvarMs),
      rtoMs: this.rtt.rtoMs,
      tlsSessionReused: this.live ? this.live.tlsSessionReused : null,
      connects: this.connects,
      lastCloseReason: this.lastCloseReason,
    }
  }

  async stop(): Promise<void> {
    this.stoppedFlag = true
    this.stopping.abort()
    this.settingUp?.close('link stopped')
    this.live?.close('link stopped')
    this.wake?.()
    await this.loop
    this.setState({ status: 'offline', retryAt: null, attempt: 0, lastError: null })
  }

  private async run(failFast: boolean): Promise<void> {
    let attempt = 0
    while (!this.stoppedFlag) {
      this.setState({
        status: 'connecting',
        retryAt: null,
        attempt,
        lastError: this.state.lastError,
      })
      const result = await this.attempt()
      if (this.stoppedFlag) break
      if (result.error !== undefined) {
        const message = result.error instanceof Error ? result.error.message : String(result.error)
        log.info({ attempt, error: message }, 'link attempt failed')
        if (this.handlers.isFatal(result.error) || (failFast && this.firstOutcome)) {
          this.stoppedFlag = true
          this.settleFirst(result.error)
          this.setState({ status: 'offline', retryAt: null, attempt, lastError: message })
          this.handlers.stopped(result.error)
          break
        }
        this.state = { ...this.state, lastError: message }
      }
      const stable = result.upMs !== null && result.upMs >= (this.backoff.stableUptimeMs ?? 5_000)
      attempt = stable ? 0 : attempt + 1
      await this.waitBeforeRetry(this.nextDelay(attempt, result.reconnectWithinMs), attempt)
    }
  }

  /**
   * A connection that was up a while and died is replaced at once, unless the server asked for
   * a spread reconnect (a restart: every client would come back in the same second). Failed
   * attempts back off with full jitter.
   */
  private nextDelay(attempt: number, reconnectWithinMs: number): number {
    if (reconnectWithinMs > 0) {
      return Math.round(Math.random() * Math.min(reconnectWithinMs, this.backoff.capMs))
    }
    return attempt === 0 ? 0 : backoffDelay(attempt, this.backoff)
  }

  /** One connection's life: connect, authenticate, serve until it closes. */
  private async attempt(): Promise<{
    /** How long the session was up; null when it never was. */
    upMs: number | null
    error?: unknown
    reconnectWithinMs: number
  }> {
    let connection: Connection
    try {
      connection = await Connection.open({
        ...this.connectionOptions,
        connectTimeoutMs: this.connectTimeoutMs(),
        tlsSession: this.tlsSession,
        heartbeat: this.heartbeat,
        rtt: this.rtt,
        signal: this.stopping.signal,
      })
    } catch (error) {
      return { upMs: null, error, reconnectWithinMs: 0 }
    }
    this.connects += 1
    let onlineAt: number | null = null
    this.settingUp = connection
    if (this.stoppedFlag) connection.close('link stopped')
    try {
      await this.handlers.authenticate(connection)
      this.settingUp = null
      this.tlsSession = connection.tlsSession ?? this.tlsSession
      this.live = connection
      onlineAt = Date.now()
      this.setState({ status: 'online', retryAt: null, attempt: 0, lastError: null })
      this.settleFirst()
      await this.handlers.online(connection)
    } catch (error) {
      connection.close('session setup failed')
      this.settingUp = null
      this.live = null
      this.lastCloseReason = connection.closeInfo!.reason
      return {
        upMs: onlineAt === null ? null : Date.now() - onlineAt,
        error,
        reconnectWithinMs: connection.closeInfo!.reconnectWithinMs,
      }
    }
    const reason = await connection.closed
    this.live = null
    this.lastCloseReason = reason
    this.tlsSession = connection.tlsSession ?? this.tlsSession
    return {
      upMs: onlineAt === null ? null : Date.now() - onlineAt,
      error: new Error(reason),
      reconnectWithinMs: connection.closeInfo!.reconnectWithinMs,
    }
  }

  /**
   * A handshake takes a few round trips: four RTOs of the path as last measured, at least 3 s,
   * at most the configured timeout, so a black-holed dial is given up on in seconds.
   */
  private connectTimeoutMs(): number {
    const configured = this.connectionOptions.connectTimeoutMs ?? 10_000
    return Math.min(configured, Math.max(MIN_CONNECT_TIMEOUT_MS, 4 * this.rtt.rtoMs))
  }

  private async waitBeforeRetry(delay: number, attempt: number): Promise<void> {
    if (this.stoppedFlag || delay <= 0) return
    this.setState({ ...this.state, status: 'waiting', retryAt: Date.now() + delay, attempt })
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    this.wake = null
  }

  private settleFirst(error?: unknown): void {
    const outcome = this.firstOutcome
    this.firstOutcome = null
    if (!outcome) return
    if (error === undefined) outcome.resolve()
    else outcome.reject(error)
  }

  private setState(state: ConnectionState): void {
    this.state = state
    this.handlers.stateChanged(state)
  }
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value)
}
