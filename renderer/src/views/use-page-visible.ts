// Whether the page is visible (not a hidden tab or minimised window).
import { useSyncExternalStore } from 'react'

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange)
  return () => document.removeEventListener('visibilitychange', onChange)
}

const isVisible = () => document.visibilityState === 'visible'

export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribe, isVisible)
}
