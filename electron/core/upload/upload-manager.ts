// The upload manager: sends files to the server's tus endpoint in chunks over several parallel
// connections, keeps every upload's state in the encrypted store so it resumes after a restart,
// and skips files the server already has (by content hash). Plain Node: no electron import.
import { randomUUID } from 'node:crypto'
import { createLogger } from '../../../shared/logger'
import { fileIdentity, unreadable } from './file-hash'
import { FileUploadRun, planChunks } from './file-upload'
import { StreamUploadRun } from './stream-upload'
import { tusRequest } from './tus-http'
import { TypedEmitter } from './typed-emitter'
import { UploadSession } from './upload-session'
import {
  UploadError,
  type UploadErrorCode,
  type UploadKind,
  type UploadRecord,
  type UploadStateStore,
  type UploadStatus,
} from './upload-state'

export {
  UploadError,
  type UploadErrorCode,
  type UploadKind,
  type UploadRecord,
  type UploadStateStore,
  type UploadStatus,
} from './upload-state'

const log = createLogger('upload')

/** Where uploads go, asked again before each request (the ticket or port may change). */
export interface UploadEndpoint {
  /**
   * The server's upload origin, e.g. `https://127.0.0.1:7445`: tus uploads at `/uploads`, files
   * at `/files/<fileId>`, the lookup by content hash at `/files/by-hash/<sha256>`.
   */
  url: string
  /** The session ticket, sent as `Authorization: Bearer <ticket>`. */
  ticket: string
  /** PEM of the CA the server's certificate is checked against. Verification is never off. */
  ca: string
}

export interface RetryOptions {
  /** First backoff; each failed attempt doubles it, with full jitter. Default 500. */
  baseDelayMs?: number
  /** Longest backoff. Default 30000. */
  maxDelayMs?: number
  /**
   * Failed attempts in a row without progress before the upload fails as UNREACHABLE. Any
   * confirmed byte resets the count. Default 12.
   */
  maxAttempts?: number
}

export interface UploadManagerOptions {
  /** Keeps every upload's state; the encrypted Store in the app. */
  store: UploadStateStore
  /**
   * The server's upload endpoint, or null while there is none (signed out, no session yet);
   * uploads then wait and retry with backoff.
   */
  endpoint: () => UploadEndpoint | null | Promise<UploadEndpoint | null>
  /** Parallel connections per upload, each its own TLS connection. Default 4. */
  parallelStreams?: number
  /**
   * Bytes per chunk; each chunk is one tus partial upload. Default: about four chunks per stream,
   * between 1 MiB and 8 MiB (chunkSizeFor), so a small file still uses every stream and a big one
   * pays a round trip per 8 MiB at most.
   */
  chunkSize?: number
  retry?: RetryOptions
  /** A request whose connection is silent this long is given up and retried. Default 30000. */
  requestIdleTimeoutMs?: number
}

export interface StartUploadParams {
  /** A file on disk; read in ranges, never whole into memory. */
  path: string
  /** The name the file is shown and downloaded with. */
  name: string
  mime: string
  conversationId?: string
}

export interface StreamingUploadParams {
  name: string
  mime: string
  conversationId?: string
}

/** A recording sent while it is being made (tus deferred length). */
export interface StreamingUpload {
  uploadId: string
  /** Queues bytes to send; resolves once they are taken (waits while too much is queued). */
  write(chunk: Uint8Array): Promise<void>
  /** Declares the length and resolves when the upload is complete on the server. */
  end(): Promise<UploadResult>
}

export interface UploadResult {
  uploadId: string
  /** The server's id of the file (the last path segment of its URL). */
  fileId: string
  /** Where the file downloads from (range requests work there). */
  url: string
  /** Hex SHA-256 of the content. */
  sha256: string
  size: number
  /** The server had the file already, so no byte was sent. */
  deduplicated: boolean
}

