// One run of a file upload: check the size against the server's limit, hash, ask the server
// whether it has the content already, then send the chunks with work stealing and join them.
//
// Work stealing: every chunk is its own tus partial upload; N workers, each on its own TLS
// connection, take the next unsent chunk whenever they are free, so a slow connection simply
// sends fewer chunks. A chunk whose request failed goes back to the front of the queue, where
// the next free worker takes it. When every chunk is confirmed, a final upload joins them in
// order (`Upload-Concat: final`).
//
// Resuming: a chunk's URL is stored as soon as the server made it, its confirmed offset after
// every PATCH. A run starts by asking the server (HEAD) for the real offset of every partial it
// did not make itself, so nothing the server has is sent again.
import { createReadStream } from 'node:fs'
import { createLogger } from '../../../shared/logger'
import { fileIdentity, hashFile } from './file-hash'
import {
  encodeMetadata,
  header,
  integerHeader,
  OffsetMismatchError,
  RetryableError,
  tusRequest,
  UploadGoneError,
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
import {
  UploadError,
  type ChunkRecord,
  type UploadRecord,
  type UploadStateStore,
  type UploadStatus,
} from './upload-state'

const log = createLogger('upload')

/** Reads from disk per PATCH body; the socket's backpressure paces them. */
const READ_BUFFER_BYTES = 256 * 1024

/** 409s or vanished partials in a row on one chunk before it counts as a failed attempt. */
const MAX_CHUNK_RECOVERIES = 4

export interface RunSettings {
  store: UploadStateStore
  endpoint: EndpointSource
  streams: number
  retry: Required<RetryOptions>
  idleTimeoutMs: number
}

/** What a run tells the manager as it goes. */
export interface RunHooks {
  status(status: UploadStatus): Promise<void>
  /** Bytes of a chunk handed to the network since its request started (0 when it ends). */
  inFlight(index: number, bytes: number): void
  /** The server confirmed a chunk. */
  chunkDone(index: number, worker: number, bytes: number): void
  /** Body bytes handed to the network, for the resent-bytes count. */
  wire(bytes: number): void
}

/** Splits `size` bytes into chunks of `chunkSize` (the last one shorter; one empty for 0 bytes). */
export function planChunks(size: number, chunkSize: number): ChunkRecord[] {
  const count = Math.max(1, Math.ceil(size / chunkSize))
  return Array.from({ length: count }, (_, index) => ({
    index,
    start: index * chunkSize,
    length: Math.min(chunkSize, size - index * chunkSize),
    url: null,
    offset: 0,
  }))
}

export class FileUploadRun {
  /** Chunks whose offset this run knows matches the server's. */
  private readonly verified = new Set<number>()
  private failuresInRow = 0

  constructor(
    private readonly record: UploadRecord,
    private readonly settings: RunSettings,
    private readonly hooks: RunHooks,
    private readonly signal: AbortSignal,
  ) {}

  async run(): Promise<UploadResult> {
    const record = this.record
    await this.checkUnchanged()
    const session = await this.retrying('open the upload endpoint', () =>
      UploadSession.open(
        this.settings.endpoint,
        this.settings.streams,
        this.settings.idleTimeoutMs,
      ),
    )
    try {
      if (!record.finalUrl) {
        if (record.chunks.every((chunk) => chunk.url === null)) {
          await this.checkSizeLimit(session)
          const existing = await this.findByHash(session)
          if (existing) return existing
        }
        await this.hooks.status('uploading')
        await this.sendChunks(session)
        await this.checkUnchanged()
        await this.join(session)
      }
      return this.result(session)
    } finally {
      session.close()
    }
  }

  // The file must be the one the upload started with: same size, same modification time.
  private async checkUnchanged(): Promise<void> {
    const now = await fileIdentity(this.record.path!)
    if (now.size !== this.record.size || now.mtimeMs !== this.record.mtimeMs) {
      throw new UploadError(
        'FILE_CHANGED',
        `${this.record.path} changed since its upload started ` +
          `(size ${this.record.size} → ${now.size}); send it again`,
      )
    }
  }

  // Past the server's limit is a clear error before any byte (or any hashing) is spent on it.
  private async checkSizeLimit(session: UploadSession): Promise<void> {
    const answer = await this.retrying('ask the upload limit', () =>
      tusRequest(session.target(this.signal), 'OPTIONS', session.collection, {}),
    )
    const limit = Number(header(answer, 'tus-max-size') ?? NaN)
    if (Number.isFinite(limit) && limit > 0 && this.record.size! > limit) {
      throw new UploadError(
        'FILE_TOO_LARGE',
        `${this.record.name} is ${formatBytes(this.record.size!)}; ` +
          `the server accepts files up to ${formatBytes(limit)}`,
      )
    }
  }

  // Hash first; a file the server has already is done without sending a byte.
  private async findByHash(session: UploadSession): Promise<UploadResult | null> {
    const record = this.record
    if (!record.sha256) {
      await this.hooks.status('hashing')
      const started = Date.now()
      record.sha256 = await hashFile(record.path!, this.signal)
      await this.settings.store.saveUpload(record)
      log.debug({ uploadId: record.id, durationMs: Date.now() - started }, 'file hashed')
    }
    const url = session.resolve(`/files/by-hash/${record.sha256}`)
    const answer = await this.retrying('look the content hash up', () =>
      tusRequest(session.target(this.signal), 'GET', url, { Accept: 'application/json' }),
    )
    if (answer.status !== 200) return null
    const found = JSON.parse(answer.body) as { fileId?: string; size?: number }
    if (!found.fileId || found.size !== record.size) return null
    record.fileId = found.fileId
    record.finalUrl = `/files/${found.fileId}`
    await this.settings.store.saveUpload(record)
    log.info({ uploadId: record.id, fileId: found.fileId }, 'server has the content already')
    return { ...this.result(session), deduplicated: true }
  }

  private async sendChunks(session: UploadSession): Promise<void> {
    const record = this.record
    if (record.chunks.length === 0) {
      throw new Error(`upload ${record.id} has no chunks planned`)
    }
    const queue = record.chunks.filter((chunk) => chunk.url === null || chunk.offset < chunk.length)
    const workers = Math.min(this.settings.streams, queue.length)

    // One fatal error stops every worker: their requests are aborted with it.
    const stop = new AbortController()
    const signal = AbortSignal.any([this.signal, stop.signal])
    let fatal: unknown = null

    const work = async (worker: number): Promise<void> => {
      while (queue.length > 0 && !signal.aborted) {
        const chunk = queue.shift()!
        try {
          await this.sendChunk(session, worker, chunk, signal)
          this.failuresInRow = 0
          this.hooks.chunkDone(chunk.index, worker, chunk.length)
        } catch (error) {
          this.hooks.inFlight(chunk.index, 0)
          if (!(error instanceof RetryableError) || signal.aborted) {
            fatal ??= error
            stop.abort(error)
            return
          }
          queue.unshift(chunk)
          this.verified.delete(chunk.index)
          await this.afterFailure(error, session, signal).catch((failed: unknown) => {
            fatal ??= failed
            stop.abort(failed)
          })
        }
      }
    }
    await Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)))
    if (this.signal.aborted) throw this.signal.reason as Error
    if (fatal) throw fatal
  }

  /** Makes the chunk's partial upload if needed and sends what the server does not have yet. */
  private async sendChunk(
    session: UploadSession,
    worker: number,
    chunk: ChunkRecord,
    signal: AbortSignal,
  ): Promise<void> {
    const target = session.target(signal, worker)
    for (let recoveries = 0; ; recoveries += 1) {
      if (recoveries > MAX_CHUNK_RECOVERIES) {
        throw new RetryableError(`chunk ${chunk.index} kept disagreeing with the server`)
      }
      try {
        if (chunk.url === null) await this.createPartial(session, target, chunk)
        if (!this.verified.has(chunk.index)) {
          const head = await tusRequest(target, 'HEAD', session.resolve(chunk.url!), {})
          await this.confirm(chunk, integerHeader(head, 'upload-offset'))
        }
        if (chunk.offset >= chunk.length) return
        const answer = await this.patch(session, target, chunk)
        await this.confirm(chunk, integerHeader(answer, 'upload-offset'))
        if (chunk.offset >= chunk.length) return
      } catch (error) {
        if (error instanceof OffsetMismatchError) {
          this.verified.delete(chunk.index)
          continue
        }
        if (error instanceof UploadGoneError) {
          log.warn(
            { uploadId: this.record.id, chunk: chunk.index },
            'partial gone; making it again',
          )
          chunk.url = null
          await this.confirm(chunk, 0)
          continue
        }
        throw error
      }
    }
  }

  private async createPartial(
    session: UploadSession,
    target: ReturnType<UploadSession['target']>,
    chunk: ChunkRecord,
  ): Promise<void> {
    const answer = await tusRequest(target, 'POST', session.collection, {
      'Upload-Concat': 'partial',
      'Upload-Length': String(chunk.length),
    })
    const location = header(answer, 'location')
    if (!location) throw new RetryableError('the upload server made a partial without a Location')
    chunk.url = new URL(location, session.collection).pathname
    await this.confirm(chunk, 0)
  }

  private async confirm(chunk: ChunkRecord, offset: number): Promise<void> {
    if (offset > chunk.length) {
      throw new UploadError(
        'REFUSED',
        `the server claims ${offset} bytes of a ${chunk.length}-byte chunk`,
      )
    }
    chunk.offset = offset
    if (chunk.url !== null) this.verified.add(chunk.index)
    else this.verified.delete(chunk.index)
    await this.settings.store.saveChunk(this.record.id, chunk)
  }

  /** One PATCH with the chunk's remaining bytes, streamed from disk. */
  private patch(
    session: UploadSession,
    target: ReturnType<UploadSession['target']>,
    chunk: ChunkRecord,
  ): Promise<TusAnswer> {
    const remaining = chunk.length - chunk.offset
    const body = createReadStream(this.record.path!, {
      start: chunk.start + chunk.offset,
      end: chunk.start + chunk.length - 1,
      highWaterMark: READ_BUFFER_BYTES,
    })
    let sent = 0
    body.on('data', (data) => {
      sent += data.length
      this.hooks.wire(data.length)
      this.hooks.inFlight(chunk.index, sent)
    })
    const done = tusRequest(
      target,
      'PATCH',
      session.resolve(chunk.url!),
      {
        'Upload-Offset': String(chunk.offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(remaining),
      },
      body,
    )
    return done.finally(() => this.hooks.inFlight(chunk.index, 0))
  }

  // The final upload: the partials joined in order. Joining the same list again answers the
  // same final upload, so a retry after a lost answer makes no second file.
  private async join(session: UploadSession): Promise<void> {
    const record = this.record
    const answer = await this.retrying('join the chunks', () =>
      tusRequest(session.target(this.signal), 'POST', session.collection, {
        'Upload-Concat': `final;${record.chunks.map((chunk) => chunk.url).join(' ')}`,
        'Upload-Metadata': encodeMetadata({ filename: record.name, filetype: record.mime }),
      }),
    )
    const location = header(answer, 'location')
    if (!location)
      throw new UploadError('REFUSED', 'the server joined the chunks without a Location')
    const finalPath = new URL(location, session.collection).pathname
    record.finalUrl = finalPath
    record.fileId = header(answer, 'tack-file-id') ?? finalPath.split('/').pop()!
    const serverHash = header(answer, 'tack-file-sha256')
    if (serverHash && serverHash !== record.sha256) {
      throw new UploadError(
        'REFUSED',
        `the server's copy of ${record.name} has SHA-256 ${serverHash}, not ${record.sha256}`,
      )
    }
    await this.settings.store.saveUpload(record)
  }

  private result(session: UploadSession): UploadResult {
    const record = this.record
    return {
      uploadId: record.id,
      fileId: record.fileId!,
      url: session.resolve(`/files/${record.fileId}`).href,
      sha256: record.sha256!,
      size: record.size!,
      deduplicated: false,
    }
  }

  /** Runs a control request, retrying network failures and 5xx with backoff. */
  private async retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const value = await attempt()
        this.failuresInRow = 0
        return value
      } catch (error) {
        if (!(error instanceof RetryableError) || this.signal.aborted) throw error
        log.warn({ uploadId: this.record.id, what, detail: error.message }, 'upload request failed')
        await this.afterFailure(error, null, this.signal)
      }
    }
  }

  /** Counts a failure, fails the upload past the limit, else backs off and takes the endpoint again. */
  private async afterFailure(
    error: RetryableError,
    session: UploadSession | null,
    signal: AbortSignal,
  ): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.settings.retry
    if (error instanceof NoEndpointError) {
      await sleep(backoffDelay(6, baseDelayMs, maxDelayMs), signal)
      return
    }
    this.failuresInRow += 1
    if (this.failuresInRow >= maxAttempts) {
      throw new UploadError(
        'UNREACHABLE',
        `gave up after ${this.failuresInRow} failed attempts: ${error.message}`,
      )
    }
    await sleep(backoffDelay(this.failuresInRow, baseDelayMs, maxDelayMs), signal)
    await session?.refresh(this.settings.endpoint).catch(() => undefined)
  }
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`
}
