// The tack-app:// handler serving offline micro-app packages, with 'electron' replaced by its test
// double: real files in a temporary package folder, real Request and Response objects.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Session } from 'electron'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  PACKAGE_CONTENT_SECURITY_POLICY,
  packageHandler,
  registerAppSchemes,
  servePackage,
} from './app-protocol'
import type { ServedPackage } from './package-url'
import * as electron from './testing/electron-double'

vi.mock('electron', () => import('./testing/electron-double'))

let root: string
let installed: ServedPackage

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tack-package-protocol-'))
  const dir = join(root, 'micro-app-packages', 'demo-tasks', '1.0.0')
  await mkdir(join(dir, 'js'), { recursive: true })
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Tasks</title>')
  await writeFile(join(dir, 'js', 'app.js'), 'window.started = true')
  await writeFile(join(root, 'micro-app-packages', 'secret.txt'), 'not for apps')
  installed = { dir, entry: 'index.html' }
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const packageOf = async (agentId: string) => (agentId === 'demo-tasks' ? installed : null)

function get(url: string, method = 'GET'): Request {
  return new Request(url, { method })
}

describe('tack-app:// package handler (electron replaced by its test double)', () => {
  it('runs against the test double, not the real electron module', () => {
    expect(electron.isElectronTestDouble).toBe(true)
  })

  it('registers app:// and tack-app:// as standard, secure schemes, in one call', () => {
    registerAppSchemes()
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1)
    const privileges = { standard: true, secure: true, supportFetchAPI: true }
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges },
      { scheme: 'tack-app', privileges },
    ])
  })

  it('serves the entry page for the bare origin and files by path, with the CSP header', async () => {
    const handle = packageHandler('demo-tasks', packageOf)
    const home = await handle(get('tack-app://demo-tasks/'))
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('<title>Tasks</title>')
    expect(home.headers.get('Content-Security-Policy')).toBe(PACKAGE_CONTENT_SECURITY_POLICY)
    expect(home.headers.get('X-Content-Type-Options')).toBe('nosniff')

    const script = await handle(get('tack-app://demo-tasks/js/app.js'))
    expect(await script.text()).toBe('window.started = true')
    const head = await handle(get('tack-app://demo-tasks/index.html', 'HEAD'))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('the policy allows no inline script or eval, and only Tack may show the page', () => {
    const scripts = PACKAGE_CONTENT_SECURITY_POLICY.split('; ').find((d) =>
      d.startsWith('script-src'),
    )
    expect(scripts).toBe("script-src 'self'")
    expect(PACKAGE_CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(PACKAGE_CONTENT_SECURITY_POLICY).toContain('frame-ancestors app://tack')
  })

  it('refuses path traversal, folders, missing files and writes', async () => {
    const handle = packageHandler('demo-tasks', packageOf)
    for (const url of [
      'tack-app://demo-tasks/..%2Fsecret.txt',
      'tack-app://demo-tasks/%2e%2e/%2e%2e/secret.txt',
      'tack-app://demo-tasks/js/..%2F..%2F..%2Fsecret.txt',
      'tack-app://demo-tasks/js/',
      'tack-app://demo-tasks/missing.html',
    ]) {
      const response = await handle(get(url))
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).toBe('')
    }
    const post = await handle(
      new Request('tack-app://demo-tasks/index.html', { method: 'POST', body: 'x' }),
    )
    expect(post.status).toBe(405)
  })

  it("answers only its own app's origin, and nothing when no package is installed", async () => {
    const demoSession = packageHandler('demo-tasks', packageOf)
    expect((await demoSession(get('tack-app://other-app/index.html'))).status).toBe(404)
    const otherSession = packageHandler('other-app', packageOf)
    expect((await otherSession(get('tack-app://other-app/'))).status).toBe(404)
    expect((await otherSession(get('tack-app://demo-tasks/'))).status).toBe(404)
  })

  it("registers the handler once per app's session, and only there", async () => {
    const target = electron.session.fromPartition('persist:microapp-demo-tasks')
    servePackage(target as unknown as Session, 'demo-tasks', packageOf)
    servePackage(target as unknown as Session, 'demo-tasks', packageOf)
    expect(target.protocol.handle).toHaveBeenCalledTimes(1)
    expect(electron.protocol.handlers.has('tack-app')).toBe(false)
    const served = await target.protocol.handlers.get('tack-app')!(get('tack-app://demo-tasks/'))
    expect(served.status).toBe(200)
  })
})
