// The current time, ticking while `ticking` is true (for countdowns and relative times).
import { useEffect, useState } from 'react'

export function useNow(ticking: boolean, intervalMs = 500): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return undefined
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [ticking, intervalMs])
  return now
}
