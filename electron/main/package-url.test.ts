import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageAgentOf, packageOrigin, packageOriginOf, resolvePackageFile } from './package-url'

const installed = {
  dir: resolve('/profile/micro-app-packages/demo-tasks/1.0.0'),
  entry: 'index.html',
}

describe('resolvePackageFile', () => {
  it("serves the entry page for the bare origin and files inside the package's folder", () => {
    expect(resolvePackageFile('demo-tasks', installed, 'tack-app://demo-tasks/')).toBe(
      join(installed.dir, 'index.html'),
    )
    expect(resolvePackageFile('demo-tasks', installed, 'tack-app://demo-tasks')).toBe(
      join(installed.dir, 'index.html'),
    )
    expect(
      resolvePackageFile('demo-tasks', installed, 'tack-app://demo-tasks/js/app.js?v=2#x'),
    ).toBe(join(installed.dir, 'js', 'app.js'))
    const custom = { ...installed, entry: 'pages/start.html' }
    expect(resolvePackageFile('demo-tasks', custom, 'tack-app://demo-tasks/')).toBe(
      join(installed.dir, 'pages', 'start.html'),
    )
  })

  it('refuses every path that would leave the folder', () => {
    for (const url of [
      'tack-app://demo-tasks/..%2F..%2Fkeys%2Falice.key',
      'tack-app://demo-tasks/js/..%2F..%2F1.0.1/index.html',
      'tack-app://demo-tasks/..%5C..%5Csecret',
      'tack-app://demo-tasks/index.html%00.png',
      'tack-app://demo-tasks/%E0%A4%A',
    ]) {
      expect(resolvePackageFile('demo-tasks', installed, url), url).toBeNull()
    }
    // The URL parser itself drops escaped dot segments at the root: what is left stays inside.
    const dots = 'tack-app://demo-tasks/%2e%2e/%2e%2e/%2e%2e/settings.json'
    expect(resolvePackageFile('demo-tasks', installed, dots)).toBe(
      join(installed.dir, 'settings.json'),
    )
  })

  it("refuses another app's origin, other schemes, ports, credentials and junk", () => {
    for (const url of [
      'tack-app://other-app/index.html',
      'tack-app://Demo_Tasks/index.html',
      'tack-app://demo-tasks:8080/index.html',
      'tack-app://user:pw@demo-tasks/index.html',
      'app://demo-tasks/index.html',
      'https://demo-tasks/index.html',
      'file:///profile/micro-app-packages/demo-tasks/1.0.0/index.html',
      'tack-app:demo-tasks/index.html',
      'not a url',
    ]) {
      expect(resolvePackageFile('demo-tasks', installed, url), url).toBeNull()
    }
  })
})

describe('package origins', () => {
  it('gives each app its own origin, which Node alone would call "null"', () => {
    expect(packageOrigin('demo-tasks')).toBe('tack-app://demo-tasks')
    expect(new URL('tack-app://demo-tasks/index.html').origin).toBe('null')
    expect(packageOriginOf('tack-app://demo-tasks/index.html?x=1')).toBe('tack-app://demo-tasks')
    expect(packageAgentOf('tack-app://demo-tasks/a/b')).toBe('demo-tasks')
  })

  it('has no origin for URLs that are not a package of a valid agent id', () => {
    for (const url of ['https://demo-tasks/', 'tack-app://-x/', 'tack-app:///x', 'nope']) {
      expect(packageOriginOf(url), url).toBeNull()
    }
  })
})
