// A userspace TCP fault proxy, since the kernel here has no netem. It sits between a client and
// a server on loopback and, per direction, adds latency with jitter (order kept, as TCP does)
// and a bandwidth cap; on demand it black-holes the path (no FIN, no RST: bytes just vanish),
// resets every connection, or cuts a connection after N bytes. A flapping schedule does one of
// those every few seconds. Used by tests, the net benchmark and `npm run netsim`.
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createLogger } from '../../shared/logger'

const log = createLogger('netsim')

export interface FlapSchedule {
  /** Time between faults, drawn uniformly from [min, max]. */
  everyMs: [number, number]
  /** How long a black hole lasts, drawn uniformly from [min, max]. */
  blackholeMs: [number, number]
  /** Share of faults that are resets; the rest are black holes. */
  resetShare: number
}

export interface LinkFaults {
  /** One-way delay added to every chunk, each direction. */
  latencyMs: number
  /** Up to this much more one-way delay, uniformly drawn per chunk. */
  jitterMs: number
  /** Bytes per second each direction; 0 means no cap. */
  bandwidthBytesPerS: number
  /** Resets a connection once this many bytes crossed it (both directions); 0 means never. */
  cutAfterBytes: number
  /** Faults every few seconds, or none. */
  flap: FlapSchedule | null
}

export const NO_FAULTS: LinkFaults = {
  latencyMs: 0,
  jitterMs: 0,
  bandwidthBytesPerS: 0,
  cutAfterBytes: 0,
  flap: null,
}

/** Named network profiles for tests, the benchmark and `npm run netsim -- NAME`. */
export const PROFILES = {
  'good-office': { ...NO_FAULTS, latencyMs: 3, jitterMs: 2, bandwidthBytesPerS: 12_500_000 },
  'congested-wifi': { ...NO_FAULTS, latencyMs: 30, jitterMs: 80, bandwidthBytesPerS: 250_000 },
  '3g': { ...NO_FAULTS, latencyMs: 150, jitterMs: 50, bandwidthBytesPerS: 96_000 },
  'rtt-200': { ...NO_FAULTS, latencyMs: 100 },
  flapping: {
    ...NO_FAULTS,
    latencyMs: 20,
    jitterMs: 20,
    flap: { everyMs: [2_000, 5_000], blackholeMs: [500, 2_000], resetShare: 0.5 },
  },
} satisfies Record<string, LinkFaults>

export type ProfileName = keyof typeof PROFILES

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(PROFILES, name)
}

export interface FaultProxyOptions {
  /** Where the real server listens. */
  target: { host: string; port: number }
  /** Default 0: a random free port on 127.0.0.1. */
  listenPort?: number
  faults?: Partial<LinkFaults>
  /** Seeds the random draws, so a run can be repeated. */
  seed?: number
}

export interface ProxyStats {
  accepted: number
  resets: number
  blackholes: number
  cuts: number
  /** Bytes delivered to the server (client to server direction), every connection together. */
  bytesToServer: number
}

/** A seeded PRNG (mulberry32): jitter and flaps repeat for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export class FaultProxy {
  readonly stats: ProxyStats = { accepted: 0, resets: 0, blackholes: 0, cuts: 0, bytesToServer: 0 }
  private readonly server: Server
  private readonly pipes = new Set<Pipe>()
  private readonly random: () => number
  private faults: LinkFaults
  /** Faults of single connections, by the order they were accepted in (0 is the first). */
  private readonly connectionFaults = new Map<number, Partial<LinkFaults>>()
  private blackholeUntil = 0
  private flapTimer: NodeJS.Timeout | null = null
  private restoreTimer: NodeJS.Timeout | null = null
  private closing = false
  private listenPort = 0

  private constructor(private readonly options: FaultProxyOptions) {
    this.faults = { ...NO_FAULTS, ...options.faults }
    this.random = seededRandom(options.seed ?? Date.now())
    this.server = createServer((socket) => this.accept(socket))
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options)
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject)
      proxy.server.listen(options.listenPort ?? 0, '127.0.0.1', () => resolve())
    })
    proxy.listenPort = (proxy.server.address() as AddressInfo).port
    proxy.scheduleFlap()
    return proxy
  }

  get port(): number {
    return this.listenPort
  }

  /** host:port clients connect to. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`
  }

  get isBlackholed(): boolean {
    return Date.now() < this.blackholeUntil
  }

  get openConnections(): number {
    return this.pipes.size
  }

  setFaults(faults: Partial<LinkFaults>): void {
    this.faults = { ...this.faults, ...faults }
    this.scheduleFlap()
  }

  /**
   * Faults for one connection only, over the proxy's own: the `index`-th accepted (0 is the
   * first), whether it is open already or still to come. Flaps stay the proxy's.
   */
  setConnectionFaults(index: number, faults: Partial<LinkFaults>): void {
    this.connectionFaults.set(index, faults)
  }

  /**
   * Every open connection goes silent for good (bytes vanish, nothing is closed); connections
   * made during the next `ms` are silent too. Infinity keeps the hole open until `restore`.
   */
  blackhole(ms = Infinity): void {
    this.stats.blackholes += 1
    this.blackholeUntil = Date.now() + ms
    for (const pipe of this.pipes) pipe.silence()
    if (this.restoreTimer) clearTimeout(this.restoreTimer)
    this.restoreTimer = null
    log.info({ ms }, 'black hole')
  }

  /** New connections get through again; connections silenced before stay silent. */
  restore(): void {
    this.blackholeUntil = 0
  }

  /** Resets every open connection (RST to both ends). */
  resetAll(): void {
    this.stats.resets += 1
    for (const pipe of [...this.pipes]) pipe.reset()
    log.info('reset every connection')
  }

  async close(): Promise<void> {
    this.closing = true
    if (this.flapTimer) clearTimeout(this.flapTimer)
    if (this.restoreTimer) clearTimeout(this.restoreTimer)
    for (const pipe of [...this.pipes]) pipe.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: Socket): void {
    this.stats.accepted += 1
    const index = this.stats.accepted - 1
    const faults = (): LinkFaults => {
      const own = this.connectionFaults.get(index)
      return own ? { ...this.faults, ...own } : this.faults
    }
    const pipe = new Pipe(client, this.options.target, faults, this.random, {
      cut: () => (this.stats.cuts += 1),
      up: (bytes) => (this.stats.bytesToServer += bytes),
      gone: () => this.pipes.delete(pipe),
    })
    this.pipes.add(pipe)
    if (this.isBlackholed) pipe.silence()
  }

  private scheduleFlap(): void {
    if (this.flapTimer) clearTimeout(this.flapTimer)
    this.flapTimer = null
    const flap = this.faults.flap
    if (!flap || this.closing) return
    this.flapTimer = setTimeout(() => {
      this.flapOnce(flap)
      this.scheduleFlap()
    }, this.draw(flap.everyMs))
  }

  private flapOnce(flap: FlapSchedule): void {
    if (this.random() < flap.resetShare) {
      this.resetAll()
      return
    }
    this.blackhole()
    this.restoreTimer = setTimeout(() => this.restore(), this.draw(flap.blackholeMs))
  }

  private draw([min, max]: [number, number]): number {
    return min + (max - min) * this.random()
  }
}

