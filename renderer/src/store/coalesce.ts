// Collapses overlapping refreshes: while one run for a key is in flight, any number of further
// calls share a single follow-up run that starts when it ends. Bursts of change events then cost
// two fetches, not one each, and results land in the order they were asked for.

/** `run` handles its own errors; a rejection still lets the follow-up run start. */
export function coalesceByKey<K>(run: (key: K) => Promise<void>): (key: K) => Promise<void> {
  const inFlight = new Map<K, Promise<void>>()
  const followUps = new Map<K, Promise<void>>()

  function start(key: K): Promise<void> {
    const running = run(key).finally(() => {
      if (inFlight.get(key) === running) inFlight.delete(key)
    })
    inFlight.set(key, running)
    return running
  }

  return (key) => {
    const followUp = followUps.get(key)
    if (followUp) return followUp
    const running = inFlight.get(key)
    if (!running) return start(key)
    const startNext = () => {
      followUps.delete(key)
      return start(key)
    }
    const next = running.then(startNext, startNext)
    followUps.set(key, next)
    return next
  }
}

export function coalesce(run: () => Promise<void>): () => Promise<void> {
  const keyed = coalesceByKey<null>(() => run())
  return () => keyed(null)
}
