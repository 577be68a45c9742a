import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, isAppUrl, isWebUrl, resolveAppFile } from './app-url'

const root = resolve('/srv/tack/dist/renderer')

describe('resolveAppFile', () => {
  it('serves index.html for the entry URL and for the bare origin', () => {
    expect(resolveAppFile(root, APP_ENTRY_URL)).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://tack/')).toBe(join(root, 'index.html'))
  })

  it('serves nested assets and decodes escaped names', () => {
    expect(resolveAppFile(root, 'app://tack/assets/index-abc.js')).toBe(
      join(root, 'assets', 'index-abc.js'),
    )
    expect(resolveAppFile(root, 'app://tack/assets/a%20b.png')).toBe(
      join(root, 'assets', 'a b.png'),
    )
  })

  it('ignores the query and fragment', () => {
    expect(resolveAppFile(root, 'app://tack/index.html?x=1#token=abc')).toBe(
      join(root, 'index.html'),
    )
  })

  it('refuses to leave the renderer folder', () => {
    for (const url of [
      'app://tack/..%2F..%2Fetc%2Fpasswd',
      'app://tack/%2e%2e/%2e%2e/etc/passwd',
      'app://tack/assets/..%2F..%2F..%2Fsecret',
      'app://tack/..%5C..%5Csecret',
      'app://tack/%2Fetc%2Fpasswd/..',
    ]) {
      const file = resolveAppFile(root, url)
      if (file !== null) expect(file.startsWith(root)).toBe(true)
    }
    expect(resolveAppFile(root, 'app://tack/..%2F..%2Fetc%2Fpasswd')).toBeNull()
    expect(resolveAppFile(root, 'app://tack/assets/..%2F..%2F..%2Fsecret')).toBeNull()
  })

  it('refuses other hosts, other schemes, NUL bytes and broken escapes', () => {
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull()
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull()
    expect(resolveAppFile(root, 'https://tack/index.html')).toBeNull()
    expect(resolveAppFile(root, 'app://tack/index.html%00.png')).toBeNull()
    expect(resolveAppFile(root, 'app://tack/%E0%A4%A')).toBeNull()
    expect(resolveAppFile(root, 'not a url')).toBeNull()
  })
})

describe('isAppUrl and isWebUrl', () => {
  it('tells the app origin from everything else', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true)
    expect(isAppUrl('app://tack')).toBe(true)
    expect(isAppUrl('app://evil/index.html')).toBe(false)
    expect(isAppUrl('https://tack/index.html')).toBe(false)
    expect(isAppUrl('')).toBe(false)
  })

  it('lets only http(s) links out to the system browser', () => {
    expect(isWebUrl('https://example.com/a')).toBe(true)
    expect(isWebUrl('http://example.com')).toBe(true)
    expect(isWebUrl('file:///etc/passwd')).toBe(false)
    expect(isWebUrl('javascript:alert(1)')).toBe(false)
    expect(isWebUrl('smb://host/share')).toBe(false)
    expect(isWebUrl('app://tack/index.html')).toBe(false)
  })
})