interface PipeEvents {
  cut(): void
  up(bytes: number): void
  gone(): void
}

/** One proxied connection: two sockets and a delayed, rate-limited lane each way. */
class Pipe {
  private readonly upstream: Socket
  private readonly lanes: Lane[]
  private silent = false
  private crossed = 0

  constructor(
    private readonly client: Socket,
    target: { host: string; port: number },
    faults: () => LinkFaults,
    random: () => number,
    private readonly events: PipeEvents,
  ) {
    this.upstream = connect(target.port, target.host)
    client.setNoDelay(true)
    this.upstream.setNoDelay(true)
    this.lanes = [
      new Lane(client, this.upstream, faults, random, (bytes) => {
        events.up(bytes)
        this.onCrossed(bytes, faults)
      }),
      new Lane(this.upstream, client, faults, random, (bytes) => this.onCrossed(bytes, faults)),
    ]
    for (const socket of [client, this.upstream]) {
      socket.on('error', () => this.destroy())
      socket.on('close', () => this.endBoth())
    }
  }

  /** Black hole: drop everything from now on, in both directions, and close nothing. */
  silence(): void {
    this.silent = true
    for (const lane of this.lanes) lane.silence()
  }

  reset(): void {
    this.client.resetAndDestroy()
    this.upstream.resetAndDestroy()
    this.gone()
  }

  destroy(): void {
    this.client.destroy()
    this.upstream.destroy()
    this.gone()
  }

  /** One end closed cleanly: the other end sees the close too, unless the path is silent. */
  private endBoth(): void {
    if (this.silent) return
    this.destroy()
  }

  private onCrossed(bytes: number, faults: () => LinkFaults): void {
    this.crossed += bytes
    const limit = faults().cutAfterBytes
    if (limit > 0 && this.crossed >= limit) {
      this.events.cut()
      this.reset()
    }
  }

  private gone(): void {
    for (const lane of this.lanes) lane.stop()
    this.events.gone()
  }
}

/** One direction of a pipe: chunks leave in order, after latency, jitter and the rate cap. */
class Lane {
  private readonly queue: { at: number; chunk: Buffer }[] = []
  private timer: NodeJS.Timeout | null = null
  private lastAt = 0
  private silent = false
  private stopped = false

  constructor(
    from: Socket,
    private readonly to: Socket,
    private readonly faults: () => LinkFaults,
    private readonly random: () => number,
    private readonly crossed: (bytes: number) => void,
  ) {
    from.on('data', (chunk: Buffer) => this.accept(chunk))
  }

  silence(): void {
    this.silent = true
    this.queue.length = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  stop(): void {
    this.stopped = true
    this.silence()
  }

  private accept(chunk: Buffer): void {
    if (this.silent || this.stopped) return
    const faults = this.faults()
    const now = Date.now()
    const sendTime =
      faults.bandwidthBytesPerS > 0 ? (chunk.length * 1000) / faults.bandwidthBytesPerS : 0
    const departs = Math.max(now, this.lastAt - faults.latencyMs) + sendTime
    const at = Math.max(departs + faults.latencyMs + faults.jitterMs * this.random(), this.lastAt)
    this.lastAt = at
    this.queue.push({ at, chunk })
    this.schedule()
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return
    const wait = Math.max(0, this.queue[0]!.at - Date.now())
    if (wait === 0) {
      this.deliver()
      return
    }
    this.timer = setTimeout(() => {
      this.timer = null
      this.deliver()
    }, wait)
  }

  private deliver(): void {
    const now = Date.now()
    while (this.queue.length > 0 && this.queue[0]!.at <= now && !this.silent) {
      const { chunk } = this.queue.shift()!
      if (this.to.writable) this.to.write(chunk)
      this.crossed(chunk.length)
    }
    this.schedule()
  }
}
