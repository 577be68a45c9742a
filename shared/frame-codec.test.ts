import { describe, expect, it } from 'vitest'
import { FrameDecoder, FrameError, MAX_FRAME_BYTES, encodeFrame, makeFrame } from './frame-codec'

describe('frame codec', () => {
  it('round-trips frames split across arbitrary chunk boundaries', () => {
    const frames = [
      makeFrame({ id: 1, body: { case: 'ping', value: { sentAtMs: 42n } } }),
      makeFrame({
        id: 2,
        body: {
          case: 'sendMessage',
          value: { conversationId: 'c1', clientMessageId: 'm1', text: '你好, world' },
        },
      }),
    ]
    const bytes = new Uint8Array(frames.flatMap((frame) => [...encodeFrame(frame)]))
    const decoder = new FrameDecoder()
    const out = []
    for (let i = 0; i < bytes.length; i += 3) out.push(...decoder.push(bytes.subarray(i, i + 3)))
    expect(out.map((frame) => frame.id)).toEqual([1, 2])
    expect(out[1]!.body.case).toBe('sendMessage')
    if (out[1]!.body.case === 'sendMessage') expect(out[1]!.body.value.text).toBe('你好, world')
    expect(decoder.bufferedBytes).toBe(0)
  })

  it('rejects a declared length above the limit before reading the body', () => {
    const header = new Uint8Array(4)
    new DataView(header.buffer).setUint32(0, MAX_FRAME_BYTES + 1)
    expect(() => new FrameDecoder().push(header)).toThrow(FrameError)
    expect(() => new FrameDecoder().push(header)).toThrow(/oversized/)
  })

  it('rejects a body that is not a protobuf Frame', () => {
    const garbage = new Uint8Array([0, 0, 0, 3, 0xff, 0xff, 0xff])
    expect(() => new FrameDecoder().push(garbage)).toThrow(/malformed/)
  })

  it('refuses to encode a frame above the limit', () => {
    const text = 'x'.repeat(MAX_FRAME_BYTES)
    const frame = makeFrame({
      id: 3,
      body: { case: 'sendMessage', value: { conversationId: 'c', clientMessageId: 'm', text } },
    })
    expect(() => encodeFrame(frame)).toThrow(/oversized/)
  })

  it('ignores unknown fields, so newer peers interoperate', () => {
    const known = encodeFrame(makeFrame({ id: 7, body: { case: 'ok', value: {} } }))
    // Append field 999 (varint) to the body and fix up the length prefix.
    const extra = [0xb8, 0x3e, 0x01]
    const body = [...known.subarray(4), ...extra]
    const bytes = new Uint8Array(4 + body.length)
    new DataView(bytes.buffer).setUint32(0, body.length)
    bytes.set(body, 4)
    const [frame] = new FrameDecoder().push(bytes)
    expect(frame!.id).toBe(7)
    expect(frame!.body.case).toBe('ok')
  })
})
