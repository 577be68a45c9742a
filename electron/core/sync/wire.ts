// Turns wire messages (protobuf) into the store's records and the HostApi's views.
import {
  ConversationKind,
  GroupNoticeKind,
  type Conversation,
  type ConversationSettings,
  type Department,
  type GroupNotice,
  type Message,
  type DeviceList,
  type SyncItem,
  type SyncReset,
  type User,
} from '../../../shared/gen/tack_pb'
import type { DepartmentView, GroupNoticeView, Person } from '../../../shared/host-api'
import { attachmentFromWire } from '../attachments/attachment-wire'
import type {
  ConversationRecord,
  ConversationSettingsRecord,
  DeviceRecord,
  MessageRecord,
  SnapshotRecord,
  SyncChange,
} from '../store/store'

export function conversationFromWire(conversation: Conversation): ConversationRecord {
  return {
    id: conversation.id,
    kind: conversation.kind === ConversationKind.DIRECT ? 'direct' : 'group',
    title: conversation.title,
    memberIds: [...conversation.memberIds],
    createdAt: Number(conversation.createdAtMs),
  }
}

const NOTICE_KINDS: Record<GroupNoticeKind, GroupNoticeView['kind']> = {
  [GroupNoticeKind.UNSPECIFIED]: 'changed',
  [GroupNoticeKind.CREATED]: 'created',
  [GroupNoticeKind.RENAMED]: 'renamed',
  [GroupNoticeKind.MEMBERS_ADDED]: 'membersAdded',
  [GroupNoticeKind.MEMBERS_REMOVED]: 'membersRemoved',
  [GroupNoticeKind.LEFT]: 'left',
}

/** A notice of a kind this client does not know yet still shows as a change to the group. */
function noticeFromWire(notice: GroupNotice): GroupNoticeView {
  const kind = NOTICE_KINDS[notice.kind] ?? 'changed'
  return {
    kind,
    ...(notice.title ? { title: notice.title } : {}),
    ...(notice.memberIds.length > 0 ? { memberIds: [...notice.memberIds] } : {}),
  }
}

export function messageFromWire(message: Message): MessageRecord {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: Number(message.seq),
    senderId: message.senderId,
    clientMessageId: message.clientMessageId,
    text: message.text,
    sentAt: Number(message.sentAtMs),
    ...(message.replyTo
      ? {
          replyTo: {
            messageId: message.replyTo.messageId,
            senderId: message.replyTo.senderId,
            excerpt: message.replyTo.excerpt,
            seq: Number(message.replyTo.seq),
            ...(message.replyTo.recalled ? { recalled: true } : {}),
          },
        }
      : {}),
    ...(message.mentionIds.length > 0 ? { mentionIds: [...message.mentionIds] } : {}),
    ...(message.attachment ? { attachment: attachmentFromWire(message.attachment) } : {}),
    ...(message.notice ? { notice: noticeFromWire(message.notice) } : {}),
  }
}

/** A sync item as a store change; undefined for kinds this client does not know yet. */
export function changeFromWire(item: SyncItem): SyncChange | undefined {
  switch (item.kind.case) {
    case 'messageCreated':
      return { kind: 'message', message: messageFromWire(item.kind.value) }
    case 'conversationChanged':
      return { kind: 'conversation', conversation: conversationFromWire(item.kind.value) }
    case 'messageRecalled':
      return {
        kind: 'recall',
        conversationId: item.kind.value.conversationId,
        messageId: item.kind.value.messageId,
      }
    case 'conversationSettingsChanged':
      return { kind: 'settings', settings: settingsFromWire(item.kind.value) }
    case 'deviceListChanged':
      return { kind: 'devices', devices: devicesFromWire(item.kind.value) }
    case 'userChanged':
      return { kind: 'user', person: personFromWire(item.kind.value) }
    case 'departmentChanged':
      return { kind: 'department', department: departmentFromWire(item.kind.value) }
    case 'readPositionMoved':
      return {
        kind: 'read',
        conversationId: item.kind.value.conversationId,
        readSeq: Number(item.kind.value.readSeq),
      }
    case 'memberReadMoved':
      return {
        kind: 'memberRead',
        conversationId: item.kind.value.conversationId,
        userId: item.kind.value.userId,
        readSeq: Number(item.kind.value.readSeq),
        ...(item.kind.value.joinedSeq > 0n ? { joinedSeq: Number(item.kind.value.joinedSeq) } : {}),
      }
    default:
      return undefined
  }
}

export function settingsFromWire(settings: ConversationSettings): ConversationSettingsRecord {
  return {
    conversationId: settings.conversationId,
    pinned: settings.pinned,
    muted: settings.muted,
  }
}

export function personFromWire(user: User): Person {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    nameEn: user.nameEn,
    departmentId: user.departmentId,
    title: user.title,
    avatarColor: user.avatarColor,
  }
}

export function departmentFromWire(department: Department): DepartmentView {
  return {
    id: department.id,
    name: department.name,
    nameEn: department.nameEn,
    parentId: department.parentId || null,
  }
}

function devicesFromWire(list: DeviceList): DeviceRecord[] {
  return list.devices.map((device) => ({
    deviceId: device.deviceId,
    name: device.name,
    platform: device.platform,
    lastSeenAt: Number(device.lastSeenMs),
  }))
}

/** The parts of one reset, joined into the snapshot the store applies in one transaction. */
export function snapshotFromWire(parts: SyncReset[]): SnapshotRecord {
  const devices = parts.find((part) => part.devices)?.devices
  return {
    syncId: Number(parts[0]!.syncId),
    conversations: parts.flatMap((part) =>
      part.conversations.flatMap((snapshot) =>
        snapshot.conversation
          ? [
              {
                conversation: conversationFromWire(snapshot.conversation),
                pinned: snapshot.settings?.pinned ?? false,
                muted: snapshot.settings?.muted ?? false,
                readSeq: Number(snapshot.readSeq),
                lastSeq: Number(snapshot.lastSeq),
                firstSeq: Number(snapshot.firstSeq),
                unreadBeforeFirst: Number(snapshot.unreadBeforeFirst),
              },
            ]
          : [],
      ),
    ),
    messages: parts.flatMap((part) => part.messages.map(messageFromWire)),
    recalledMessageIds: parts.flatMap((part) => part.recalledMessageIds),
    devices: devices ? devicesFromWire(devices) : null,
  }
}