export interface UploadInfo {
  uploadId: string
  kind: UploadKind
  name: string
  mime: string
  conversationId: string | null
  status: UploadStatus
  /** Bytes the server has confirmed. */
  sentBytes: number
  /** Null while a recording's length is unknown. */
  totalBytes: number | null
  sha256: string | null
  fileId: string | null
  url: string | null
  error: { code: UploadErrorCode; message: string } | null
}

export interface UploadEvents {
  progress: { uploadId: string; sentBytes: number; totalBytes: number | null }
  done: UploadResult
  failed: { uploadId: string; error: UploadError }
  cancelled: { uploadId: string }
  /** A chunk the server confirmed, and which worker sent it (for tests and the benchmark). */
  chunk: { uploadId: string; index: number; worker: number; bytes: number }
}

export const DEFAULT_PARALLEL_STREAMS = 4
export const MIN_CHUNK_SIZE = 1024 * 1024
export const MAX_CHUNK_SIZE = 8 * 1024 * 1024
/** Chunks per stream the default chunk size aims at: enough for slow streams to send fewer. */
const CHUNKS_PER_STREAM = 4

/** The default chunk size for a file of `size` bytes over `streams` streams (256 KiB steps). */
export function chunkSizeFor(size: number, streams: number): number {
  const step = 256 * 1024
  const aimed = Math.ceil(size / (streams * CHUNKS_PER_STREAM) / step) * step
  return Math.min(MAX_CHUNK_SIZE, Math.max(MIN_CHUNK_SIZE, aimed))
}

/** Why a run was stopped from outside; not a failure. */
class Stopped extends Error {
  constructor(readonly why: 'pause' | 'cancel' | 'close') {
    super(`upload ${why}`)
    this.name = 'Stopped'
  }
}

interface ActiveRun {
  controller: AbortController
  finished: Promise<void>
  /** Bytes of chunks in flight, handed to the network but not confirmed. */
  inFlight: Map<number, number>
  stream: StreamUploadRun | null
}

const FINAL: readonly UploadStatus[] = ['done', 'cancelled']
const PROGRESS_EVERY_MS = 100
/** A finished upload stays in `list()` this long, then `restore()` forgets it. */
const DONE_KEPT_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Usage: `const uploads = new UploadManager({ store, endpoint })`, `await uploads.restore()`
 * once (resumes what a previous run left unfinished), then `start(...)` and listen to events.
 */
export class UploadManager extends TypedEmitter<UploadEvents> {
  private readonly records = new Map<string, UploadRecord>()
  private readonly runs = new Map<string, ActiveRun>()
  private readonly lastProgressAt = new Map<string, number>()
  private readonly retry: Required<RetryOptions>
  private closed = false
  private bodyBytes = 0
  private lastOrigin: string | null = null
  /** The endpoint source, remembering the origin for URLs of uploads done before. */
  private readonly endpoint = async (): Promise<UploadEndpoint | null> => {
    const endpoint = await this.options.endpoint()
    if (endpoint) this.lastOrigin = endpoint.url
    return endpoint
  }

  readonly parallelStreams: number

  constructor(private readonly options: UploadManagerOptions) {
    super()
    this.parallelStreams = Math.max(1, options.parallelStreams ?? DEFAULT_PARALLEL_STREAMS)
    this.retry = {
      baseDelayMs: options.retry?.baseDelayMs ?? 500,
      maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
      maxAttempts: options.retry?.maxAttempts ?? 12,
    }
  }

  /** File bytes this manager handed to the network, resent ones included (for measuring). */
  get bytesOnWire(): number {
    return this.bodyBytes
  }

  /**
   * Loads the uploads kept in the store (forgetting those done over a week ago) and resumes
   * every unfinished one (paused ones stay paused): each partial's real offset is asked from the server first, so nothing it has is
   * sent again. A file that changed since fails with FILE_CHANGED; a recording cut off by the
   * restart fails with INTERRUPTED.
   */
  async restore(): Promise<void> {
    const keepDoneSince = Date.now() - DONE_KEPT_MS
    for (const record of await this.options.store.loadUploads()) {
      if (this.records.has(record.id)) continue
      if (record.status === 'done' && record.updatedAt < keepDoneSince) {
        await this.options.store.deleteUpload(record.id)
        continue
      }
      this.records.set(record.id, record)
      if (record.status !== 'hashing' && record.status !== 'uploading') continue
      if (record.kind === 'stream') {
        const error = new UploadError(
          'INTERRUPTED',
          `the recording ${record.name} was cut off by a restart`,
        )
        await this.fail(record, error)
        continue
      }
      log.info({ uploadId: record.id }, 'resuming upload after restart')
      this.launch(record)
    }
  }

