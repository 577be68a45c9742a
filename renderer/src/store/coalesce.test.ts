import { describe, expect, it } from 'vitest'
import { coalesceByKey } from './coalesce'

/** A run whose calls the test finishes one by one. */
function controlledRun() {
  const started: string[] = []
  const finishers: (() => void)[] = []
  const run = (key: string) =>
    new Promise<void>((resolve) => {
      started.push(key)
      finishers.push(resolve)
    })
  const finishNext = async () => {
    finishers.shift()?.()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return { run, started, finishNext }
}

describe('coalesceByKey', () => {
  it('runs once now and once more after it, however many calls overlap', async () => {
    const { run, started, finishNext } = controlledRun()
    const refresh = coalesceByKey(run)

    const calls = [refresh('a'), refresh('a'), refresh('a'), refresh('a')]
    expect(started).toEqual(['a'])

    await finishNext()
    expect(started).toEqual(['a', 'a'])
    await finishNext()
    await Promise.all(calls)
    expect(started).toEqual(['a', 'a'])
  })

  it('keeps keys apart', () => {
    const { run, started } = controlledRun()
    const refresh = coalesceByKey(run)

    void refresh('a')
    void refresh('b')

    expect(started).toEqual(['a', 'b'])
  })

  it('starts the follow-up even when the run before it failed', async () => {
    let calls = 0
    const refresh = coalesceByKey(async () => {
      calls += 1
      if (calls === 1) throw new Error('first run failed')
    })

    const first = refresh('a')
    const second = refresh('a')

    await expect(first).rejects.toThrow('first run failed')
    await expect(second).resolves.toBeUndefined()
    expect(calls).toBe(2)
  })
})
