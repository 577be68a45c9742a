// The checks on an attachment a client sends with a message: sane kind, name, size, type and
// preview, and a file that is a complete upload of the sender's own, of the size it claims.
// Every refusal says which field is wrong, so the sender's app can show why.
import { create } from '@bufbuild/protobuf'
import { z } from 'zod'
import { AttachmentKind, AttachmentSchema, type Attachment } from '../../../shared/gen/tack_pb'
import { badRequest, forbidden, notFound } from '../request-error'

/** The largest preview carried inside a message: sync packets hold many messages. */
export const MAX_THUMBNAIL_BYTES = 32 * 1024
const MAX_NAME_CHARS = 255
const MAX_DIMENSION = 100_000
const MAX_VOICE_MS = 60 * 60_000

/** What the upload side knows of a finished upload (storage's FileRecord). */
export interface UploadedFile {
  ownerId: string
  size: number
  /** SHA-256 of the content, lowercase hex. */
  sha256: string
}

export type FindUploadedFile = (fileId: string) => UploadedFile | undefined

const mimeType = z
  .string()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'not a media type')

/** The shape zod checks; the protobuf message arrives as a plain object with these fields. */
export const attachmentSchema = z.object({
  kind: z.enum(AttachmentKind).refine((kind) => kind !== AttachmentKind.UNSPECIFIED, {
    message: 'kind is missing',
  }),
  fileId: z.string().min(1, 'file id is missing').max(128),
  name: z
    .string()
    .min(1, 'name is missing')
    .refine(
      (name) => [...name].length <= MAX_NAME_CHARS,
      `name is over ${MAX_NAME_CHARS} characters`,
    )
    .refine(
      // Control characters are matched by their code points, which the lint rule allows.
      (name) => ![...name].some((char) => char === '/' || char === '\\' || isControl(char)),
      'name has a path separator or a control character',
    ),
  size: z.bigint().positive('size must be above 0'),
  mime: mimeType,
  sha256: z.string().regex(/^([0-9a-f]{64})?$/, 'sha256 is not 64 lowercase hex digits'),
  width: z.number().int().min(0).max(MAX_DIMENSION),
  height: z.number().int().min(0).max(MAX_DIMENSION),
  durationMs: z.number().int().min(0).max(MAX_VOICE_MS),
  thumbnail: z
    .instanceof(Uint8Array)
    .refine(
      (bytes) => bytes.length <= MAX_THUMBNAIL_BYTES,
      `thumbnail is over ${MAX_THUMBNAIL_BYTES} bytes`,
    ),
  thumbnailFileId: z.string().max(128),
  thumbnailMime: z.union([z.literal(''), z.enum(['image/png', 'image/jpeg', 'image/webp'])]),
})

export type CheckedAttachment = z.infer<typeof attachmentSchema>

/**
 * Refuses an attachment that does not add up, or whose file is missing (not finished), of
 * another size, or someone else's. A file someone else uploaded is allowed when the attachment
 * names its content hash: the sender has the same bytes, which the server's by-hash lookup let
 * them skip sending. A hash that is not the file's is refused. Returns the wire Attachment to
 * store, with the file's hash.
 */
export function checkAttachment(
  attachment: CheckedAttachment,
  senderId: string,
  findFile: FindUploadedFile,
): Attachment {
  checkKind(attachment)
  const file = findFile(attachment.fileId)
  if (!file) throw notFound(`attachment: no uploaded file ${attachment.fileId}`)
  if (file.ownerId !== senderId && file.sha256 !== attachment.sha256) {
    throw forbidden(`attachment: file ${attachment.fileId} was uploaded by someone else`)
  }
  if (attachment.sha256 && attachment.sha256 !== file.sha256) {
    // Receivers check the bytes against this hash: a wrong one makes every download fail.
    throw badRequest(`attachment: sha256 does not match the upload's content`)
  }
  if (BigInt(file.size) !== attachment.size) {
    throw badRequest(
      `attachment: size ${attachment.size} does not match the upload's ${file.size} bytes`,
    )
  }
  if (attachment.thumbnailFileId) {
    const preview = findFile(attachment.thumbnailFileId)
    if (preview?.ownerId !== senderId) {
      throw badRequest(`attachment: no preview file ${attachment.thumbnailFileId} of the sender's`)
    }
  }
  // Without one from the sender, the upload's hash goes out, so receivers can check the bytes.
  return create(AttachmentSchema, { ...attachment, sha256: file.sha256 })
}

function checkKind(attachment: CheckedAttachment): void {
  const type = attachment.mime.toLowerCase()
  if (attachment.kind === AttachmentKind.IMAGE && !type.startsWith('image/')) {
    throw badRequest(`attachment: an image with type ${attachment.mime}`)
  }
  if (attachment.kind === AttachmentKind.VOICE && !type.startsWith('audio/')) {
    throw badRequest(`attachment: a voice message with type ${attachment.mime}`)
  }
  if (attachment.kind !== AttachmentKind.IMAGE && (attachment.width || attachment.height)) {
    throw badRequest('attachment: only an image has a width and height')
  }
  if (attachment.kind !== AttachmentKind.VOICE && attachment.durationMs) {
    throw badRequest('attachment: only a voice message has a duration')
  }
  if (attachment.thumbnail.length > 0 && !attachment.thumbnailMime) {
    throw badRequest('attachment: a thumbnail needs its type')
  }
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0)!
  return code < 0x20 || code === 0x7f
}
