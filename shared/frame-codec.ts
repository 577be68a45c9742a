// Frames on the wire: a 4-byte big-endian length, then a protobuf `Frame`. Both the server and
// the client core decode through FrameDecoder, so both enforce the same limits.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import type { MessageInitShape } from '@bufbuild/protobuf'
import { FrameSchema, type Frame } from './gen/tack_pb'

export { FrameSchema, type Frame }

export const FRAME_HEADER_BYTES = 4

/** The largest frame body either side accepts: 1 MiB. */
export const MAX_FRAME_BYTES = 1024 * 1024

export type FrameErrorReason = 'oversized' | 'malformed' | 'empty'

/** A frame that cannot be accepted; the connection it came on must be closed. */
export class FrameError extends Error {
  constructor(
    readonly reason: FrameErrorReason,
    detail: string,
  ) {
    super(`${reason} frame: ${detail}`)
    this.name = 'FrameError'
  }
}

export type FrameInit = MessageInitShape<typeof FrameSchema>

export function makeFrame(init: FrameInit): Frame {
  return create(FrameSchema, init)
}

export function encodeFrame(frame: Frame | FrameInit, maxBytes = MAX_FRAME_BYTES): Uint8Array {
  const body = toBinary(FrameSchema, create(FrameSchema, frame))
  if (body.length > maxBytes) {
    throw new FrameError('oversized', `body is ${body.length} bytes, limit ${maxBytes}`)
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + body.length)
  new DataView(out.buffer).setUint32(0, body.length, false)
  out.set(body, FRAME_HEADER_BYTES)
  return out
}

/**
 * Turns a byte stream into frames. `push` returns every frame completed by the chunk and throws
 * FrameError on the first frame that is oversized or does not decode; after a throw the stream is
 * unusable and its connection must be closed.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = []
  private buffered = 0
  private failed = false

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  get bufferedBytes(): number {
    return this.buffered
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failed) throw new FrameError('malformed', 'decoder used after an error')
    this.chunks.push(chunk)
    this.buffered += chunk.length
    const frames: Frame[] = []
    try {
      for (let frame = this.next(); frame; frame = this.next()) frames.push(frame)
    } catch (error) {
      this.failed = true
      throw error
    }
    return frames
  }

  private next(): Frame | undefined {
    if (this.buffered < FRAME_HEADER_BYTES) return undefined
    const header = this.peek(FRAME_HEADER_BYTES)
    const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0, false)
    if (length > this.maxBytes) {
      throw new FrameError('oversized', `declared ${length} bytes, limit ${this.maxBytes}`)
    }
    if (length === 0) throw new FrameError('empty', 'zero-length body')
    if (this.buffered < FRAME_HEADER_BYTES + length) return undefined
    const bytes = this.take(FRAME_HEADER_BYTES + length).subarray(FRAME_HEADER_BYTES)
    let frame: Frame
    try {
      frame = fromBinary(FrameSchema, bytes)
    } catch (error) {
      throw new FrameError('malformed', error instanceof Error ? error.message : String(error))
    }
    return frame
  }

  private peek(count: number): Uint8Array {
    this.merge(count)
    return this.chunks[0]!.subarray(0, count)
  }

  private take(count: number): Uint8Array {
    this.merge(count)
    const head = this.chunks[0]!
    const taken = head.subarray(0, count)
    if (head.length === count) this.chunks.shift()
    else this.chunks[0] = head.subarray(count)
    this.buffered -= count
    return taken
  }

  /** Makes the first chunk hold at least `count` bytes. */
  private merge(count: number): void {
    if (this.chunks[0]!.length >= count) return
    const merged = new Uint8Array(this.buffered)
    let offset = 0
    for (const chunk of this.chunks) {
      merged.set(chunk, offset)
      offset += chunk.length
    }
    this.chunks = [merged]
  }
}
