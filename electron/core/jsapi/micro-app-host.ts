// The host side of the JS-API: every call from a micro-app's page is checked here before anything
// runs, in this order: someone is signed in, the app is known, the frame's real origin is one the
// app allows (and the URL the page signs is on it), the method exists, its parameters match the
// schema, the app may call it, and, where the method needs it, the page passed dd.config for this
// URL listing the method. Then the core runs it, or hands the checked parameters to the UI.
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { HostError } from '../../../shared/errors'
import type { Frame } from '../../../shared/frame-codec'
import type { Person } from '../../../shared/host-api'
import { ALWAYS_ALLOWED, JSAPI_CATALOGUE } from '../../../shared/jsapi/catalogue'
import { jsApiError, type JsApiErrorName } from '../../../shared/jsapi/errors'
import {
  isAuthorizeUrl,
  type JsApiOutcome,
  type MicroAppView,
} from '../../../shared/jsapi/host-types'
import { isJsApiMethod, type JsApiMethod } from '../../../shared/jsapi/methods'
import { createLogger } from '../../../shared/logger'
import type { FrameBody } from '../net/connection'
import { DevApps } from './dev-apps'
import {
  PACKAGES_FOLDER,
  PackageError,
  compareVersions,
  installPackage,
  installedPackage,
  type InstalledPackage,
} from './offline-package'

const log = createLogger('jsapi')

/** Configured pages remembered at once; the oldest is forgotten first. */
const MAX_CONFIGURED_PAGES = 200

export interface MicroAppHostOptions {
  profileDir: string
  /** A request to the access layer; rejects with HostError when offline or refused. */
  request(body: FrameBody): Promise<Frame>
  me(): Person | null
  online(): boolean
}

export interface JsApiCall {
  instanceId: string
  agentId: string
  origin: string
  url: string
  method: string
  params: unknown
}

interface ConfiguredPage {
  agentId: string
  url: string
  jsApiList: string[]
}

class Refusal extends Error {
  constructor(
    readonly errorName: JsApiErrorName,
    readonly detail?: string,
  ) {
    super(detail ?? errorName)
  }
}

export class MicroAppHost {
  private registered: MicroAppView[] = []
  /** Offline package versions the server holds, by agent id. */
  private serverPackages = new Map<string, string>()
  private readonly devApps: DevApps
  private readonly configured = new Map<string, ConfiguredPage>()
  private readonly packagesRoot: string
  /** Where installed packages are served (browser mode's package host); null: not served. */
  private packageOrigin: ((agentId: string) => string) | null = null
  /** Installed packages, read from disk once and again after each install. */
  private packagesCache: Promise<Map<string, InstalledPackage>> | null = null

  constructor(private readonly options: MicroAppHostOptions) {
    this.devApps = new DevApps(options.profileDir)
    this.packagesRoot = join(options.profileDir, PACKAGES_FOLDER)
  }

  /**
   * The organisation's apps (fresh from the server when online), this device's dev apps, and
   * installed offline packages: a registered app's package replaces its home URL.
   */
  async list(): Promise<MicroAppView[]> {
    if (this.options.online()) {
      await this.refreshRegistered().catch(() => undefined)
      await this.updatePackages()
    }
    return this.allApps()
  }

  servePackagesAt(originOf: (agentId: string) => string): void {
    this.packageOrigin = originOf
  }

  /** The folder of the app's package in use, for the package host. */
  async packageDir(agentId: string): Promise<InstalledPackage | null> {
    return installedPackage(this.packagesRoot, agentId)
  }

  async installPackage(zip: Buffer): Promise<MicroAppView> {
    let installed: InstalledPackage
    try {
      installed = await installPackage(this.packagesRoot, zip)
      this.packagesCache = null
    } catch (error) {
      if (error instanceof PackageError) throw new HostError('BAD_PARAMS', error.message)
      throw error
    }
    log.info({ agentId: installed.agentId, version: installed.version }, 'package installed')
    const app = (await this.allApps()).find((candidate) => candidate.agentId === installed.agentId)
    if (!app) throw new HostError('INTERNAL', 'installed package is not served here')
    return app
  }

