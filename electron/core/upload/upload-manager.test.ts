// The pure parts of the upload manager: how a file is cut into chunks and how big they are by
// default. Everything that talks to a server is in test/integration/upload-manager.test.ts.
import { describe, expect, it } from 'vitest'
import { planChunks } from './file-upload'
import { chunkSizeFor, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from './upload-manager'

const MiB = 1024 * 1024

describe('planChunks', () => {
  it('covers the file exactly, in order, the last chunk shorter', () => {
    const chunks = planChunks(10 * MiB + 5, 3 * MiB)

    expect(chunks.map((chunk) => [chunk.start, chunk.length])).toEqual([
      [0, 3 * MiB],
      [3 * MiB, 3 * MiB],
      [6 * MiB, 3 * MiB],
      [9 * MiB, MiB + 5],
    ])
    expect(chunks.every((chunk) => chunk.url === null && chunk.offset === 0)).toBe(true)
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3])
  })

  it('makes one empty chunk of an empty file, so it is still one upload', () => {
    expect(planChunks(0, MiB)).toEqual([{ index: 0, start: 0, length: 0, url: null, offset: 0 }])
  })
})

describe('chunkSizeFor', () => {
  it('aims at four chunks per stream, in 256 KiB steps', () => {
    expect(chunkSizeFor(48 * MiB, 4)).toBe(3 * MiB)
    expect(chunkSizeFor(50_000_000, 4)).toBe(3 * MiB)
  })

  it('stays between 1 MiB and 8 MiB', () => {
    expect(chunkSizeFor(100, 4)).toBe(MIN_CHUNK_SIZE)
    expect(chunkSizeFor(2 * 1024 * MiB, 4)).toBe(MAX_CHUNK_SIZE)
    expect(chunkSizeFor(2 * 1024 * MiB, 1)).toBe(MAX_CHUNK_SIZE)
  })
})
