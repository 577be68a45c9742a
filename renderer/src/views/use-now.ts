// The current time to `stepMs`, re-rendering each step while `ticking` (countdowns, list times).
// Read through useSyncExternalStore so a countdown is right from its first frame.
import { useCallback, useSyncExternalStore } from 'react'

export function useNow(ticking: boolean, stepMs = 250): number {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!ticking) return () => undefined
      const timer = setInterval(onChange, stepMs)
      return () => clearInterval(timer)
    },
    [ticking, stepMs],
  )
  // Whole steps (rounded up, so a countdown never shows more wait than is left), so the value
  // holds still between ticks as React requires of a snapshot.
  const step = useSyncExternalStore(subscribe, () => Math.ceil(Date.now() / stepMs))
  return step * stepMs
}