  /** Installs each server package newer than the installed one, where packages are served. */
  private async updatePackages(): Promise<void> {
    if (!this.packageOrigin) return
    for (const [agentId, version] of this.serverPackages) {
      const installed = await installedPackage(this.packagesRoot, agentId)
      if (installed && compareVersions(version, installed.version) <= 0) continue
      try {
        const reply = await this.options.request({ case: 'microAppPackage', value: { agentId } })
        if (reply.body.case !== 'microAppPackageReply') continue
        const now = await installPackage(this.packagesRoot, Buffer.from(reply.body.value.zip))
        this.packagesCache = null
        log.info({ agentId, version: now.version }, 'package updated from the server')
      } catch (error) {
        log.warn({ agentId, version, error: String(error) }, 'package update failed')
      }
    }
  }

  private async allApps(): Promise<MicroAppView[]> {
    const packages = await this.installedPackages()
    const registered = this.registered.map((app) => {
      const installed = packages.get(app.agentId)
      return installed ? this.withPackage(app, installed) : app
    })
    const packageOnly = [...packages.values()]
      .filter((installed) => !this.registered.some((app) => app.agentId === installed.agentId))
      .map((installed) =>
        this.withPackage(
          {
            agentId: installed.agentId,
            name: installed.name ?? installed.agentId,
            icon: '📦',
            description: `offline package ${installed.version}`,
            homeUrl: '',
            allowedOrigins: [],
            jsApiList: ['*'],
            developer: true,
          },
          installed,
        ),
      )
    return [...registered, ...packageOnly, ...(await this.devApps.list())]
  }

  private withPackage(app: MicroAppView, installed: InstalledPackage): MicroAppView {
    const origin = this.packageOrigin!(app.agentId)
    return {
      ...app,
      homeUrl: `${origin}/${installed.entry}`,
      allowedOrigins: [...app.allowedOrigins, origin],
      packageVersion: installed.version,
    }
  }

  /** Installed packages by agent id; none while nothing serves them. */
  private installedPackages(): Promise<Map<string, InstalledPackage>> {
    if (!this.packageOrigin) return Promise.resolve(new Map())
    this.packagesCache ??= this.readInstalledPackages()
    return this.packagesCache
  }

  private async readInstalledPackages(): Promise<Map<string, InstalledPackage>> {
    const packages = new Map<string, InstalledPackage>()
    const agentIds = await readdir(this.packagesRoot).catch(() => [] as string[])
    for (const agentId of agentIds) {
      const installed = await installedPackage(this.packagesRoot, agentId)
      if (installed) packages.set(agentId, installed)
    }
    return packages
  }

  addDevApp(url: string, name: string | undefined): Promise<MicroAppView> {
    return this.devApps.add(url, name)
  }

  removeDevApp(agentId: string): Promise<void> {
    return this.devApps.remove(agentId)
  }

  /** The OAuth2 authorize step: the redirect URI with a fresh auth code and the state. */
  async authorize(agentId: string, url: string): Promise<string> {
    try {
      if (!this.options.me()) throw new Refusal('NOT_SIGNED_IN')
      const app = await this.findApp(agentId)
      if (!isAuthorizeUrl(url)) throw new Refusal('BAD_PARAMS', 'not an OAuth2 authorize URL')
      const query = new URL(url).searchParams
      const redirect = parseHttpUrl(query.get('redirect_uri'))
      if (!redirect || !app.allowedOrigins.includes(redirect.origin)) {
        throw new Refusal('ORIGIN_NOT_ALLOWED', 'redirect_uri is not on an origin of the app')
      }
      redirect.searchParams.set('code', await this.authCode(app))
      const state = query.get('state')
      if (state !== null) redirect.searchParams.set('state', state)
      log.info({ agentId }, 'oauth2 authorize answered')
      return redirect.href
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      throw new HostError(
        error.errorName === 'NOT_SIGNED_IN' ? 'NOT_SIGNED_IN' : 'BAD_PARAMS',
        jsApiError(error.errorName, error.detail).errorMessage,
      )
    }
  }

