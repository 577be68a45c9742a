// Where a page of the app may go. The app window stays on app://; http(s) links leave for the
// system browser; nothing opens a window of its own; a micro-app page stays on its own origin.
// Plain functions, no 'electron' import, so they are unit-tested in Node.
import { isAppUrl, isExternalLink } from './app-url'
import { packageOriginOf } from './package-url'

/** stay: let the navigation happen; external: hand the URL to the system browser; refuse. */
export type NavigationDecision = 'stay' | 'external' | 'refuse'

/** A navigation of the app window's top frame. */
export function decideAppNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'stay'
  return isExternalLink(url) ? 'external' : 'refuse'
}

/** window.open, target=_blank, middle-click: never a new Electron window. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'stay'> {
  return isExternalLink(url) ? 'external' : 'refuse'
}

/** A micro-app's webview navigates within the origin it was opened on, and nowhere else. */
export function decideWebviewNavigation(currentUrl: string, url: string): NavigationDecision {
  const from = originOf(currentUrl)
  const to = originOf(url)
  if (from !== null && from === to) return 'stay'
  return isExternalLink(url) ? 'external' : 'refuse'
}

/** The origin of a web page or of an offline package (tack-app://<agentId>); null otherwise. */
function originOf(url: string): string | null {
  const packageOrigin = packageOriginOf(url)
  if (packageOrigin) return packageOrigin
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null
  } catch {
    return null
  }
}
