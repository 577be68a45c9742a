// Offline micro-app packages under Electron: each installed package is its own origin,
// tack-app://<agentId>/, so apps never share storage with each other or with Tack's page, and the
// bridge's origin checks hold as for an app on the web. Browser mode serves the same packages at
// http://<agentId>.localhost:<port>/ instead. Plain functions, no 'electron' import.
import { resolveInside } from './app-url'

export const PACKAGE_SCHEME = 'tack-app'

/** An agent id that can be a host name: what offline package manifests allow. */
const AGENT_HOST = /^[a-z0-9][a-z0-9-]{0,62}$/

/** What serving a request needs to know of the installed package. */
export interface ServedPackage {
  /** The folder of the version in use. */
  dir: string
  /** Its entry page, relative to dir. */
  entry: string
}

/** The origin an app's package is served at. */
export function packageOrigin(agentId: string): string {
  return `${PACKAGE_SCHEME}://${agentId}`
}

/**
 * The origin of a package URL (tack-app://<agentId>), or null for any other URL. Node's URL
 * knows no custom standard scheme and calls every such origin "null", so it is built here.
 */
export function packageOriginOf(url: string): string | null {
  const agentId = packageAgentOf(url)
  return agentId === null ? null : packageOrigin(agentId)
}

/** The agent id a package URL is for, or null. */
export function packageAgentOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${PACKAGE_SCHEME}:` || parsed.port !== '') return null
  if (parsed.username !== '' || parsed.password !== '') return null
  return AGENT_HOST.test(parsed.hostname) ? parsed.hostname : null
}

/**
 * The file a request to agentId's origin names inside its installed package (the entry page for
 * the bare origin), or null: another scheme or app, a malformed URL, or a path that would leave
 * the package folder.
 */
export function resolvePackageFile(
  agentId: string,
  installed: ServedPackage,
  requestUrl: string,
): string | null {
  if (packageAgentOf(requestUrl) !== agentId) return null
  return resolveInside(installed.dir, new URL(requestUrl).pathname, installed.entry)
}