  async invoke(call: JsApiCall): Promise<JsApiOutcome> {
    const started = Date.now()
    try {
      const outcome = await this.checkAndRun(call)
      log.debug({ method: call.method, agentId: call.agentId, ms: Date.now() - started }, 'jsapi')
      return outcome
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      log.info(
        { method: call.method, agentId: call.agentId, refusal: error.errorName },
        'jsapi call refused',
      )
      return { kind: 'error', error: jsApiError(error.errorName, error.detail) }
    }
  }

  private async checkAndRun(call: JsApiCall): Promise<JsApiOutcome> {
    const me = this.options.me()
    if (!me) throw new Refusal('NOT_SIGNED_IN')
    const app = await this.findApp(call.agentId)
    checkOrigin(app, call)
    const method = checkMethod(call.method)
    const params = checkParams(method, call.params)
    this.checkPermission(app, method, call)

    if (JSAPI_CATALOGUE[method].runsIn === 'ui') return { kind: 'ui', params }
    return { kind: 'result', result: await this.runInCore(method, params, app, call, me) }
  }

  private async findApp(agentId: string): Promise<MicroAppView> {
    const find = async () => (await this.allApps()).find((app) => app.agentId === agentId)
    let app = await find()
    if (!app && this.options.online()) {
      await this.refreshRegistered().catch(() => undefined)
      app = await find()
    }
    if (!app) throw new Refusal('UNKNOWN_APP', agentId)
    return app
  }

  /** The app's own list, then, for methods that need it, the page's dd.config for this URL. */
  private checkPermission(app: MicroAppView, method: JsApiMethod, call: JsApiCall): void {
    if (ALWAYS_ALLOWED.includes(method) || app.developer) return
    if (!app.jsApiList.includes(method)) {
      throw new Refusal('PERMISSION_DENIED', `${method} is not allowed for ${app.agentId}`)
    }
    if (!JSAPI_CATALOGUE[method].needsConfig) return
    const page = this.configured.get(call.instanceId)
    if (!page || page.agentId !== app.agentId || page.url !== withoutFragment(call.url)) {
      throw new Refusal('NOT_CONFIGURED', `${method} needs dd.config for this page`)
    }
    if (!page.jsApiList.includes(method)) {
      throw new Refusal('PERMISSION_DENIED', `${method} is not in the jsApiList of dd.config`)
    }
  }

  private async runInCore(
    method: JsApiMethod,
    params: Record<string, unknown>,
    app: MicroAppView,
    call: JsApiCall,
    me: Person,
  ): Promise<unknown> {
    switch (method) {
      case 'config':
        return this.config(app, call, params as unknown as ConfigParams)
      case 'checkJsApi':
        return this.checkJsApi(app, call, params.jsApiList as string[])
      case 'runtime.permission.requestAuthCode':
        return { code: await this.authCode(app) }
      case 'device.base.getUUID':
        return { uuid: stableUuid(`${me.id}:${app.agentId}`) }
      case 'device.connection.getNetworkType':
        return { result: this.options.online() ? 'wifi' : 'none' }
      default:
        throw new Refusal('NOT_SUPPORTED', method)
    }
  }

  /** Checks the signature with the server (a dev app's is taken as given); remembers the page. */
  private async config(app: MicroAppView, call: JsApiCall, params: ConfigParams) {
    if (params.agentId !== app.agentId) {
      throw new Refusal('BAD_SIGNATURE', 'agentId is not the agent id of this app')
    }
    const url = withoutFragment(call.url)
    if (!app.developer) {
      await this.serverRequest(
        {
          case: 'jsapiConfig',
          value: {
            agentId: app.agentId,
            url,
            nonceStr: params.nonceStr,
            timestamp: BigInt(params.timeStamp),
            signature: params.signature,
          },
        },
        'BAD_SIGNATURE',
      )
    }
    this.configured.delete(call.instanceId)
    this.configured.set(call.instanceId, { agentId: app.agentId, url, jsApiList: params.jsApiList })
    if (this.configured.size > MAX_CONFIGURED_PAGES) {
      this.configured.delete(this.configured.keys().next().value!)
    }
    return {}
  }

