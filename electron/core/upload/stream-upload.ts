// A recording sent while it is being made: one tus upload with deferred length
// (`Upload-Defer-Length: 1`). Bytes are sent as they arrive, in PATCHes of whatever has queued
// up meanwhile; the last PATCH declares `Upload-Length`. Bytes stay in memory until the server
// confirms them, so a failed PATCH is sent again from the server's real offset.
import { createHash } from 'node:crypto'
import { createLogger } from '../../../shared/logger'
import {
  encodeMetadata,
  header,
  integerHeader,
  OffsetMismatchError,
  RetryableError,
  tusRequest,
  type TusAnswer,
} from './tus-http'
import type { RetryOptions, UploadResult } from './upload-manager'
import {
  backoffDelay,
  NoEndpointError,
  sleep,
  UploadSession,
  type EndpointSource,
} from './upload-session'
import { UploadError, type UploadRecord, type UploadStateStore } from './upload-state'

const log = createLogger('upload')

/** At most this much in one PATCH. */
const MAX_PATCH_BYTES = 4 * 1024 * 1024
/** `write()` waits while this much is unconfirmed. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024

export interface StreamSettings {
  store: UploadStateStore
  endpoint: EndpointSource
  retry: Required<RetryOptions>
  idleTimeoutMs: number
}

export interface StreamHooks {
  confirmed(bytes: number): void
  wire(bytes: number): void
}

export class StreamUploadRun {
  private readonly hash = createHash('sha256')
  /** Bytes written and not yet confirmed, oldest first; `base` is the offset of the first. */
  private pending: Buffer[] = []
  private pendingBytes = 0
  private base = 0
  private written = 0
  private ended = false
  private failed: Error | null = null
  private wake: (() => void) | null = null
  private drained: (() => void)[] = []

  constructor(
    private readonly record: UploadRecord,
    private readonly settings: StreamSettings,
    private readonly hooks: StreamHooks,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => {
      this.fail(signal.reason as Error)
      this.wake?.()
    })
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.ended) throw new Error('write after end of a streaming upload')
    if (this.failed) throw this.failed
    const copy = Buffer.from(bytes)
    this.hash.update(copy)
    this.pending.push(copy)
    this.pendingBytes += copy.length
    this.written += copy.length
    this.wake?.()
    while (this.pendingBytes >= MAX_QUEUED_BYTES && !this.failed && !this.signal.aborted) {
      await new Promise<void>((resolve) => this.drained.push(resolve))
    }
    if (this.failed) throw this.failed
  }

  end(): void {
    this.ended = true
    this.wake?.()
  }

  /** Stops writers waiting for room: the run failed or was stopped. */
  fail(error: Error): void {
    this.failed = error
    for (const resolve of this.drained.splice(0)) resolve()
  }

  async run(): Promise<UploadResult> {
    const record = this.record
    const session = await this.retrying(null, () =>
      UploadSession.open(this.settings.endpoint, 1, this.settings.idleTimeoutMs),
    )
    try {
      if (!record.chunks[0]!.url) await this.create(session)
      let last: TusAnswer
      for (;;) {
        await this.nextBatch()
        const finishing = this.ended
        last = await this.retrying(session, () => this.patch(session, finishing))
        if (finishing && this.base === this.written) break
      }
      record.size = this.written
      record.sha256 = this.hash.digest('hex')
      record.fileId = header(last, 'tack-file-id') ?? record.chunks[0]!.url!.split('/').pop()!
      record.finalUrl = record.chunks[0]!.url
      await this.settings.store.saveUpload(record)
      return {
        uploadId: record.id,
        fileId: record.fileId,
        url: session.resolve(`/files/${record.fileId}`).href,
        sha256: record.sha256,
        size: record.size,
        deduplicated: false,
      }
    } finally {
      session.close()
    }
  }

  private async create(session: UploadSession): Promise<void> {
    const record = this.record
    const answer = await this.retrying(session, () =>
      tusRequest(session.target(this.signal), 'POST', session.collection, {
        'Upload-Defer-Length': '1',
        'Upload-Metadata': encodeMetadata({ filename: record.name, filetype: record.mime }),
      }),
    )
    const location = header(answer, 'location')
    if (!location) throw new UploadError('REFUSED', 'the server made the upload without a Location')
    record.chunks[0]!.url = new URL(location, session.collection).pathname
    await this.settings.store.saveChunk(record.id, record.chunks[0]!)
  }

  /** Waits for bytes to send, or for the end. */
  private async nextBatch(): Promise<void> {
    while (this.pendingBytes === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve))
      this.wake = null
      if (this.signal.aborted) throw this.signal.reason as Error
    }
  }

  /** One PATCH of what is queued (up to MAX_PATCH_BYTES); the last one declares the length. */
  private async patch(session: UploadSession, finishing: boolean): Promise<TusAnswer> {
    const body = this.take(MAX_PATCH_BYTES)
    const declares = finishing && this.base + body.length === this.written
    const headers: Record<string, string> = {
      'Upload-Offset': String(this.base),
      'Content-Type': 'application/offset+octet-stream',
    }
    if (declares) headers['Upload-Length'] = String(this.written)
    this.hooks.wire(body.length)
    const answer = await tusRequest(
      session.target(this.signal, 0),
      'PATCH',
      session.resolve(this.record.chunks[0]!.url!),
      headers,
      body,
    ).catch(async (error: unknown) => {
      // Whatever the server kept of a failed PATCH is not sent again; a 409 says where it is.
      if (error instanceof OffsetMismatchError) {
        if (error.serverOffset === null) await this.syncOffset(session).catch(() => undefined)
        else this.acknowledge(error.serverOffset)
        throw new RetryableError('the server had a different offset for the recording')
      }
      if (error instanceof RetryableError) await this.syncOffset(session).catch(() => undefined)
      throw error
    })
    this.acknowledge(integerHeader(answer, 'upload-offset'))
    return answer
  }

  private async syncOffset(session: UploadSession): Promise<void> {
    const head = await tusRequest(
      session.target(this.signal, 0),
      'HEAD',
      session.resolve(this.record.chunks[0]!.url!),
      {},
    )
    this.acknowledge(integerHeader(head, 'upload-offset'))
  }

  /** The first `max` pending bytes, without removing them. */
  private take(max: number): Buffer {
    const parts: Buffer[] = []
    let size = 0
    for (const part of this.pending) {
      if (size >= max) break
      const piece = part.subarray(0, max - size)
      parts.push(piece)
      size += piece.length
    }
    return Buffer.concat(parts, size)
  }

  /** The server has everything before `offset`: drop it from memory. */
  private acknowledge(offset: number): void {
    if (offset < this.base || offset > this.written) {
      throw new UploadError('REFUSED', `the server's offset ${offset} is outside what was sent`)
    }
    let drop = offset - this.base
    while (drop > 0) {
      const first = this.pending[0]!
      if (first.length <= drop) {
        this.pending.shift()
        drop -= first.length
      } else {
        this.pending[0] = first.subarray(drop)
        drop = 0
      }
    }
    this.pendingBytes = this.written - offset
    this.base = offset
    this.record.chunks[0]!.offset = offset
    this.hooks.confirmed(offset)
    if (this.pendingBytes < MAX_QUEUED_BYTES)
      for (const resolve of this.drained.splice(0)) resolve()
    void this.settings.store
      .saveChunk(this.record.id, this.record.chunks[0]!)
      .catch(() => undefined)
  }

  private async retrying<T>(session: UploadSession | null, attempt: () => Promise<T>): Promise<T> {
    for (let failures = 1; ; failures += 1) {
      try {
        return await attempt()
      } catch (error) {
        if (!(error instanceof RetryableError) || this.signal.aborted) throw error
        const { maxAttempts, baseDelayMs, maxDelayMs } = this.settings.retry
        if (error instanceof NoEndpointError) failures = 1
        if (failures >= maxAttempts) {
          throw new UploadError(
            'UNREACHABLE',
            `gave up after ${failures} failed attempts: ${error.message}`,
          )
        }
        log.warn(
          { uploadId: this.record.id, detail: error.message },
          'recording upload failed; retrying',
        )
        await sleep(backoffDelay(failures, baseDelayMs, maxDelayMs), this.signal)
        await session?.refresh(this.settings.endpoint).catch(() => undefined)
      }
    }
  }
}
