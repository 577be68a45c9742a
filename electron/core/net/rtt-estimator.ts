// Round-trip estimate of one path, as TCP computes its retransmission timeout (RFC 6298):
// a smoothed RTT, its mean deviation, and RTO = SRTT + 4 × RTTVAR within a floor and a ceiling.
// The link keeps one across reconnects, so a new connection starts from what the path showed.

export interface RttOptions {
  /** RTO before any sample. */
  initialRtoMs: number
  /** RTO floor: below it, a busy server or a scheduler hiccup would look like a dead link. */
  minRtoMs: number
  maxRtoMs: number
}

export const DEFAULT_RTT_OPTIONS: RttOptions = {
  initialRtoMs: 2_000,
  minRtoMs: 1_000,
  maxRtoMs: 10_000,
}

const ALPHA = 1 / 8
const BETA = 1 / 4

export class RttEstimator {
  private smoothed: number | null = null
  private variation = 0
  private samples = 0

  constructor(private readonly options: RttOptions = DEFAULT_RTT_OPTIONS) {}

  /** Adds one measured round trip. */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return
    this.samples += 1
    if (this.smoothed === null) {
      this.smoothed = rttMs
      this.variation = rttMs / 2
      return
    }
    this.variation = (1 - BETA) * this.variation + BETA * Math.abs(this.smoothed - rttMs)
    this.smoothed = (1 - ALPHA) * this.smoothed + ALPHA * rttMs
  }

  get srttMs(): number | null {
    return this.smoothed
  }

  get rttvarMs(): number | null {
    return this.smoothed === null ? null : this.variation
  }

  get sampleCount(): number {
    return this.samples
  }

  /** How long an answer may take before the link is suspected. */
  get rtoMs(): number {
    if (this.smoothed === null) return this.options.initialRtoMs
    const rto = this.smoothed + 4 * this.variation
    return Math.round(Math.min(this.options.maxRtoMs, Math.max(this.options.minRtoMs, rto)))
  }
}
