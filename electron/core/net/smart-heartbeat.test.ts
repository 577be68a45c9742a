import { describe, expect, it } from 'vitest'
import { SmartHeartbeat } from './smart-heartbeat'

const OPTIONS = {
  initialMs: 30_000,
  minMs: 20_000,
  maxMs: 120_000,
  stepMs: 30_000,
  confirmations: 2,
}

function answerTimes(heartbeat: SmartHeartbeat, times: number): void {
  for (let i = 0; i < times; i += 1) heartbeat.answered(heartbeat.intervalMs)
}

describe('smart heartbeat', () => {
  it('probes upwards a step after each interval is confirmed', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)

    answerTimes(heartbeat, 2)
    const afterOneStep = heartbeat.intervalMs
    answerTimes(heartbeat, 2)

    expect(afterOneStep).toBe(60_000)
    expect(heartbeat.intervalMs).toBe(90_000)
    expect(heartbeat.currentPhase).toBe('probing')
  })

  it('holds the longest interval that worked once a longer one fails', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)
    answerTimes(heartbeat, 4)

    heartbeat.unanswered()
    answerTimes(heartbeat, 10)

    expect(heartbeat.intervalMs).toBe(60_000)
    expect(heartbeat.currentPhase).toBe('stable')
  })

  it('stops at the ceiling and holds there', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)

    answerTimes(heartbeat, 20)

    expect(heartbeat.intervalMs).toBe(120_000)
    expect(heartbeat.currentPhase).toBe('stable')
  })

  it('backs off a step when a held interval fails, never below the floor', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)
    answerTimes(heartbeat, 4)
    heartbeat.unanswered()

    heartbeat.unanswered()
    const once = heartbeat.intervalMs
    heartbeat.unanswered()
    heartbeat.unanswered()

    expect(once).toBe(30_000)
    expect(heartbeat.intervalMs).toBe(20_000)
  })

  it('learns nothing from an answer after a shorter silence than the interval', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)

    for (let i = 0; i < 5; i += 1) heartbeat.answered(1_000)

    expect(heartbeat.intervalMs).toBe(30_000)
  })

  it('starts probing afresh from the first interval on a new network', () => {
    const heartbeat = new SmartHeartbeat(OPTIONS)
    answerTimes(heartbeat, 4)
    heartbeat.unanswered()

    heartbeat.reset()

    expect(heartbeat.intervalMs).toBe(30_000)
    expect(heartbeat.currentPhase).toBe('probing')
  })
})
