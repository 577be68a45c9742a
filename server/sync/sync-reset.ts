// A reset's snapshot as SyncReset frames: conversations in order, each with its newest messages,
// cut into parts that stay under the frame budget. The device list rides in the first part.
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf'
import {
  MessageSchema,
  type ConversationSnapshotSchema,
  type DeviceListSchema,
  type Message,
} from '../../shared/gen/tack_pb'
import type { ConversationSnapshotRecord, StoredMessage, SyncSnapshot } from '../storage/storage'
import type { SyncResetInit } from './sync-stream'

interface Part {
  syncId: bigint
  part: number
  last: boolean
  conversations: MessageInitShape<typeof ConversationSnapshotSchema>[]
  messages: Message[]
  recalledMessageIds: string[]
  devices?: MessageInitShape<typeof DeviceListSchema>
}

export function resetParts(snapshot: SyncSnapshot, maxBytes: number): SyncResetInit[] {
  const byConversation = new Map<string, StoredMessage[]>()
  for (const stored of snapshot.messages) {
    const id = stored.message.conversationId
    byConversation.set(id, [...(byConversation.get(id) ?? []), stored])
  }

  const parts: Part[] = []
  let part = newPart(snapshot, 1)
  let bytes = 0
  for (const conversation of snapshot.conversations) {
    const messages = (byConversation.get(conversation.conversation.id) ?? []).map(wireMessage)
    const size =
      messages.reduce((sum, message) => sum + toBinary(MessageSchema, message).length + 8, 0) +
      conversation.conversation.memberIds.reduce((sum, id) => sum + id.length + 2, 64)
    if (bytes > 0 && bytes + size > maxBytes) {
      parts.push(part)
      part = newPart(snapshot, parts.length + 1)
      bytes = 0
    }
    bytes += size
    part.conversations.push(toWire(conversation))
    part.messages.push(...messages)
    part.recalledMessageIds.push(
      ...(byConversation.get(conversation.conversation.id) ?? [])
        .filter((stored) => stored.recalled)
        .map((stored) => stored.message.id),
    )
  }
  parts.push(part)
  parts[parts.length - 1]!.last = true
  parts[0]!.devices = {
    devices: snapshot.devices.map((device) => ({
      deviceId: device.deviceId,
      name: device.name,
      platform: device.platform,
      lastSeenMs: BigInt(device.lastSeenMs),
    })),
  }
  return parts
}

function newPart(snapshot: SyncSnapshot, number: number): Part {
  return {
    syncId: snapshot.syncId,
    part: number,
    last: false,
    conversations: [],
    messages: [],
    recalledMessageIds: [],
  }
}

/** A recalled message travels without its text, as the recall item leaves it on devices. */
export function wireMessage(stored: StoredMessage): Message {
  return stored.recalled ? create(MessageSchema, { ...stored.message, text: '' }) : stored.message
}

function toWire(
  record: ConversationSnapshotRecord,
): MessageInitShape<typeof ConversationSnapshotSchema> {
  return {
    conversation: record.conversation,
    settings: {
      conversationId: record.conversation.id,
      pinned: record.pinned,
      muted: record.muted,
    },
    readSeq: record.readSeq,
    lastSeq: record.lastSeq,
    firstSeq: record.firstSeq,
    unreadBeforeFirst: record.unreadBeforeFirst,
  }
}