  /**
   * Starts uploading a file and resolves with its upload id once the upload is kept in the
   * store. Hashes it first and skips sending when the server has the content already. Rejects
   * with FILE_UNREADABLE when the file cannot be read; later failures are `failed` events.
   */
  async start(params: StartUploadParams): Promise<string> {
    this.assertOpen()
    const { size, mtimeMs } = await fileIdentity(params.path)
    const chunkSize = Math.max(
      1,
      this.options.chunkSize ?? chunkSizeFor(size, this.parallelStreams),
    )
    const record = this.newRecord('file', params, {
      path: params.path,
      size,
      mtimeMs,
      chunkSize,
      chunks: planChunks(size, chunkSize),
      status: 'hashing',
    })
    await this.options.store.saveUpload(record)
    this.records.set(record.id, record)
    log.info({ uploadId: record.id, size, chunks: record.chunks.length }, 'upload started')
    this.launch(record)
    return record.id
  }

  /** Starts a recording's upload whose length is known only at `end()`. */
  async startStreaming(params: StreamingUploadParams): Promise<StreamingUpload> {
    this.assertOpen()
    const record = this.newRecord('stream', params, {
      path: null,
      size: null,
      mtimeMs: null,
      chunkSize: 0,
      chunks: [{ index: 0, start: 0, length: 0, url: null, offset: 0 }],
      status: 'uploading',
    })
    await this.options.store.saveUpload(record)
    this.records.set(record.id, record)
    const run = this.launch(record)
    const stream = run.stream!
    return {
      uploadId: record.id,
      write: (chunk) => stream.write(chunk),
      end: () => {
        stream.end()
        return this.result(record.id)
      },
    }
  }

  /** Resolves when the upload is done; rejects with its UploadError when it fails or is cancelled. */
  result(uploadId: string): Promise<UploadResult> {
    return new Promise<UploadResult>((resolve, reject) => {
      const settled = this.settledResult(uploadId)
      if (settled) {
        if (settled instanceof UploadError) reject(settled)
        else resolve(settled)
        return
      }
      const offs = [
        this.on('done', (done) => done.uploadId === uploadId && finish(() => resolve(done))),
        this.on(
          'failed',
          (failed) => failed.uploadId === uploadId && finish(() => reject(failed.error)),
        ),
        this.on(
          'cancelled',
          (cancelled) =>
            cancelled.uploadId === uploadId &&
            finish(() => reject(new UploadError('CANCELLED', 'the upload was cancelled'))),
        ),
      ]
      const finish = (settle: () => void): void => {
        for (const off of offs) off()
        settle()
      }
    })
  }

  /** Stops sending; chunks in flight are abandoned, what the server confirmed stays. */
  async pause(uploadId: string): Promise<void> {
    const record = this.require(uploadId)
    if (record.kind === 'stream') throw new Error('a recording cannot be paused')
    if (FINAL.includes(record.status) || record.status === 'failed') return
    await this.stopRun(uploadId, 'pause')
    await this.setStatus(record, 'paused')
  }

  /** Continues a paused upload, or retries a failed one. */
  async resume(uploadId: string): Promise<void> {
    this.assertOpen()
    const record = this.require(uploadId)
    if (this.runs.has(uploadId) || FINAL.includes(record.status)) return
    if (record.kind === 'stream')
      throw new UploadError('INTERRUPTED', 'a failed recording cannot be sent again')
    record.error = null
    await this.setStatus(record, record.sha256 ? 'uploading' : 'hashing')
    this.launch(record)
  }

