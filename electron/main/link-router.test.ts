import { describe, expect, it, vi } from 'vitest'
import { LinkRouter, type LinkTargets } from './link-router'

function setUp(windowOpen: boolean) {
  let open = windowOpen
  const targets = {
    hasWindow: () => open,
    showWindow: vi.fn(),
    openConversation: vi.fn(),
    openMicroApp: vi.fn(),
  } satisfies LinkTargets
  return { router: new LinkRouter(targets), targets, openWindow: () => (open = true) }
}

describe('LinkRouter', () => {
  it('a second launch focuses the running Tack and opens the conversation it was given', () => {
    const { router, targets } = setUp(true)
    router.secondInstance(['/opt/Tack/tack', 'tack://conversation/c1'])
    expect(targets.showWindow).toHaveBeenCalled()
    expect(targets.openConversation).toHaveBeenCalledWith('c1')
  })

  it('a second launch without a link only focuses the running Tack', () => {
    const { router, targets } = setUp(true)
    router.secondInstance(['/opt/Tack/tack'])
    expect(targets.showWindow).toHaveBeenCalledTimes(1)
    expect(targets.openConversation).not.toHaveBeenCalled()
  })

  it('holds a link that comes before the window, and follows it once the window is there', () => {
    const { router, targets, openWindow } = setUp(false)
    router.route({ kind: 'microApp', agentId: 'demo-tasks', path: '/today' })
    expect(targets.openMicroApp).not.toHaveBeenCalled()

    openWindow()
    router.windowReady()
    expect(targets.openMicroApp).toHaveBeenCalledWith('demo-tasks', '/today')
    router.windowReady()
    expect(targets.openMicroApp).toHaveBeenCalledTimes(1)
  })

  it('a second launch with a micro-app link opens that app in the workbench, at its path', () => {
    const { router, targets } = setUp(true)
    router.secondInstance(['/opt/Tack/tack', 'tack://microapp/demo-tasks?path=%2Ftoday'])
    expect(targets.showWindow).toHaveBeenCalled()
    expect(targets.openMicroApp).toHaveBeenCalledWith('demo-tasks', '/today')
    expect(targets.openConversation).not.toHaveBeenCalled()
  })

  it('a malformed micro-app link opens nothing, and is not kept for later', () => {
    const { router, targets, openWindow } = setUp(false)
    router.secondInstance(['/opt/Tack/tack', 'tack://microapp/..%2Fkeys', 'tack://microapp/'])
    router.route(null)
    openWindow()
    router.windowReady()
    expect(targets.openMicroApp).not.toHaveBeenCalled()
    expect(targets.openConversation).not.toHaveBeenCalled()
  })
})
