// Sync packets made up the same way by the process that is killed and by the test that checks
// what it left: packet n holds `size` new messages, sync ids ((n - 1) * size, n * size].
import { create } from '@bufbuild/protobuf'
import { SyncPacketSchema, type SyncPacket } from '../../shared/gen/tack_pb'

export const CONVERSATIONS = 20

export function syntheticPacket(packetNo: number, size: number): SyncPacket {
  const from = (packetNo - 1) * size
  return create(SyncPacketSchema, {
    packetNo: BigInt(packetNo),
    fromSyncId: BigInt(from),
    toSyncId: BigInt(from + size),
    items: Array.from({ length: size }, (_, index) => {
      const syncId = from + index + 1
      return {
        syncId: BigInt(syncId),
        kind: {
          case: 'messageCreated' as const,
          value: {
            id: `m-${syncId}`,
            conversationId: `c-${syncId % CONVERSATIONS}`,
            // Per conversation, seq counts up with the sync id.
            seq: BigInt(Math.floor((syncId - 1) / CONVERSATIONS) + 1),
            senderId: 'u-peer',
            clientMessageId: `cm-${syncId}`,
            text: `第${syncId}条消息 packet ${packetNo} 同步测试 marker-${syncId}`,
            sentAtMs: BigInt(1_790_000_000_000 + syncId),
          },
        },
      }
    }),
  })
}
