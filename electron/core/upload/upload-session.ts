// One upload's connections to the server: an https.Agent per worker (keep-alive, one socket
// each, so a slow link slows only its own worker) and one for control requests, all trusting
// the endpoint's CA. The endpoint is asked again after a failure, since the ticket or the port
// may have changed (a new session, a restarted server).
import { Agent } from 'node:https'
import { RetryableError, type TusTarget } from './tus-http'

/** No endpoint yet (signed out, no session): wait for one, without counting it as a failure. */
export class NoEndpointError extends RetryableError {}
import type { UploadEndpoint } from './upload-manager'

export type EndpointSource = () => UploadEndpoint | null | Promise<UploadEndpoint | null>

export class UploadSession {
  private agents: Agent[] = []
  private control: Agent | null = null

  private constructor(
    private endpoint: UploadEndpoint,
    private readonly workers: number,
    private readonly idleTimeoutMs: number,
  ) {
    this.makeAgents()
  }

  /** Asks the source for an endpoint; none yet is a failure worth retrying. */
  static async open(
    source: EndpointSource,
    workers: number,
    idleTimeoutMs: number,
  ): Promise<UploadSession> {
    return new UploadSession(await fetchEndpoint(source), workers, idleTimeoutMs)
  }

  /** The target for worker `index`'s requests, or the control connection's without an index. */
  target(signal: AbortSignal, index?: number): TusTarget {
    const agent = index === undefined ? this.control! : this.agents[index % this.agents.length]!
    return { agent, ticket: this.endpoint.ticket, signal, idleTimeoutMs: this.idleTimeoutMs }
  }

  /** The tus collection, where uploads are made. */
  get collection(): URL {
    return new URL('/uploads', this.endpoint.url)
  }

  /** A path the server gave (an upload or a file), on the current endpoint's origin. */
  resolve(path: string): URL {
    return new URL(path, this.endpoint.url)
  }

  /** Takes the endpoint again; new agents when the CA or origin changed. */
  async refresh(source: EndpointSource): Promise<void> {
    const next = await fetchEndpoint(source)
    const moved = next.ca !== this.endpoint.ca || next.url !== this.endpoint.url
    this.endpoint = next
    if (moved) {
      this.destroyAgents()
      this.makeAgents()
    }
  }

  close(): void {
    this.destroyAgents()
  }

  private makeAgents(): void {
    const options = { keepAlive: true, maxSockets: 1, ca: this.endpoint.ca }
    this.agents = Array.from({ length: this.workers }, () => new Agent(options))
    this.control = new Agent({ ...options, maxSockets: 2 })
  }

  private destroyAgents(): void {
    for (const agent of this.agents) agent.destroy()
    this.control?.destroy()
  }
}

async function fetchEndpoint(source: EndpointSource): Promise<UploadEndpoint> {
  const endpoint = await source()
  if (!endpoint) throw new NoEndpointError('no upload endpoint yet (not signed in or no session)')
  return endpoint
}

/** Full-jitter exponential backoff for the `attempt`-th failure in a row (1-based). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30))
  return Math.random() * ceiling
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error)
      return
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
