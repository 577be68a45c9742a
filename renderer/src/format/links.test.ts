import { describe, expect, it } from 'vitest'
import { splitLinks, webHref } from './links'

describe('splitLinks', () => {
  it('makes http and https URLs links and keeps the text around them', () => {
    expect(splitLinks('see https://example.com/a?b=1 and http://x.test.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: '.' },
    ])
  })

  it('leaves other schemes and markup as plain text', () => {
    const text = 'javascript:alert(1) <a href="file:///etc/passwd">x</a> tack://open'
    expect(splitLinks(text)).toEqual([{ kind: 'text', text }])
  })

  it('drops sentence punctuation after a link, Chinese included', () => {
    const parts = splitLinks('文档在https://docs.example.com/guide。请看')
    expect(parts.map((part) => part.text)).toEqual([
      '文档在',
      'https://docs.example.com/guide',
      '。请看',
    ])
  })

  it('gives the whole text back when joined', () => {
    const text = '(https://a.test/x), <b>https://b.test</b> end'
    expect(
      splitLinks(text)
        .map((part) => part.text)
        .join(''),
    ).toBe(text)
  })
})

describe('webHref', () => {
  it('accepts only http and https', () => {
    expect(webHref('https://example.com')).toBe('https://example.com/')
    expect(webHref('javascript:alert(1)')).toBeNull()
    expect(webHref('not a url')).toBeNull()
  })
})
