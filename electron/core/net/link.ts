// The long-lived link to the access layer: at most one live Connection, a reconnect loop with
// exponential backoff and full jitter, and the connection state the UI shows.
import type { ConnectionState } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { Connection, type ConnectionOptions } from './connection'

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
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 }

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

  constructor(
    private readonly connectionOptions: Omit<ConnectionOptions, 'tlsSession'>,
    private readonly handlers: LinkHandlers,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

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

  async stop(): Promise<void> {
    this.stoppedFlag = true
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
      if (result.wentOnline) attempt = 0
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
      attempt += 1
      await this.waitBeforeRetry(attempt)
    }
  }

  /** One connection's life: connect, authenticate, serve until it closes. */
  private async attempt(): Promise<{ wentOnline: boolean; error?: unknown }> {
    let connection: Connection
    try {
      connection = await Connection.open({ ...this.connectionOptions, tlsSession: this.tlsSession })
    } catch (error) {
      return { wentOnline: false, error }
    }
    try {
      await this.handlers.authenticate(connection)
      this.tlsSession = connection.tlsSession ?? this.tlsSession
      this.live = connection
      this.setState({ status: 'online', retryAt: null, attempt: 0, lastError: null })
      this.settleFirst()
      await this.handlers.online(connection)
    } catch (error) {
      connection.close('session setup failed')
      this.live = null
      return { wentOnline: false, error }
    }
    const reason = await connection.closed
    this.live = null
    return { wentOnline: true, error: new Error(reason) }
  }

  private async waitBeforeRetry(attempt: number): Promise<void> {
    if (this.stoppedFlag) return
    const delay = backoffDelay(attempt, this.backoff)
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
