// tack:// links: tack://conversation/<id> shows a conversation, tack://microapp/<agentId> opens a
// micro-app (with an optional ?path= inside it). They arrive as argv on Windows and Linux (to
// the running instance through 'second-instance') and as 'open-url' on macOS. Plain functions.

export const DEEP_LINK_SCHEME = 'tack'

export type DeepLink =
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'microApp'; agentId: string; path: string | null }

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
const MAX_LINK_LENGTH = 2048

/** The link's target, or null for anything that is not a well-formed tack:// link. */
export function parseDeepLink(link: string): DeepLink | null {
  if (link.length > MAX_LINK_LENGTH) return null
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return null
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null

  const segments = url.pathname.split('/').filter((segment) => segment !== '')
  if (segments.length !== 1 || !ID_PATTERN.test(segments[0]!)) return null
  const id = segments[0]!

  switch (url.hostname) {
    case 'conversation':
      return { kind: 'conversation', conversationId: id }
    case 'microapp':
      return { kind: 'microApp', agentId: id, path: microAppPath(url.searchParams.get('path')) }
    default:
      return null
  }
}

/** The first tack:// link among a process's arguments (how Windows and Linux pass them). */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const argument of argv) {
    if (!argument.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue
    const link = parseDeepLink(argument)
    if (link) return link
  }
  return null
}

/** A path inside the micro-app: relative, starting with '/', no scheme or host smuggled in. */
function microAppPath(path: string | null): string | null {
  if (path === null || !path.startsWith('/') || path.startsWith('//')) return null
  return path.length <= 1024 ? path : null
}