  /** Stops the upload, deletes its partial uploads on the server and forgets it. */
  async cancel(uploadId: string): Promise<void> {
    const record = this.require(uploadId)
    if (record.status === 'done') return
    await this.stopRun(uploadId, 'cancel')
    await this.terminate(record)
    await this.options.store.deleteUpload(uploadId)
    record.status = 'cancelled'
    this.records.delete(uploadId)
    log.info({ uploadId }, 'upload cancelled')
    this.emit('cancelled', { uploadId })
  }

  /** Every upload kept, oldest first. */
  list(): UploadInfo[] {
    return [...this.records.values()].map((record) => this.info(record))
  }

  /** Stops every upload without cancelling it (sign-out, shutdown); `restore()` continues. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.runs.keys()].map((id) => this.stopRun(id, 'close')))
  }

  private newRecord(
    kind: UploadKind,
    params: StreamingUploadParams,
    rest: Pick<UploadRecord, 'path' | 'size' | 'mtimeMs' | 'chunkSize' | 'chunks' | 'status'>,
  ): UploadRecord {
    const now = Date.now()
    return {
      id: randomUUID(),
      kind,
      name: params.name,
      mime: params.mime,
      conversationId: params.conversationId ?? null,
      sha256: null,
      finalUrl: null,
      fileId: null,
      error: null,
      createdAt: now,
      updatedAt: now,
      ...rest,
    }
  }

  private launch(record: UploadRecord): ActiveRun {
    const controller = new AbortController()
    const run: ActiveRun = {
      controller,
      finished: Promise.resolve(),
      inFlight: new Map(),
      stream: null,
    }
    const settings = {
      store: this.options.store,
      endpoint: this.endpoint,
      streams: this.parallelStreams,
      retry: this.retry,
      idleTimeoutMs: this.options.requestIdleTimeoutMs ?? 30_000,
    }
    let work: Promise<UploadResult>
    if (record.kind === 'stream') {
      run.stream = new StreamUploadRun(
        record,
        settings,
        {
          confirmed: () => this.progress(record, true),
          wire: (bytes) => (this.bodyBytes += bytes),
        },
        controller.signal,
      )
      work = run.stream.run()
    } else {
      work = new FileUploadRun(
        record,
        settings,
        {
          status: (status) => this.setStatus(record, status),
          inFlight: (index, bytes) => {
            if (bytes === 0) run.inFlight.delete(index)
            else run.inFlight.set(index, bytes)
            this.progress(record, false)
          },
          chunkDone: (index, worker, bytes) => {
            this.emit('chunk', { uploadId: record.id, index, worker, bytes })
            this.progress(record, true)
          },
          wire: (bytes) => (this.bodyBytes += bytes),
        },
        controller.signal,
      ).run()
    }
    this.runs.set(record.id, run)
    run.finished = work
      .then(
        (result) => this.succeed(record, result),
        (error: unknown) => this.settleFailure(record, run, error),
      )
      .finally(() => {
        if (this.runs.get(record.id) === run) this.runs.delete(record.id)
      })
    return run
  }

  private async succeed(record: UploadRecord, result: UploadResult): Promise<void> {
    this.runs.delete(record.id)
    await this.setStatus(record, 'done')
    log.info(
      { uploadId: record.id, fileId: result.fileId, deduplicated: result.deduplicated },
      'upload done',
    )
    this.emit('progress', { uploadId: record.id, sentBytes: result.size, totalBytes: result.size })
    this.emit('done', result)
  }

  private async settleFailure(record: UploadRecord, run: ActiveRun, error: unknown): Promise<void> {
    if (run.controller.signal.aborted && run.controller.signal.reason instanceof Stopped) return
    run.stream?.fail(error as Error)
    this.runs.delete(record.id)
    await this.fail(record, toUploadError(record, error))
  }

  private async fail(record: UploadRecord, error: UploadError): Promise<void> {
    record.error = { code: error.code, message: error.message }
    await this.setStatus(record, 'failed').catch(() => undefined)
    log.warn({ uploadId: record.id, code: error.code, detail: error.message }, 'upload failed')
    this.emit('failed', { uploadId: record.id, error })
  }

  private async stopRun(uploadId: string, why: Stopped['why']): Promise<void> {
    const run = this.runs.get(uploadId)
    if (!run) return
    run.controller.abort(new Stopped(why))
    run.stream?.fail(new Stopped(why))
    await run.finished
  }

  /** Deletes the upload's partials on the server (tus termination); a failure is only logged. */
  private async terminate(record: UploadRecord): Promise<void> {
    const paths = record.chunks.flatMap((chunk) => (chunk.url ? [chunk.url] : []))
    if (paths.length === 0) return
    const signal = AbortSignal.timeout(10_000)
    try {
      const session = await UploadSession.open(this.endpoint, 1, 10_000)
      try {
        for (const path of paths) {
          await tusRequest(session.target(signal), 'DELETE', session.resolve(path), {}).catch(
            (error: unknown) =>
              log.warn({ uploadId: record.id, path, detail: String(error) }, 'partial not deleted'),
          )
        }
      } finally {
        session.close()
      }
    } catch (error) {
      log.warn({ uploadId: record.id, detail: String(error) }, 'partials not deleted')
    }
  }

