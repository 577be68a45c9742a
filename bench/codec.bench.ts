// Frame codec: encoding and decoding a realistic sync packet as length-prefixed protobuf,
// against JSON of the same content as the baseline.
import { create } from '@bufbuild/protobuf'
import { SyncPacketSchema } from '../shared/gen/tack_pb'
import { FrameDecoder, encodeFrame, makeFrame } from '../shared/frame-codec'
import { compare, type BenchResult } from './harness'

const ITEMS_PER_PACKET = 100
const PACKETS = 200

function samplePacket(packetNo: number) {
  return create(SyncPacketSchema, {
    packetNo: BigInt(packetNo),
    fromSyncId: BigInt(packetNo * ITEMS_PER_PACKET),
    toSyncId: BigInt((packetNo + 1) * ITEMS_PER_PACKET),
    items: Array.from({ length: ITEMS_PER_PACKET }, (_, index) => ({
      syncId: BigInt(packetNo * ITEMS_PER_PACKET + index + 1),
      kind: {
        case: 'messageCreated' as const,
        value: {
          id: `m-${packetNo}-${index}`,
          conversationId: 'g:engineering',
          seq: BigInt(index + 1),
          senderId: 'u-alice',
          clientMessageId: `c-${packetNo}-${index}`,
          text: `明天上午十点的评审会改到 3 楼会议室，请大家准时参加 #${index}`,
          sentAtMs: BigInt(1_790_000_000_000 + index),
        },
      },
    })),
  })
}

export function run(): BenchResult {
  const packets = Array.from({ length: PACKETS }, (_, index) => samplePacket(index))
  const asJson = packets.map((packet) =>
    JSON.stringify(packet, (_key, value: unknown) =>
      typeof value === 'bigint' ? Number(value) : value,
    ),
  )
  const frames = packets.map((packet) =>
    encodeFrame(makeFrame({ body: { case: 'syncPacket', value: packet } })),
  )
  const stream = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0))
  frames.reduce((offset, frame) => (stream.set(frame, offset), offset + frame.length), 0)

  return compare(
    'codec',
    'packets',
    {
      name: 'json_roundtrip',
      run: () => {
        for (const text of asJson) JSON.parse(JSON.stringify(JSON.parse(text)))
        return PACKETS
      },
    },
    [
      {
        name: 'protobuf_encode',
        run: () => {
          for (const packet of packets)
            encodeFrame(makeFrame({ body: { case: 'syncPacket', value: packet } }))
          return PACKETS
        },
      },
      {
        name: 'protobuf_decode',
        run: () => {
          const decoder = new FrameDecoder()
          for (let offset = 0; offset < stream.length; offset += 64 * 1024) {
            decoder.push(stream.subarray(offset, offset + 64 * 1024))
          }
          return PACKETS
        },
      },
    ],
  )
}
