import { describe, expect, it } from 'vitest'
import { findDeepLink, parseDeepLink } from './deep-link'

describe('parseDeepLink', () => {
  it('reads a link to a conversation', () => {
    expect(parseDeepLink('tack://conversation/c_123')).toEqual({
      kind: 'conversation',
      conversationId: 'c_123',
    })
  })

  it('reads a link to a micro-app, with a path inside it', () => {
    expect(parseDeepLink('tack://microapp/42?path=/orders/7')).toEqual({
      kind: 'microApp',
      agentId: '42',
      path: '/orders/7',
    })
    expect(parseDeepLink('tack://microapp/42?path=//evil.example')).toEqual({
      kind: 'microApp',
      agentId: '42',
      path: null,
    })
  })

  it('refuses other schemes, unknown targets and odd ids', () => {
    for (const link of [
      'https://conversation/c1',
      'tack://settings/x',
      'tack://conversation/',
      'tack://conversation/a/b',
      'tack://conversation/..%2F..',
      'tack://conversation/a b',
      `tack://conversation/${'x'.repeat(3000)}`,
      'tack:',
      '',
    ]) {
      expect(parseDeepLink(link), link).toBeNull()
    }
  })
})

describe('parseDeepLink: micro-app links', () => {
  it('refuses a micro-app link without one well-formed agent id', () => {
    for (const link of [
      'tack://microapp/',
      'tack://microapp',
      'tack://microapp/demo-tasks/extra',
      'tack://microapp/..%2Fkeys',
      'tack://microapp/demo%00tasks',
      'tack://microapp/demo.tasks',
      'tack://microapps/demo-tasks',
      'tack:microapp/demo-tasks',
    ]) {
      expect(parseDeepLink(link), link).toBeNull()
    }
  })

  it('keeps the app but drops a path that is not a plain path inside it', () => {
    for (const path of [
      'javascript:alert(1)',
      'https://evil.example/',
      'orders/7',
      '//evil.example/x',
      `/${'a'.repeat(1100)}`,
    ]) {
      const link = `tack://microapp/demo-tasks?path=${encodeURIComponent(path)}`
      expect(parseDeepLink(link), path).toEqual({
        kind: 'microApp',
        agentId: 'demo-tasks',
        path: null,
      })
    }
    expect(parseDeepLink('tack://microapp/demo-tasks')).toEqual({
      kind: 'microApp',
      agentId: 'demo-tasks',
      path: null,
    })
  })
})

describe('findDeepLink', () => {
  it('finds the link among the arguments a second launch passes', () => {
    const argv = ['/opt/Tack/tack', '--no-sandbox-is-not-ours', 'tack://conversation/c9']
    expect(findDeepLink(argv)).toEqual({ kind: 'conversation', conversationId: 'c9' })
    expect(findDeepLink(['/opt/Tack/tack'])).toBeNull()
  })
})
