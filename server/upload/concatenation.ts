// The tus concatenation extension's final upload, which @tus/server 2.4.5 answers with 501: the
// caller's finished partial uploads, joined in the order listed into one file.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { Metadata, Upload } from '@tus/server'
import type { FileStore } from '@tus/file-store'
import type { User } from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import type { Storage, UploadRecord } from '../storage/storage'
import { FILE_ID } from './downloads'
import { BadMetadata, appendFiles, labelOf } from './finished-files'
import { TUS_VERSION, overLimitSentence, refuse } from './http-answers'

const log = createLogger('upload')

export interface ConcatenationOptions {
  storage: Storage
  store: FileStore
  directory: string
  maxSizeBytes: number
  /** While a join takes longer than this, a `102 Processing` goes out each time it passes. */
  processingIntervalMs: number
}

/** A refusal of the final upload: status and the sentence for the caller. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export class Concatenation {
  /** Final uploads being joined, by owner and parts: a repeat waits for the first. */
  private readonly joining = new Map<string, Promise<UploadRecord>>()

  constructor(private readonly options: ConcatenationOptions) {}

  /** Serves `POST /uploads` with `Upload-Concat: final;<url> <url> ...`. */
  async createFinal(
    request: IncomingMessage,
    response: ServerResponse,
    user: User,
    header: string,
  ): Promise<void> {
    try {
      const partIds = partIdsOf(header)
      const key = `${user.id} ${partIds.join(' ')}`
      let joined = this.joining.get(key)
      if (!joined) {
        joined = this.join(request, user, partIds).finally(() => this.joining.delete(key))
        this.joining.set(key, joined)
      }
      // Joining gigabytes takes seconds: interim answers keep idle timeouts of clients at bay.
      const processing = setInterval(
        () => response.destroyed || response.writeProcessing(),
        this.options.processingIntervalMs,
      )
      const final = await joined.finally(() => clearInterval(processing))
      const file = this.options.storage.findFile(final.uploadId)!
      response.writeHead(201, {
        'Tus-Resumable': TUS_VERSION,
        Location: `https://${request.headers.host}/uploads/${final.uploadId}`,
        'Upload-Offset': String(file.size),
        'Tack-File-Id': file.fileId,
        'Tack-File-Sha256': file.sha256,
      })
      response.end()
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      log.info({ userId: user.id, status: error.status, reason: error.message }, 'final refused')
      refuse(request, response, error.status, error.message)
    }
  }

  /** The owner's final upload of these parts: an earlier one, or one joined now. */
  private async join(
    request: IncomingMessage,
    user: User,
    partIds: string[],
  ): Promise<UploadRecord> {
    const { storage, store, directory, maxSizeBytes } = this.options
    const earlier = storage.findFinalUpload(user.id, partIds)
    if (earlier) return earlier

    const size = await this.checkParts(user, partIds)
    if (size > maxSizeBytes) throw new Refusal(413, overLimitSentence(maxSizeBytes, size))
    const metadata = metadataOf(request)
    const label = labelOrRefusal(metadata)

    const started = Date.now()
    const id = randomBytes(16).toString('hex')
    await store.create(new Upload({ id, size, offset: 0, metadata }))
    const sha256 = await appendFiles(
      join(directory, id),
      partIds.map((partId) => join(directory, partId)),
    )
    const final: UploadRecord = {
      uploadId: id,
      ownerId: user.id,
      concat: 'final',
      partIds,
      createdAtMs: Date.now(),
    }
    storage.saveUpload(final)
    storage.saveFile({
      fileId: id,
      ownerId: user.id,
      size,
      sha256,
      ...label,
      createdAtMs: Date.now(),
    })

    // The parts are inside the file now; a repeat of this request finds the final upload.
    for (const partId of new Set(partIds)) await store.remove(partId)
    storage.deleteUploads(partIds)
    log.info(
      {
        userId: user.id,
        fileId: id,
        parts: partIds.length,
        size,
        durationMs: Date.now() - started,
      },
      'final upload joined',
    )
    return final
  }

  /** Every part must be the caller's own finished partial upload; returns their total size. */
  private async checkParts(user: User, partIds: string[]): Promise<number> {
    let total = 0
    for (const partId of partIds) {
      const record = this.options.storage.findUpload(partId)
      if (!record || record.ownerId !== user.id || record.concat !== 'partial') {
        throw new Refusal(400, `/uploads/${partId} is not one of your partial uploads`)
      }
      const part = await this.options.store.getUpload(partId).catch(() => {
        throw new Refusal(400, `partial upload /uploads/${partId} is gone (expired or deleted)`)
      })
      if (part.size === undefined || part.offset !== part.size) {
        throw new Refusal(
          400,
          `partial upload /uploads/${partId} is not finished: ${part.offset} of ` +
            `${part.size ?? 'an unknown number of'} bytes`,
        )
      }
      total += part.size
    }
    return total
  }
}

/** The upload ids of `final;<url> <url> ...`, absolute or relative URLs alike. */
function partIdsOf(header: string): string[] {
  const urls = header.slice('final;'.length).trim().split(/\s+/).filter(Boolean)
  if (!urls.length) throw new Refusal(400, 'Upload-Concat: final; lists no partial uploads')
  return urls.map((url) => {
    const match = /^\/uploads\/([^/]+)$/.exec(pathOf(url))
    if (!match || !FILE_ID.test(match[1]!)) {
      throw new Refusal(400, `${url} is not an upload of this server`)
    }
    return match[1]!
  })
}

/** The path of an absolute or relative URL; '' for one that is not a URL (`http://[::1`). */
function pathOf(url: string): string {
  try {
    return new URL(url, 'https://placeholder').pathname
  } catch {
    return ''
  }
}

function metadataOf(request: IncomingMessage): Upload['metadata'] {
  const header = request.headers['upload-metadata']
  if (typeof header !== 'string' || !header) return undefined
  try {
    return Metadata.parse(header)
  } catch {
    throw new Refusal(400, 'Upload-Metadata is not key base64value pairs separated by commas')
  }
}

function labelOrRefusal(metadata: Upload['metadata']) {
  try {
    return labelOf(metadata)
  } catch (error) {
    if (error instanceof BadMetadata) throw new Refusal(400, error.message)
    throw error
  }
}
