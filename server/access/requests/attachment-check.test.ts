import { describe, expect, it } from 'vitest'
import { AttachmentKind, ErrorCode } from '../../../shared/gen/tack_pb'
import type { RequestError } from '../request-error'
import {
  attachmentSchema,
  checkAttachment,
  MAX_THUMBNAIL_BYTES,
  type CheckedAttachment,
  type UploadedFile,
} from './attachment-check'

const files = new Map<string, UploadedFile>([
  ['f-alice', { ownerId: 'u-alice', size: 1234, sha256: 'a'.repeat(64) }],
  ['f-bob', { ownerId: 'u-bob', size: 1234, sha256: 'b'.repeat(64) }],
])
const findFile = (id: string) => files.get(id)

function attachment(change: Partial<CheckedAttachment> = {}): CheckedAttachment {
  return {
    kind: AttachmentKind.FILE,
    fileId: 'f-alice',
    name: 'plan.pdf',
    size: 1234n,
    mime: 'application/pdf',
    sha256: 'a'.repeat(64),
    width: 0,
    height: 0,
    durationMs: 0,
    thumbnail: new Uint8Array(),
    thumbnailFileId: '',
    thumbnailMime: '',
    ...change,
  }
}

function refusal(run: () => unknown): { code: ErrorCode; message: string } {
  try {
    run()
  } catch (error) {
    const { code, message } = error as RequestError
    return { code, message }
  }
  throw new Error('expected a refusal')
}

describe('checkAttachment', () => {
  it('accepts a complete upload of the sender of the size it claims', () => {
    const checked = checkAttachment(attachment(), 'u-alice', findFile)
    expect(checked.fileId).toBe('f-alice')
    expect(checked.size).toBe(1234n)
  })

  it("refuses a content hash that is not the upload's, and fills in a missing one", () => {
    const wrong = refusal(() =>
      checkAttachment(attachment({ sha256: 'c'.repeat(64) }), 'u-alice', findFile),
    )
    expect(wrong).toMatchObject({ code: ErrorCode.BAD_REQUEST, message: /sha256/ })
    const filled = checkAttachment(attachment({ sha256: '' }), 'u-alice', findFile)
    expect(filled.sha256).toBe('a'.repeat(64))
  })

  it('accepts a file someone else uploaded when the sender names its content hash', () => {
    const checked = checkAttachment(
      attachment({ fileId: 'f-bob', sha256: 'b'.repeat(64) }),
      'u-alice',
      findFile,
    )
    expect(checked.fileId).toBe('f-bob')
  })

  it('refuses a missing, foreign or resized file with a clear reason', () => {
    expect(
      refusal(() => checkAttachment(attachment({ fileId: 'nope' }), 'u-alice', findFile)),
    ).toEqual({ code: ErrorCode.NOT_FOUND, message: 'attachment: no uploaded file nope' })
    expect(
      refusal(() => checkAttachment(attachment({ fileId: 'f-bob' }), 'u-alice', findFile)).code,
    ).toBe(ErrorCode.FORBIDDEN)
    expect(
      refusal(() => checkAttachment(attachment({ size: 99n }), 'u-alice', findFile)).message,
    ).toMatch(/does not match the upload's 1234 bytes/)
  })

  it('refuses an image that is not an image type and a voice message that is not audio', () => {
    expect(
      refusal(() =>
        checkAttachment(attachment({ kind: AttachmentKind.IMAGE }), 'u-alice', findFile),
      ).message,
    ).toBe('attachment: an image with type application/pdf')
    expect(
      refusal(() =>
        checkAttachment(
          attachment({ kind: AttachmentKind.VOICE, mime: 'image/png' }),
          'u-alice',
          findFile,
        ),
      ).code,
    ).toBe(ErrorCode.BAD_REQUEST)
  })

  it('the schema refuses path names, bad types, big thumbnails and a missing kind', () => {
    const bad = [
      attachment({ name: '../etc/passwd' }),
      attachment({ mime: 'pdf' }),
      attachment({
        thumbnail: new Uint8Array(MAX_THUMBNAIL_BYTES + 1),
        thumbnailMime: 'image/png',
      }),
      { ...attachment(), kind: AttachmentKind.UNSPECIFIED },
      attachment({ size: 0n }),
      attachment({ sha256: 'xyz' }),
    ]
    for (const value of bad) expect(attachmentSchema.safeParse(value).success).toBe(false)
    expect(attachmentSchema.safeParse(attachment()).success).toBe(true)
  })
})
