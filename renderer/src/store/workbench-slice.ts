// The workbench: the organisation's micro-apps, the tabs they run in, the JS-API call log the
// debug panel shows, and the host UI a call is waiting on (a dialog, a picker, a toast).
import type { HostApi } from '../../../shared/host-api'
import type { JsApiErrorPayload } from '../../../shared/jsapi/errors'
import {
  isAuthorizeUrl,
  type JsApiOutcome,
  type MicroAppView,
} from '../../../shared/jsapi/host-types'
import { createLogger } from '../../../shared/logger'
import { describeError, type ErrorInfo } from './errors'
import type { TackSlice } from './store'

const log = createLogger('workbench')

/** Calls kept for the debug panel; the oldest go first. */
const MAX_LOGGED_CALLS = 500

export interface NavButton {
  text: string
  /** The call whose callback fires on each click. */
  callId: number
}

export interface MicroAppTab {
  /** Changes on every page load, so a dd.config never outlives its page. */
  instanceId: string
  tabId: string
  agentId: string
  title: string
  right: NavButton | null
  left: NavButton | null
  /** Bumped to make the frame load the home URL again. */
  reloads: number
  /** A path inside the app to open at instead of its home page (a tack://microapp/ link). */
  startPath: string | null
}

export type CallStatus = 'pending' | 'ok' | 'error'

export interface LoggedCall {
  seq: number
  tabId: string
  agentId: string
  method: string
  params: unknown
  status: CallStatus
  result?: unknown
  error?: JsApiErrorPayload
  startedAt: number
  durationMs: number | null
}

/** Host UI a call waits for; `answer` settles the call. */
export interface PendingUi {
  id: number
  tabId: string
  method: string
  params: Record<string, unknown>
}

export interface Toast {
  id: number
  text: string
  icon: 'success' | 'error' | null
}

export interface WorkbenchState {
  microApps: MicroAppView[]
  microAppsError: ErrorInfo | null
  tabs: MicroAppTab[]
  activeTabId: string | null
  calls: LoggedCall[]
  pendingUi: PendingUi[]
  toasts: Toast[]
  preloader: string | null
}

export interface WorkbenchActions {
  refreshMicroApps(): Promise<void>
  /** Opens the app's tab (at `path` inside the app, when given) and shows it. */
  openMicroApp(agentId: string, path?: string | null): void
  /** A tack://microapp/ link: fetches the app list first if the app is not known yet. */
  openMicroAppLink(agentId: string, path: string | null): Promise<boolean>
  closeTab(tabId: string): void
  /** null shows the app grid. */
  showTab(tabId: string | null): void
  reloadTab(tabId: string): void
  /** The tab's page (re)loaded: a new instance, and the title bar as the app left it is reset. */
  pageLoaded(tabId: string): string
  addDevMicroApp(url: string, name?: string): Promise<void>
  removeDevMicroApp(agentId: string): Promise<void>
  /** The URL a tab loads: the home URL, or for an OAuth2 authorize URL, where it redirects. */
  resolveHomeUrl(app: MicroAppView): Promise<string>
  /** Installs (or updates) an offline package and opens it. */
  installMicroAppPackage(zip: ArrayBuffer): Promise<void>
  /** Checks a call in the core; returns its outcome. Logs it for the panel. */
  invokeJsApi(call: {
    tabId: string
    origin: string
    url: string
    method: string
    params: unknown
  }): Promise<{ seq: number; outcome: JsApiOutcome }>
  finishCall(
    seq: number,
    outcome: { ok: true; result: unknown } | { ok: false; error: JsApiErrorPayload },
  ): void
  askUi(request: Omit<PendingUi, 'id'>): Promise<unknown>
  answerUi(id: number, answer: unknown): void
  updateTab(tabId: string, changes: Partial<Pick<MicroAppTab, 'title' | 'right' | 'left'>>): void
  showToast(text: string, icon: Toast['icon'], seconds: number): void
  setPreloader(text: string | null): void
  clearCalls(): void
}

export type WorkbenchSlice = WorkbenchState & WorkbenchActions

export const initialWorkbenchState: WorkbenchState = {
  microApps: [],
  microAppsError: null,
  tabs: [],
  activeTabId: null,
  calls: [],
  pendingUi: [],
  toasts: [],
  preloader: null,
}

let counter = 0
const nextNumber = () => ++counter

