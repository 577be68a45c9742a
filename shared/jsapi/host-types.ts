// The micro-app part of the HostApi contract: what the workbench shows, and how a JS-API call from
// a container reaches the core. host-api.ts lists these requests beside the others.
import { z } from 'zod'
import type { JsApiErrorPayload } from './errors'

export interface MicroAppView {
  agentId: string
  name: string
  icon: string
  description: string
  homeUrl: string
  /** Exact origins (scheme://host:port) the app's pages may run from. */
  allowedOrigins: string[]
  /** Methods the app may call; ['*'] for a developer-mode app. */
  jsApiList: string[]
  /** Added in developer mode on this device, not registered on the server. */
  developer: boolean
  /** The offline package version it runs from, when one is installed and served. */
  packageVersion?: string
}

/** The path of an OAuth2 authorize URL, which the host answers itself. */
export const OAUTH2_AUTHORIZE_PATH = '/connect/oauth2/authorize'

export function isAuthorizeUrl(url: string): boolean {
  try {
    return new URL(url).pathname.endsWith(OAUTH2_AUTHORIZE_PATH)
  } catch {
    return false
  }
}

/** Largest offline package the HostApi carries (base64 of the zip): browser mode's frame limit. */
export const MAX_PACKAGE_BASE64_CHARS = 240 * 1024

/**
 * What the core decided about one call: its result, a refusal, or "the UI runs it" with the
 * checked parameters (dialogs, pickers and the title bar live in the renderer).
 */
export type JsApiOutcome =
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; error: JsApiErrorPayload }
  | { kind: 'ui'; params: unknown }

const id = z.string().min(1).max(128)

export const microAppRequestSchemas = {
  listMicroApps: z.object({}).strict(),
  /** Developer mode: a micro-app by URL (say, a localhost dev server) with every API allowed. */
  addDevMicroApp: z
    .object({
      url: z
        .string()
        .max(2048)
        .refine((value) => /^https?:\/\/[^/]+/i.test(value), 'expected an http(s) URL'),
      name: z.string().trim().max(60).optional(),
    })
    .strict(),
  removeDevMicroApp: z.object({ agentId: id }).strict(),
  /**
   * The OAuth2 authorize step, done by the host that knows who is signed in: for an app page at
   * `…/connect/oauth2/authorize?redirect_uri=…&state=…`, the URL to load instead, the redirect URI
   * with a free-login `code` (and the `state`). The redirect must be on one of the app's origins.
   */
  authorizeMicroApp: z.object({ agentId: id, url: z.string().max(4096) }).strict(),
  /** Installs or updates an offline package (a zip with manifest.json), newer versions only. */
  installMicroAppPackage: z
    .object({ zipBase64: z.string().min(1).max(MAX_PACKAGE_BASE64_CHARS) })
    .strict(),
  /**
   * One JS-API call from a micro-app's page. `origin` is the frame's real origin as the container
   * saw it (MessageEvent.origin, the webview's URL), never what the page claims.
   */
  invokeJsApi: z
    .object({
      instanceId: id,
      agentId: id,
      origin: z.string().max(512),
      url: z.string().max(4096),
      method: z.string().max(100),
      params: z.unknown(),
    })
    .strict(),
} as const

export interface MicroAppResults {
  listMicroApps: MicroAppView[]
  addDevMicroApp: MicroAppView
  removeDevMicroApp: void
  authorizeMicroApp: { url: string }
  installMicroAppPackage: MicroAppView
  invokeJsApi: JsApiOutcome
}