  private async setStatus(record: UploadRecord, status: UploadStatus): Promise<void> {
    record.status = status
    record.updatedAt = Date.now()
    await this.options.store.saveUpload(record)
  }

  private progress(record: UploadRecord, force: boolean): void {
    const now = Date.now()
    if (!force && now - (this.lastProgressAt.get(record.id) ?? 0) < PROGRESS_EVERY_MS) return
    this.lastProgressAt.set(record.id, now)
    const info = this.info(record)
    this.emit('progress', {
      uploadId: record.id,
      sentBytes: info.sentBytes,
      totalBytes: info.totalBytes,
    })
  }

  private info(record: UploadRecord): UploadInfo {
    const confirmed = record.chunks.reduce((sum, chunk) => sum + chunk.offset, 0)
    const inFlight = [...(this.runs.get(record.id)?.inFlight.values() ?? [])].reduce(
      (a, b) => a + b,
      0,
    )
    const done = record.status === 'done'
    return {
      uploadId: record.id,
      kind: record.kind,
      name: record.name,
      mime: record.mime,
      conversationId: record.conversationId,
      status: record.status,
      sentBytes: done ? record.size! : Math.min(confirmed + inFlight, record.size ?? Infinity),
      totalBytes: record.size,
      sha256: record.sha256,
      fileId: record.fileId,
      url: record.fileId ? this.fileUrl(record.fileId) : null,
      error: record.error,
    }
  }

  private settledResult(uploadId: string): UploadResult | UploadError | null {
    const record = this.records.get(uploadId)
    if (!record) return new UploadError('CANCELLED', `no upload ${uploadId}`)
    if (record.status === 'failed' && !this.runs.has(uploadId)) {
      return new UploadError(
        record.error?.code ?? 'REFUSED',
        record.error?.message ?? 'the upload failed',
      )
    }
    if (record.status !== 'done') return null
    return {
      uploadId,
      fileId: record.fileId!,
      url: this.fileUrl(record.fileId!),
      sha256: record.sha256!,
      size: record.size!,
      deduplicated: false,
    }
  }

  /** Where a file downloads from, on the last endpoint seen (a path before any was). */
  private fileUrl(fileId: string): string {
    const path = `/files/${fileId}`
    return this.lastOrigin ? new URL(path, this.lastOrigin).href : path
  }

  private require(uploadId: string): UploadRecord {
    const record = this.records.get(uploadId)
    if (!record) throw new Error(`no upload ${uploadId}`)
    return record
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the upload manager is closed')
  }
}

function toUploadError(record: UploadRecord, error: unknown): UploadError {
  if (error instanceof UploadError) return error
  if ((error as NodeJS.ErrnoException).code && record.path) return unreadable(record.path, error)
  return new UploadError('UNREACHABLE', `upload failed: ${String(error)}`)
}