  private checkJsApi(app: MicroAppView, call: JsApiCall, methods: string[]) {
    const answer: Record<string, boolean> = {}
    for (const method of methods) {
      try {
        if (!isJsApiMethod(method)) throw new Refusal('UNKNOWN_METHOD')
        this.checkPermission(app, method, call)
        answer[method] = true
      } catch {
        answer[method] = false
      }
    }
    return answer
  }

  /** A free-login code for a registered app; a dev app borrows the registered app on its origin. */
  private async authCode(app: MicroAppView): Promise<string> {
    const agentId = app.developer
      ? this.registered.find((known) =>
          known.allowedOrigins.some((origin) => app.allowedOrigins.includes(origin)),
        )?.agentId
      : app.agentId
    if (!agentId) {
      throw new Refusal('NOT_SUPPORTED', 'free-login needs the app registered on the server')
    }
    const reply = await this.serverRequest({ case: 'authCode', value: { agentId } }, 'HOST_ERROR')
    if (reply.body.case !== 'authCodeReply') throw new Refusal('HOST_ERROR', 'unexpected reply')
    return reply.body.value.code
  }

  private async refreshRegistered(): Promise<void> {
    const reply = await this.options.request({ case: 'microAppList', value: {} })
    if (reply.body.case !== 'microAppListReply') return
    const apps = reply.body.value.apps
    this.serverPackages = new Map(
      apps.filter((app) => app.packageVersion).map((app) => [app.agentId, app.packageVersion]),
    )
    this.registered = apps.map((app) => ({
      agentId: app.agentId,
      name: app.name,
      icon: app.icon,
      description: app.description,
      homeUrl: app.homeUrl,
      allowedOrigins: [...app.allowedOrigins],
      jsApiList: [...app.jsapiList],
      developer: false,
    }))
  }

  /** A server request whose refusal becomes the given JS-API error, with the server's reason. */
  private async serverRequest(body: FrameBody, onRefusal: JsApiErrorName): Promise<Frame> {
    try {
      return await this.options.request(body)
    } catch (error) {
      throw new Refusal(onRefusal, error instanceof Error ? error.message : String(error))
    }
  }
}

interface ConfigParams {
  agentId: string
  timeStamp: number | string
  nonceStr: string
  signature: string
  jsApiList: string[]
}

function checkOrigin(app: MicroAppView, call: JsApiCall): void {
  let pageOrigin: string | null = null
  try {
    const url = new URL(call.url)
    // Node's URL calls the origin of a custom scheme "null"; Electron's offline packages live at
    // tack-app://<agentId>, which Chromium treats as a real origin, and so does this check.
    pageOrigin =
      url.origin !== 'null' ? url.origin : url.host ? `${url.protocol}//${url.host}` : null
  } catch {
    pageOrigin = null
  }
  if (!app.allowedOrigins.includes(call.origin)) {
    throw new Refusal('ORIGIN_NOT_ALLOWED', call.origin)
  }
  if (pageOrigin !== call.origin) {
    throw new Refusal('ORIGIN_NOT_ALLOWED', 'the page URL is not on the frame origin')
  }
}

function checkMethod(method: string): JsApiMethod {
  if (!isJsApiMethod(method)) throw new Refusal('UNKNOWN_METHOD', method)
  return method
}

function checkParams(method: JsApiMethod, params: unknown): Record<string, unknown> {
  const parsed = JSAPI_CATALOGUE[method].params.safeParse(params ?? {})
  if (parsed.success) return parsed.data as Record<string, unknown>
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
  throw new Refusal('BAD_PARAMS', `${method}: ${where}${issue?.message ?? 'invalid'}`)
}

function parseHttpUrl(value: string | null): URL | null {
  try {
    const url = new URL(value ?? '')
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

function withoutFragment(url: string): string {
  return url.split('#')[0]!
}

function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)]
  return [...parts, hex.slice(20, 32)].join('-')
}
