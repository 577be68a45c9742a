import { describe, expect, it } from 'vitest'
import { decideAppNavigation, decideWebviewNavigation, decideWindowOpen } from './navigation-policy'

describe('decideAppNavigation', () => {
  it('lets the app window move between its own app:// pages', () => {
    expect(decideAppNavigation('app://tack/index.html')).toBe('stay')
    expect(decideAppNavigation('app://tack/index.html#/chats')).toBe('stay')
  })

  it('sends plain http(s) links to the system browser instead', () => {
    expect(decideAppNavigation('https://example.com/page')).toBe('external')
    expect(decideAppNavigation('http://example.com')).toBe('external')
  })

  it('refuses every other scheme, another app:// host, and links hiding a user name', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'app://evil/index.html',
      'smb://host/share',
      'https://bank.example@evil.example/',
      `https://example.com/${'a'.repeat(3000)}`,
      'not a url',
    ]) {
      expect(decideAppNavigation(url), url).toBe('refuse')
    }
  })
})

describe('decideWindowOpen', () => {
  it('never opens an app window: http(s) goes to the system browser', () => {
    expect(decideWindowOpen('https://example.com/')).toBe('external')
    expect(decideWindowOpen('app://tack/index.html')).toBe('refuse')
  })

  it('refuses file:, javascript: and custom schemes', () => {
    expect(decideWindowOpen('file:///C:/Windows/system32/calc.exe')).toBe('refuse')
    expect(decideWindowOpen('javascript:void(0)')).toBe('refuse')
    expect(decideWindowOpen('ms-msdt:/id PCWDiagnostic')).toBe('refuse')
  })
})

describe('decideWebviewNavigation', () => {
  it('keeps a micro-app on its own origin and sends other links out', () => {
    const current = 'https://app.example.com/home'
    expect(decideWebviewNavigation(current, 'https://app.example.com/next?x=1')).toBe('stay')
    expect(decideWebviewNavigation(current, 'https://other.example.com/')).toBe('external')
  })

  it('keeps an offline package on its own tack-app:// origin', () => {
    const current = 'tack-app://demo-tasks/index.html'
    expect(decideWebviewNavigation(current, 'tack-app://demo-tasks/done.html#1')).toBe('stay')
    expect(decideWebviewNavigation(current, 'tack-app://other-app/index.html')).toBe('refuse')
    expect(decideWebviewNavigation(current, 'https://example.com/')).toBe('external')
    const web = 'https://app.example.com/home'
    expect(decideWebviewNavigation(web, 'tack-app://demo-tasks/index.html')).toBe('refuse')
  })

  it('refuses a micro-app navigating to the app itself or to local files', () => {
    const current = 'https://app.example.com/home'
    expect(decideWebviewNavigation(current, 'app://tack/index.html')).toBe('refuse')
    expect(decideWebviewNavigation(current, 'file:///etc/passwd')).toBe('refuse')
    expect(decideWebviewNavigation('about:blank', 'about:blank')).toBe('refuse')
  })
})
