import { describe, expect, it } from 'vitest'
import { mimeFromName, wireFileName, wireMediaType } from './file-label'

describe('file names and types as the server takes them', () => {
  it('mends path separators and control characters, keeps the rest, and cuts at 255', () => {
    expect(wireFileName('back\\slash.txt')).toBe('back_slash.txt')
    expect(wireFileName('a/b.txt')).toBe('a_b.txt')
    expect(wireFileName('line\nbreak\t\u0085.txt')).toBe('line_break__.txt')
    expect(wireFileName('  报告 <b>v2</b>.pdf ')).toBe('报告 <b>v2<_b>.pdf')
    expect([...wireFileName('名'.repeat(300))]).toHaveLength(255)
    expect(wireFileName('   ')).toBe('file')
  })

  it('drops parameters and case from a type, and falls back to the extension', () => {
    expect(wireMediaType('text/plain;charset=utf-8', 'a.txt')).toBe('text/plain')
    expect(wireMediaType('Image/PNG', 'a.png')).toBe('image/png')
    expect(wireMediaType('', 'a.pdf')).toBe('application/pdf')
    expect(wireMediaType(undefined, 'a.bin')).toBe('application/octet-stream')
    expect(wireMediaType('not a type', 'photo.JPG')).toBe('image/jpeg')
    expect(wireMediaType(`application/${'x'.repeat(130)}`, 'a.zip')).toBe('application/zip')
    expect(mimeFromName('voice.webm')).toBe('audio/webm')
  })
})
