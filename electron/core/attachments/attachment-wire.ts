// Attachments between the wire (protobuf) and the store's records.
import { create } from '@bufbuild/protobuf'
import { AttachmentKind, AttachmentSchema, type Attachment } from '../../../shared/gen/tack_pb'
import type { AttachmentKind as Kind } from '../../../shared/host-api'
import type { AttachmentRecord } from '../store/attachments'

const KIND_FROM_WIRE: Partial<Record<AttachmentKind, Kind>> = {
  [AttachmentKind.FILE]: 'file',
  [AttachmentKind.IMAGE]: 'image',
  [AttachmentKind.VOICE]: 'voice',
}

const KIND_TO_WIRE: Record<Kind, AttachmentKind> = {
  file: AttachmentKind.FILE,
  image: AttachmentKind.IMAGE,
  voice: AttachmentKind.VOICE,
}

/** A wire attachment as the store keeps it; a kind this client does not know shows as a file. */
export function attachmentFromWire(attachment: Attachment): AttachmentRecord {
  return {
    kind: KIND_FROM_WIRE[attachment.kind] ?? 'file',
    fileId: attachment.fileId,
    name: attachment.name,
    size: Number(attachment.size),
    mime: attachment.mime,
    sha256: attachment.sha256,
    width: attachment.width,
    height: attachment.height,
    durationMs: attachment.durationMs,
    thumbnail: Buffer.from(attachment.thumbnail).toString('base64'),
    thumbnailMime: attachment.thumbnailMime,
  }
}

export function attachmentToWire(record: AttachmentRecord): Attachment {
  return create(AttachmentSchema, {
    kind: KIND_TO_WIRE[record.kind],
    fileId: record.fileId,
    name: record.name,
    size: BigInt(record.size),
    mime: record.mime,
    sha256: record.sha256,
    width: record.width,
    height: record.height,
    durationMs: record.durationMs,
    thumbnail: Buffer.from(record.thumbnail, 'base64'),
    thumbnailMime: record.thumbnail ? record.thumbnailMime : '',
  })
}
