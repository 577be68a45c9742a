// The smart heartbeat: the idle time after which the connection sends a ping. It probes upwards
// in steps towards the longest idle time the path (its NATs and firewalls) keeps a connection
// alive, steps back down after a heartbeat goes unanswered, and holds once found. The link keeps
// one across reconnects, so what it learnt about the path survives a dropped connection.

export type HeartbeatPhase = 'probing' | 'stable'

export interface HeartbeatOptions {
  initialMs: number
  minMs: number
  maxMs: number
  /** How far one probe moves the interval. */
  stepMs: number
  /** Answered heartbeats at an interval before trying a longer one. */
  confirmations: number
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = {
  initialMs: 30_000,
  minMs: 20_000,
  maxMs: 270_000,
  stepMs: 30_000,
  confirmations: 2,
}

export class SmartHeartbeat {
  private interval: number
  private phase: HeartbeatPhase = 'probing'
  private confirmed = 0
  /** The longest interval a heartbeat has been answered at. */
  private lastGood: number | null = null

  constructor(readonly options: HeartbeatOptions = DEFAULT_HEARTBEAT) {
    this.interval = clamp(options.initialMs, options.minMs, options.maxMs)
  }

  get intervalMs(): number {
    return this.interval
  }

  get currentPhase(): HeartbeatPhase {
    return this.phase
  }

  /** A heartbeat sent after `idleMs` of silence was answered: the path kept that long. */
  answered(idleMs: number): void {
    if (idleMs + 1 < this.interval) return
    this.lastGood = Math.max(this.lastGood ?? 0, this.interval)
    if (this.phase === 'stable') return
    this.confirmed += 1
    if (this.confirmed < this.options.confirmations) return
    this.confirmed = 0
    if (this.interval >= this.options.maxMs) {
      this.phase = 'stable'
      return
    }
    this.interval = Math.min(this.options.maxMs, this.interval + this.options.stepMs)
  }

  /** A different network (a new interface): what was learnt of the old path no longer holds. */
  reset(): void {
    this.interval = clamp(this.options.initialMs, this.options.minMs, this.options.maxMs)
    this.phase = 'probing'
    this.confirmed = 0
    this.lastGood = null
  }

  /** A heartbeat went unanswered: the path may drop idle connections sooner than this. */
  unanswered(): void {
    this.confirmed = 0
    const { minMs, stepMs } = this.options
    if (this.phase === 'probing' && this.lastGood !== null && this.lastGood < this.interval) {
      // The step up was one too far: hold the longest interval that worked.
      this.interval = this.lastGood
    } else {
      this.interval = Math.max(minMs, this.interval - stepMs)
      this.lastGood = null
    }
    this.phase = 'stable'
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
