// One byte range from a Range header (RFC 9110 §14), for downloads of finished files.

export type RangeAnswer =
  /** Send the whole file: no Range, another unit, a malformed header or several ranges. */
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  /** No byte of the range lies in the file: 416. */
  | { kind: 'unsatisfiable' }

const SINGLE = /^bytes=(\d*)-(\d*)$/

/**
 * Reads `bytes=a-b`, `bytes=a-` and `bytes=-n` against a file of `size` bytes; `end` is inclusive.
 * A range that starts past the end, ends before it starts, or asks for the last 0 bytes is
 * unsatisfiable. Several ranges are answered with the whole file, which RFC 9110 allows.
 */
export function readRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' }
  const match = SINGLE.exec(header.replace(/\s+/g, ''))
  if (!match) return { kind: 'whole' }
  const [, first, last] = match as unknown as [string, string, string]
  if (first === '' && last === '') return { kind: 'whole' }

  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (start >= size || (last !== '' && Number(last) < start)) return { kind: 'unsatisfiable' }
  return { kind: 'part', start, end }
}
