import { describe, expect, it } from 'vitest'
import { RttEstimator } from './rtt-estimator'

const OPTIONS = { initialRtoMs: 2_000, minRtoMs: 200, maxRtoMs: 5_000 }

describe('round-trip estimate', () => {
  it('uses the initial RTO before any sample', () => {
    expect(new RttEstimator(OPTIONS).rtoMs).toBe(2_000)
  })

  it('starts from the first sample with half of it as variation, as RFC 6298 does', () => {
    const rtt = new RttEstimator(OPTIONS)

    rtt.sample(200)

    expect(rtt.srttMs).toBe(200)
    expect(rtt.rttvarMs).toBe(100)
    expect(rtt.rtoMs).toBe(600)
  })

  it('settles near a steady round trip and narrows its variation', () => {
    const rtt = new RttEstimator(OPTIONS)

    for (let i = 0; i < 50; i += 1) rtt.sample(200 + (i % 2 === 0 ? 10 : -10))

    expect(rtt.srttMs).toBeGreaterThan(190)
    expect(rtt.srttMs).toBeLessThan(210)
    expect(rtt.rtoMs).toBeLessThan(300)
  })

  it('widens the RTO when round trips start to vary', () => {
    const rtt = new RttEstimator(OPTIONS)
    for (let i = 0; i < 20; i += 1) rtt.sample(200)
    const steady = rtt.rtoMs

    for (const sample of [800, 150, 900, 120]) rtt.sample(sample)

    expect(rtt.rtoMs).toBeGreaterThan(steady * 2)
  })

  it('keeps the RTO within its floor and ceiling and ignores nonsense samples', () => {
    const fast = new RttEstimator(OPTIONS)
    const slow = new RttEstimator(OPTIONS)
    for (let i = 0; i < 30; i += 1) fast.sample(1)
    slow.sample(60_000)
    fast.sample(Number.NaN)
    fast.sample(-5)

    expect(fast.rtoMs).toBe(200)
    expect(slow.rtoMs).toBe(5_000)
    expect(fast.sampleCount).toBe(30)
  })
})
