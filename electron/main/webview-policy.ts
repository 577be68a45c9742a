// The rules a micro-app's <webview> is attached under (the `will-attach-webview` event). Only the
// app's own page may embed one; it gets our micro-app preload and nothing else, runs sandboxed
// and isolated without Node, in its own persistent partition `persist:microapp-<agentId>`, and
// loads only an https page (or http on this machine, for a developer's local app), or its own
// offline package at tack-app://<agentId>/. Plain functions, no 'electron' import, so they are
// unit-tested in Node.
import type { WebPreferences } from 'electron'
import { isAppUrl } from './app-url'
import { packageAgentOf } from './package-url'

export const MICROAPP_PARTITION_PREFIX = 'persist:microapp-'
const PARTITION_PATTERN = /^persist:microapp-([A-Za-z0-9_-]{1,64})$/
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** `<webview>` attributes that would loosen the page's rules: refused outright. */
const REFUSED_ATTRIBUTES = [
  'allowpopups',
  'disablewebsecurity',
  'nodeintegration',
  'nodeintegrationinsubframes',
  'plugins',
  'preload',
  'enableblinkfeatures',
  'disableblinkfeatures',
]

export type WebviewDecision = { allow: true; agentId: string } | { allow: false; reason: string }

export interface WebviewAttachRequest {
  /** URL of the page that holds the <webview>. */
  embedderUrl: string
  /** The webview's attributes (src, partition, …) as Electron reports them. */
  params: Record<string, unknown>
}

/** The partition a micro-app's webview must use. */
export function microAppPartition(agentId: string): string {
  return `${MICROAPP_PARTITION_PREFIX}${agentId}`
}

/** Whether the webview may attach; on success the agent id its partition names. */
export function decideWebviewAttach(request: WebviewAttachRequest): WebviewDecision {
  if (!isAppUrl(request.embedderUrl)) {
    return { allow: false, reason: 'only the app window may hold a webview' }
  }
  const { params } = request
  const partition = PARTITION_PATTERN.exec(asString(params.partition))
  if (!partition) {
    return { allow: false, reason: `partition must be ${MICROAPP_PARTITION_PREFIX}<agentId>` }
  }
  const loosening = REFUSED_ATTRIBUTES.find((name) => isSet(params[name]))
  if (loosening) return { allow: false, reason: `attribute ${loosening} is not allowed` }
  const agentId = partition[1]!
  if (!isMicroAppSource(asString(params.src), agentId)) {
    return {
      allow: false,
      reason: "src must be an https page (or http on this machine) or the app's own package",
    }
  }
  return { allow: true, agentId }
}

/**
 * Rewrites the webview's preferences in place, as `will-attach-webview` expects: everything the
 * page asked for is dropped, and our preload and hardening are set.
 */
export function enforceWebviewPreferences(prefs: WebPreferences, microAppPreload: string): void {
  for (const key of Object.keys(prefs) as (keyof WebPreferences)[]) delete prefs[key]
  Object.assign(prefs, {
    preload: microAppPreload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } satisfies WebPreferences)
}

function isMicroAppSource(src: string, agentId: string): boolean {
  if (packageAgentOf(src) !== null) return packageAgentOf(src) === agentId
  let url: URL
  try {
    url = new URL(src)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}

/** Electron reports boolean attributes as true/false and others as strings ('' when unset). */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== ''
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
