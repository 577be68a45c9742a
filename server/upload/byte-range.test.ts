import { describe, expect, it } from 'vitest'
import { readRange } from './byte-range'

describe('readRange', () => {
  it('reads first-last, open-ended and suffix ranges, clamped to the file', () => {
    expect(readRange('bytes=0-0', 10)).toEqual({ kind: 'part', start: 0, end: 0 })
    expect(readRange('bytes=2-', 10)).toEqual({ kind: 'part', start: 2, end: 9 })
    expect(readRange('bytes=5-99', 10)).toEqual({ kind: 'part', start: 5, end: 9 })
    expect(readRange('bytes=-3', 10)).toEqual({ kind: 'part', start: 7, end: 9 })
    expect(readRange('bytes=-30', 10)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(readRange('bytes = 1 - 2', 10)).toEqual({ kind: 'part', start: 1, end: 2 })
  })

  it('calls ranges outside the file unsatisfiable', () => {
    for (const header of ['bytes=10-', 'bytes=10-20', 'bytes=4-3', 'bytes=-0']) {
      expect(readRange(header, 10), header).toEqual({ kind: 'unsatisfiable' })
    }
    expect(readRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
    expect(readRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' })
  })

  it('sends the whole file for no header, another unit, several ranges or nonsense', () => {
    for (const header of [undefined, 'items=0-1', 'bytes=0-1,4-5', 'bytes=-', 'bytes=a-b', '']) {
      expect(readRange(header, 10), String(header)).toEqual({ kind: 'whole' })
    }
  })
})