export function createWorkbenchSlice(host: HostApi): TackSlice<WorkbenchSlice> {
  const uiAnswers = new Map<number, (answer: unknown) => void>()

  return (set, get) => ({
    ...initialWorkbenchState,

    async refreshMicroApps() {
      try {
        set({ microApps: await host.listMicroApps({}), microAppsError: null })
      } catch (error) {
        log.warn({ err: error }, 'listMicroApps failed')
        set({ microAppsError: describeError(error) })
      }
    },

    openMicroApp(agentId, path = null) {
      const app = get().microApps.find((candidate) => candidate.agentId === agentId)
      if (!app) return
      const open = get().tabs.find((tab) => tab.agentId === agentId)
      if (open && path) {
        const moved = { ...open, startPath: path, reloads: open.reloads + 1 }
        const tabs = get().tabs.map((tab) => (tab.tabId === open.tabId ? moved : tab))
        return set({ tabs, activeTabId: open.tabId, view: 'workbench' })
      }
      if (open) return set({ activeTabId: open.tabId, view: 'workbench' })
      const tabId = `tab-${nextNumber()}`
      const tab: MicroAppTab = {
        instanceId: `${tabId}:${nextNumber()}`,
        tabId,
        agentId,
        title: app.name,
        right: null,
        left: null,
        reloads: 0,
        startPath: path,
      }
      set({ tabs: [...get().tabs, tab], activeTabId: tabId, view: 'workbench' })
    },

    async openMicroAppLink(agentId, path) {
      const known = () => get().microApps.some((app) => app.agentId === agentId)
      if (!known()) await get().refreshMicroApps()
      if (!known()) {
        log.warn({ agentId }, 'micro-app link: no such app')
        return false
      }
      get().openMicroApp(agentId, path)
      return true
    },

    closeTab(tabId) {
      const tabs = get().tabs.filter((tab) => tab.tabId !== tabId)
      for (const pending of get().pendingUi.filter((ui) => ui.tabId === tabId)) {
        get().answerUi(pending.id, null)
      }
      const activeTabId =
        get().activeTabId === tabId ? (tabs.at(-1)?.tabId ?? null) : get().activeTabId
      set({ tabs, activeTabId })
    },

    showTab(tabId) {
      set({ activeTabId: tabId })
    },

    reloadTab(tabId) {
      set({
        tabs: get().tabs.map((tab) =>
          tab.tabId === tabId ? { ...tab, reloads: tab.reloads + 1 } : tab,
        ),
      })
    },

    pageLoaded(tabId) {
      const instanceId = `${tabId}:${nextNumber()}`
      set({
        tabs: get().tabs.map((tab) =>
          tab.tabId === tabId ? { ...tab, instanceId, right: null, left: null } : tab,
        ),
      })
      return instanceId
    },

    async addDevMicroApp(url, name) {
      const app = await host.addDevMicroApp({ url, name })
      await get().refreshMicroApps()
      get().openMicroApp(app.agentId)
    },

    async removeDevMicroApp(agentId) {
      for (const tab of get().tabs.filter((candidate) => candidate.agentId === agentId)) {
        get().closeTab(tab.tabId)
      }
      await host.removeDevMicroApp({ agentId })
      await get().refreshMicroApps()
    },

    async resolveHomeUrl(app) {
      if (!isAuthorizeUrl(app.homeUrl)) return app.homeUrl
      return (await host.authorizeMicroApp({ agentId: app.agentId, url: app.homeUrl })).url
    },

    async installMicroAppPackage(zip) {
      const app = await host.installMicroAppPackage({ zipBase64: toBase64(zip) })
      await get().refreshMicroApps()
      const open = get().tabs.find((tab) => tab.agentId === app.agentId)
      if (open) get().reloadTab(open.tabId)
      get().openMicroApp(app.agentId)
    },

    async invokeJsApi(call) {
      const tab = get().tabs.find((candidate) => candidate.tabId === call.tabId)
      const seq = nextNumber()
      const entry: LoggedCall = {
        seq,
        tabId: call.tabId,
        agentId: tab?.agentId ?? '',
        method: call.method,
        params: call.params,
        status: 'pending',
        startedAt: Date.now(),
        durationMs: null,
      }
      set({ calls: [...get().calls, entry].slice(-MAX_LOGGED_CALLS) })
      if (!tab) {
        const error = {
          errorCode: 1001,
          error: 'UNKNOWN_APP' as const,
          errorMessage: 'no such tab',
        }
        return { seq, outcome: { kind: 'error', error } }
      }
      try {
        const outcome = await host.invokeJsApi({
          instanceId: tab.instanceId,
          agentId: tab.agentId,
          origin: call.origin,
          url: call.url,
          method: call.method,
          params: call.params,
        })
        return { seq, outcome }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        const payload = { errorCode: 1011, error: 'HOST_ERROR' as const, errorMessage: message }
        return { seq, outcome: { kind: 'error', error: payload } }
      }
    },

    finishCall(seq, outcome) {
      set({
        calls: get().calls.map((call) =>
          call.seq !== seq
            ? call
            : {
                ...call,
                status: outcome.ok ? 'ok' : 'error',
                result: outcome.ok ? outcome.result : undefined,
                error: outcome.ok ? undefined : outcome.error,
                durationMs: Date.now() - call.startedAt,
              },
        ),
      })
    },

    askUi(request) {
      const id = nextNumber()
      set({ pendingUi: [...get().pendingUi, { ...request, id }] })
      return new Promise((resolve) => uiAnswers.set(id, resolve))
    },

    answerUi(id, answer) {
      set({ pendingUi: get().pendingUi.filter((ui) => ui.id !== id) })
      uiAnswers.get(id)?.(answer)
      uiAnswers.delete(id)
    },

    updateTab(tabId, changes) {
      set({ tabs: get().tabs.map((tab) => (tab.tabId === tabId ? { ...tab, ...changes } : tab)) })
    },

    showToast(text, icon, seconds) {
      const id = nextNumber()
      set({ toasts: [...get().toasts, { id, text, icon }] })
      setTimeout(
        () => set({ toasts: get().toasts.filter((toast) => toast.id !== id) }),
        seconds * 1000,
      )
    },

    setPreloader(text) {
      set({ preloader: text })
    },

    clearCalls() {
      set({ calls: [] })
    },
  })
}

/**
 * The URL a tab opens: the home URL, or a path inside the app on the home URL's own origin. A path
 * that would lead anywhere else (it cannot, from a parsed link, but this is the last gate) is
 * dropped for the home URL.
 */
export function withStartPath(homeUrl: string, path: string | null): string {
  if (!path?.startsWith('/') || path.startsWith('//')) return homeUrl
  try {
    const home = new URL(homeUrl)
    const target = new URL(path, home)
    const same = target.protocol === home.protocol && target.host === home.host
    return same ? target.href : homeUrl
  } catch {
    return homeUrl
  }
}

function toBase64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes)
  let binary = ''
  for (let offset = 0; offset < view.length; offset += 0x8000) {
    binary += String.fromCharCode(...view.subarray(offset, offset + 0x8000))
  }
  return btoa(binary)
}
