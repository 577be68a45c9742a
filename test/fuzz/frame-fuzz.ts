// Inputs for the frame fuzz tests: random byte strings and mutations of real frames (bit flips,
// overwritten bytes, truncation, garbage tails, lying length prefixes), from a seeded PRNG so a
// failure repeats.
import {
  encodeFrame,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  type FrameInit,
} from '../../shared/frame-codec'
import { seededRandom } from '../netsim/fault-proxy'

const SEED_FRAMES: FrameInit[] = [
  { id: 1, body: { case: 'ping', value: { sentAtMs: 5n, immediate: true } } },
  { id: 2, body: { case: 'pong', value: { sentAtMs: 5n } } },
  { id: 3, body: { case: 'error', value: { code: 2, message: 'log in first' } } },
  {
    id: 4,
    body: {
      case: 'login',
      value: {
        username: 'alice',
        password: 'x',
        device: { deviceId: 'd', name: 'n', platform: 'p' },
      },
    },
  },
  {
    id: 5,
    body: {
      case: 'session',
      value: {
        ticket: 't'.repeat(43),
        me: { id: 'u-alice', username: 'alice', name: '王爱丽' },
        headSyncId: 9n,
        syncStarted: true,
      },
    },
  },
  { id: 0, body: { case: 'kick', value: { reason: 'restart', reconnectWithinMs: 30_000 } } },
  {
    id: 0,
    body: {
      case: 'syncPacket',
      value: {
        packetNo: 1n,
        fromSyncId: 0n,
        toSyncId: 2n,
        headSyncId: 2n,
        items: [
          {
            syncId: 1n,
            kind: {
              case: 'messageCreated',
              value: { id: 'm1', conversationId: 'd:a:b', seq: 1n, text: '你好' },
            },
          },
          {
            syncId: 2n,
            kind: { case: 'readPositionMoved', value: { conversationId: 'd:a:b', readSeq: 1n } },
          },
        ],
      },
    },
  },
  { id: 7, body: { case: 'syncRequest', value: { fromSyncId: 3n } } },
  { id: 0, body: { case: 'syncAck', value: { packetNo: 1n, syncId: 2n } } },
  {
    id: 8,
    body: {
      case: 'sendMessage',
      value: { conversationId: 'g:all', clientMessageId: 'c1', text: 'hello' },
    },
  },
]

const ENCODED = SEED_FRAMES.map((frame) => encodeFrame(frame))

export interface FuzzInput {
  kind: string
  bytes: Uint8Array
}

/** `count` inputs, half random and half mutated frames. */
export function* fuzzInputs(count: number, seed: number): Generator<FuzzInput> {
  const random = seededRandom(seed)
  const int = (max: number) => Math.floor(random() * max)
  for (let i = 0; i < count; i += 1) {
    yield i % 2 === 0 ? randomInput(random, int) : mutatedInput(int)
  }
}

function randomInput(random: () => number, int: (max: number) => number): FuzzInput {
  const body = new Uint8Array(1 + int(300))
  for (let i = 0; i < body.length; i += 1) body[i] = int(256)
  // Most get an honest length prefix, so the protobuf decoder is what gets exercised.
  if (random() < 0.8) return { kind: 'random body', bytes: withHeader(body, body.length) }
  return { kind: 'random bytes', bytes: body }
}

function mutatedInput(int: (max: number) => number): FuzzInput {
  const original = ENCODED[int(ENCODED.length)]!
  const body = original.slice(FRAME_HEADER_BYTES)
  switch (int(7)) {
    case 0: {
      for (let flips = 1 + int(8); flips > 0; flips -= 1) body[int(body.length)]! ^= 1 << int(8)
      return { kind: 'bit flips', bytes: withHeader(body, body.length) }
    }
    case 1: {
      for (let writes = 1 + int(4); writes > 0; writes -= 1) body[int(body.length)] = int(256)
      return { kind: 'overwritten bytes', bytes: withHeader(body, body.length) }
    }
    case 2: {
      const cut = body.subarray(0, int(body.length))
      return { kind: 'truncated body', bytes: withHeader(cut, cut.length) }
    }
    case 3: {
      const tail = new Uint8Array(1 + int(40)).map(() => int(256))
      const longer = concat(body, tail)
      return { kind: 'garbage tail', bytes: withHeader(longer, longer.length) }
    }
    case 4:
      return {
        kind: 'oversized length',
        bytes: withHeader(body, MAX_FRAME_BYTES + 1 + int(1_000_000)),
      }
    case 5:
      return { kind: 'zero length', bytes: concat(withHeader(new Uint8Array(0), 0), body) }
    default: {
      // A valid frame, then a broken one in the same chunk.
      const broken = body.map((byte) => byte | 0x80)
      return {
        kind: 'valid then broken',
        bytes: concat(original, withHeader(broken, broken.length)),
      }
    }
  }
}

function withHeader(body: Uint8Array, declared: number): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + body.length)
  new DataView(out.buffer).setUint32(0, declared >>> 0, false)
  out.set(body, FRAME_HEADER_BYTES)
  return out
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** Splits bytes into a few chunks, as TCP may deliver them. */
export function chunked(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  let offset = 0
  while (offset < bytes.length) {
    const size = 1 + Math.floor(random() * Math.max(1, bytes.length / 2))
    chunks.push(bytes.subarray(offset, offset + size))
    offset += size
  }
  return chunks
}
