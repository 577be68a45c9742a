import type { WebPreferences } from 'electron'
import { describe, expect, it } from 'vitest'
import { decideWebviewAttach, enforceWebviewPreferences, microAppPartition } from './webview-policy'

const APP_PAGE = 'app://tack/index.html'

/** The attributes Electron reports for a plain <webview src partition>. */
function params(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    src: 'https://microapp.example.com/index.html',
    partition: microAppPartition('agent_42'),
    allowpopups: false,
    disablewebsecurity: false,
    nodeintegration: false,
    nodeintegrationinsubframes: false,
    plugins: false,
    preload: '',
    ...overrides,
  }
}

describe('decideWebviewAttach', () => {
  it('attaches a micro-app in its own persist:microapp-<agentId> partition', () => {
    expect(decideWebviewAttach({ embedderUrl: APP_PAGE, params: params() })).toEqual({
      allow: true,
      agentId: 'agent_42',
    })
    const local = params({ src: 'http://localhost:5173/' })
    expect(decideWebviewAttach({ embedderUrl: APP_PAGE, params: local }).allow).toBe(true)
  })

  it('refuses a webview without a micro-app partition, or in a shared one', () => {
    for (const partition of [
      undefined,
      '',
      'persist:main',
      'microapp-1',
      'persist:microapp-',
      'persist:microapp-../x',
    ]) {
      const decision = decideWebviewAttach({ embedderUrl: APP_PAGE, params: params({ partition }) })
      expect(decision, String(partition)).toMatchObject({ allow: false })
    }
  })

  it('refuses a webview that asks for its own preload, Node, popups or no web security', () => {
    for (const loosening of [
      { preload: 'file:///tmp/evil.js' },
      { nodeintegration: true },
      { allowpopups: true },
      { disablewebsecurity: true },
      { plugins: true },
      { enableblinkfeatures: 'Auxclick' },
    ]) {
      const decision = decideWebviewAttach({ embedderUrl: APP_PAGE, params: params(loosening) })
      expect(decision, JSON.stringify(loosening)).toMatchObject({ allow: false })
    }
  })

  it('refuses pages that are not https (http only on this machine)', () => {
    for (const src of [
      'http://microapp.example.com/',
      'file:///etc/passwd',
      'app://tack/index.html',
      'javascript:alert(1)',
      'https://user:pw@microapp.example.com/',
      '',
    ]) {
      const decision = decideWebviewAttach({ embedderUrl: APP_PAGE, params: params({ src }) })
      expect(decision, src).toMatchObject({ allow: false })
    }
  })

  it("attaches an offline package only on its own app's partition", () => {
    const own = params({
      src: 'tack-app://demo-tasks/index.html',
      partition: microAppPartition('demo-tasks'),
    })
    expect(decideWebviewAttach({ embedderUrl: APP_PAGE, params: own })).toEqual({
      allow: true,
      agentId: 'demo-tasks',
    })
    for (const src of [
      'tack-app://other-app/index.html',
      'tack-app://demo-tasks:1/index.html',
      'tack-app:demo-tasks/index.html',
    ]) {
      const foreign = params({ src, partition: microAppPartition('demo-tasks') })
      expect(decideWebviewAttach({ embedderUrl: APP_PAGE, params: foreign }), src).toMatchObject({
        allow: false,
      })
    }
  })

  it('refuses a webview in any page but the app window', () => {
    const decision = decideWebviewAttach({ embedderUrl: 'https://evil.example/', params: params() })
    expect(decision).toEqual({ allow: false, reason: 'only the app window may hold a webview' })
  })
})

describe('enforceWebviewPreferences', () => {
  it('replaces whatever the page asked for with our preload, sandbox and isolation', () => {
    const prefs = {
      preload: '/tmp/evil.js',
      preloadURL: 'file:///tmp/evil.js',
      nodeIntegration: true,
      contextIsolation: false,
      sandbox: false,
      webSecurity: false,
      enableBlinkFeatures: 'Something',
      additionalArguments: ['--inspect'],
    } as WebPreferences & { preloadURL: string }

    enforceWebviewPreferences(prefs, '/app/dist/electron/microapp-preload.cjs')

    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/microapp-preload.cjs',
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
    })
    expect(prefs).not.toHaveProperty('preloadURL')
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
  })
})
