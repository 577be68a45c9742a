// Picks the transport: Electron's preload puts a HostApi on window.tackHost; without it this is
// browser mode, which reaches its host over a WebSocket on the same origin using the launch token.
import type { HostApi, HostMethod } from '../../../shared/host-api'
import { BROWSER_HOST_WS_PATH } from '../../../shared/host-transport'
import { bindRequests } from './bind-requests'
import type { HostConnection } from './host-connection'
import { toHostError } from './host-error'
import { readLaunchToken } from './launch-token'
import { connectWebSocketHost } from './websocket-host'

declare global {
  interface Window {
    /** Set by Electron's preload through contextBridge; absent in browser mode. */
    tackHost?: HostApi
  }
}

export type HostLookup = { kind: 'found'; connection: HostConnection } | { kind: 'missing-token' }

export function findHost(page: Window): HostLookup {
  if (page.tackHost) return { kind: 'found', connection: fromPreload(page.tackHost) }

  const token = readLaunchToken(page.location.hash, sessionStorageOf(page))
  reloadOnNewToken(page, token)
  if (!token) return { kind: 'missing-token' }
  return { kind: 'found', connection: connectWebSocketHost({ url: hostSocketUrl(page, token) }) }
}

function hostSocketUrl(page: Window, token: string): string {
  const scheme = page.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${page.location.host}${BROWSER_HOST_WS_PATH}?token=${encodeURIComponent(token)}`
}

/**
 * A fragment change does not reload the page; so when someone pastes the launch link (or a
 * restarted host's new one) into a tab already open, reload to start over with that token.
 */
function reloadOnNewToken(page: Window, current: string | null): void {
  page.addEventListener('hashchange', () => {
    const token = readLaunchToken(page.location.hash, sessionStorageOf(page))
    if (token && token !== current) page.location.reload()
  })
}

function sessionStorageOf(page: Window): Storage | null {
  try {
    return page.sessionStorage
  } catch {
    return null
  }
}

/**
 * Electron's preload API, with its rejections rebuilt as HostError (contextBridge copies errors
 * and may lose their class and code). The IPC link does not drop, so the link stays 'up'.
 */
function fromPreload(preload: HostApi): HostConnection {
  const call = (method: HostMethod, params: unknown) => {
    const request = preload[method] as (params: unknown) => Promise<unknown>
    return request
      .call(preload, params)
      .catch((error: unknown) => Promise.reject(toHostError(error)))
  }
  const api: HostApi = { ...bindRequests(call), onEvent: (listener) => preload.onEvent(listener) }
  const onLinkChange = (listener: (state: 'up') => void) => {
    listener('up')
    return () => undefined
  }
  return { api, transport: 'electron', onLinkChange }
}
