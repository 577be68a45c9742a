// Browser mode's launch token: the host prints a URL ending in #token=…, and only a page holding
// that token may open the host's WebSocket. The token stays in the URL (so a reload works) and is
// kept in sessionStorage too, so it survives a reload of a URL whose fragment was lost.
import { LAUNCH_TOKEN_FRAGMENT_KEY } from '../../../shared/host-transport'

const STORAGE_KEY = 'tack.launchToken'

/** The part of Storage we use; sessionStorage in the page, a fake in tests. */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** The token from the fragment (kept for later), else the kept one, else null. */
export function readLaunchToken(hash: string, storage: TokenStorage | null): string | null {
  const fromFragment = new URLSearchParams(hash.replace(/^#/, '')).get(LAUNCH_TOKEN_FRAGMENT_KEY)
  if (fromFragment) {
    attempt(() => storage?.setItem(STORAGE_KEY, fromFragment))
    return fromFragment
  }
  return attempt(() => storage?.getItem(STORAGE_KEY)) || null
}

// Storage can throw (blocked by privacy settings, quota); the token then lives in the URL only.
function attempt<T>(step: () => T): T | undefined {
  try {
    return step()
  } catch {
    return undefined
  }
}
