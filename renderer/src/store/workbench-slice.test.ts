import { describe, expect, it, vi } from 'vitest'
import type { HostApi } from '../../../shared/host-api'
import type { MicroAppView } from '../../../shared/jsapi/host-types'
import { createTackStore } from './store'
import { withStartPath } from './workbench-slice'

const tasks: MicroAppView = {
  agentId: 'demo-tasks',
  name: '任务',
  icon: '✅',
  description: '',
  homeUrl: 'http://127.0.0.1:7480/',
  allowedOrigins: ['http://127.0.0.1:7480'],
  jsApiList: ['device.notification.confirm'],
  developer: false,
}

/** A store whose host knows the Tasks app and hands every call to the UI. */
async function workbench() {
  const host = {
    listMicroApps: vi.fn(async () => [tasks]),
    invokeJsApi: vi.fn(async ({ params }: { params: unknown }) => ({
      kind: 'ui' as const,
      params,
    })),
    onEvent: () => () => undefined,
  } as unknown as HostApi
  const store = createTackStore(host)
  await store.getState().refreshMicroApps()
  store.getState().openMicroApp('demo-tasks')
  const tabId = store.getState().activeTabId!
  return { store, host, tabId }
}

describe('workbench', () => {
  it('opening an app shows it in a tab in the workbench, once', async () => {
    const { store } = await workbench()
    store.getState().openMicroApp('demo-tasks')

    expect(store.getState().view).toBe('workbench')
    expect(store.getState().tabs.map((tab) => tab.agentId)).toEqual(['demo-tasks'])
  })

  it('checks a call in the core with the tab instance and logs it until it finishes', async () => {
    const { store, host, tabId } = await workbench()
    const { seq, outcome } = await store.getState().invokeJsApi({
      tabId,
      origin: 'http://127.0.0.1:7480',
      url: 'http://127.0.0.1:7480/',
      method: 'device.notification.confirm',
      params: { message: 'Sure?' },
    })

    expect(outcome).toEqual({ kind: 'ui', params: { message: 'Sure?' } })
    expect(host.invokeJsApi).toHaveBeenCalledWith(
      expect.objectContaining({
        agentId: 'demo-tasks',
        instanceId: store.getState().tabs[0]!.instanceId,
      }),
    )
    expect(store.getState().calls).toMatchObject([{ seq, status: 'pending', durationMs: null }])

    store.getState().finishCall(seq, { ok: true, result: { buttonIndex: 0 } })
    expect(store.getState().calls[0]).toMatchObject({ status: 'ok', result: { buttonIndex: 0 } })
    expect(store.getState().calls[0]!.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('a dialog waits for its answer; closing the tab answers it as cancelled', async () => {
    const { store, tabId } = await workbench()
    const answered = store.getState().askUi({
      tabId,
      method: 'device.notification.confirm',
      params: { message: 'Sure?' },
    })
    expect(store.getState().pendingUi).toHaveLength(1)

    store.getState().closeTab(tabId)

    await expect(answered).resolves.toBeNull()
    expect(store.getState().pendingUi).toEqual([])
    expect(store.getState().tabs).toEqual([])
  })

  it('a new page load gives the tab a new instance and clears the buttons the page set', async () => {
    const { store, tabId } = await workbench()
    const before = store.getState().tabs[0]!.instanceId
    store.getState().updateTab(tabId, { right: { text: 'Refresh', callId: 7 } })

    const after = store.getState().pageLoaded(tabId)

    expect(after).not.toBe(before)
    expect(store.getState().tabs[0]).toMatchObject({ instanceId: after, right: null })
  })

  it('a tack://microapp/ link opens the app at its path, fetching the app list first', async () => {
    const host = {
      listMicroApps: vi.fn(async () => [tasks]),
      onEvent: () => () => undefined,
    } as unknown as HostApi
    const store = createTackStore(host)
    expect(await store.getState().openMicroAppLink('demo-tasks', '/today?x=1')).toBe(true)
    expect(host.listMicroApps).toHaveBeenCalledTimes(1)
    expect(store.getState().view).toBe('workbench')
    const [tab] = store.getState().tabs
    expect(tab).toMatchObject({ agentId: 'demo-tasks', startPath: '/today?x=1', reloads: 0 })
    expect(store.getState().activeTabId).toBe(tab!.tabId)

    // A second link to the open app reloads its tab at the new path.
    expect(await store.getState().openMicroAppLink('demo-tasks', '/done')).toBe(true)
    expect(store.getState().tabs).toMatchObject([{ startPath: '/done', reloads: 1 }])
    expect(host.listMicroApps).toHaveBeenCalledTimes(1)
  })

  it('a link to an app that does not exist opens nothing', async () => {
    const host = {
      listMicroApps: vi.fn(async () => [tasks]),
      onEvent: () => () => undefined,
    } as unknown as HostApi
    const store = createTackStore(host)
    expect(await store.getState().openMicroAppLink('no-such-app', null)).toBe(false)
    expect(store.getState().tabs).toEqual([])
    expect(store.getState().view).not.toBe('workbench')
  })

  it("a start path stays on the app's own origin", () => {
    const home = 'http://127.0.0.1:7480/index.html'
    expect(withStartPath(home, null)).toBe(home)
    expect(withStartPath(home, '/today?x=1#top')).toBe('http://127.0.0.1:7480/today?x=1#top')
    expect(withStartPath('tack-app://demo-tasks/index.html', '/a.html')).toBe(
      'tack-app://demo-tasks/a.html',
    )
    for (const path of ['//evil.example/x', 'https://evil.example/', 'today', '/\\evil.example/']) {
      expect(withStartPath(home, path), path).toBe(home)
    }
  })
})
