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
import { describeBytes } from '../../../shared/format-bytes'
import { createLogger } from '../../../shared/logger'
import { ChunkScheduler } from './chunk-scheduler'
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
  type TusTarget,
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
  /** Chunks whose partial an earlier run made. */
  private readonly inherited: WeakSet<ChunkRecord>
  /** Chunks (and hedge copies) whose offset this run knows matches the server's. */
  private readonly verified = new WeakSet<ChunkRecord>()
  /** Chunks a worker has taken, and partials being made ahead of them (createAhead). */
  private readonly started = new WeakSet<ChunkRecord>()
  private readonly creating = new Map<ChunkRecord, Promise<void>>()
  private failuresInRow = 0

  constructor(
    private readonly record: UploadRecord,
    private readonly settings: RunSettings,
    private readonly hooks: RunHooks,
    private readonly signal: AbortSignal,
  ) {
    this.inherited = new WeakSet(record.chunks.filter((chunk) => chunk.url !== null))
  }

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
          await this.hashWhileAsking(session)
          const early = this.createFirstRound(session)
          const existing = await this.findByHash(session)
          if (existing) {
            await early
            for (const chunk of record.chunks) if (chunk.url) this.discard(session, chunk.url)
            return existing
          }
        }
        await this.hooks.status('uploading')
        const sending = Date.now()
        await this.sendChunks(session)
        await this.checkUnchanged()
        const joining = Date.now()
        await this.join(session)
        log.debug(
          { uploadId: record.id, sendMs: joining - sending, joinMs: Date.now() - joining },
          'chunks sent and joined',
        )
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
        `${this.record.name} is ${describeBytes(this.record.size!)}; ` +
          `the server accepts files up to ${describeBytes(limit)}`,
        { name: this.record.name, size: this.record.size!, limit },
      )
    }
  }

  // Three things at once before the first byte: the file's hash, the server's size limit (a
  // file past it fails at once, and its hashing stops), and each worker's TLS connection, so
  // the first chunks do not wait for handshakes.
  private async hashWhileAsking(session: UploadSession): Promise<void> {
    const record = this.record
    const stopHashing = new AbortController()
    const signal = AbortSignal.any([this.signal, stopHashing.signal])
    const started = Date.now()
    if (!record.sha256) await this.hooks.status('hashing')
    const hashing = record.sha256 ? Promise.resolve(record.sha256) : hashFile(record.path!, signal)
    hashing.catch(() => undefined)
    // The control connection opens first, then the workers' in order (tests and the benchmark
    // slow down single connections by the order they were opened in).
    const limit = this.checkSizeLimit(session)
    for (let worker = 0; worker < this.settings.streams; worker += 1) {
      const target = session.target(this.signal, worker)
      void tusRequest(target, 'OPTIONS', session.collection, {}).catch(() => undefined)
    }
    try {
      await limit
    } catch (error) {
      stopHashing.abort(error)
      throw error
    }
    record.sha256 = await hashing
    await this.settings.store.saveUpload(record)
    log.debug({ uploadId: record.id, durationMs: Date.now() - started }, 'file hashed')
  }

  // A file the server has already is done without sending a byte.
  private async findByHash(session: UploadSession): Promise<UploadResult | null> {
    const record = this.record
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
    const scheduler = new ChunkScheduler(record.chunks, this.settings.streams, {
      send: (worker, chunk, signal, original) =>
        this.sendChunk(session, worker, chunk, signal, original),
      afterFailure: (error, signal) => this.afterFailure(error, session, signal),
      succeeded: () => (this.failuresInRow = 0),
      chunkDone: (chunk, worker) => this.hooks.chunkDone(chunk.index, worker, chunk.length),
      adoptHedge: async (chunk, hedge) => {
        const abandoned = chunk.url
        chunk.url = hedge.url
        await this.confirm(chunk, hedge.offset, true)
        if (abandoned) this.discard(session, abandoned)
      },
      discard: (url) => this.discard(session, url),
      // A partial from an earlier run may hold bytes the server has; never send those again.
      mayHedge: (chunk) => !this.inherited.has(chunk),
    })
    await scheduler.run(this.signal)
  }

  /** Deletes a partial nobody needs any more; a failure only leaves it to expire. */
  private discard(session: UploadSession, url: string): void {
    const signal = AbortSignal.timeout(this.settings.idleTimeoutMs)
    void tusRequest(session.target(signal), 'DELETE', session.resolve(url), {}).catch(
      () => undefined,
    )
  }

  /** Makes the chunk's partial upload if needed and sends what the server does not have yet. */
  private async sendChunk(
    session: UploadSession,
    worker: number,
    chunk: ChunkRecord,
    signal: AbortSignal,
    original: boolean,
  ): Promise<void> {
    const target = session.target(signal, worker)
    const confirm = (offset: number) => this.confirm(chunk, offset, original)
    if (original) {
      this.started.add(chunk)
      this.createAhead(session)
      if (chunk.url === null) await this.creating.get(chunk)?.catch(() => undefined)
    }
    for (let recoveries = 0; ; recoveries += 1) {
      if (recoveries > MAX_CHUNK_RECOVERIES) {
        throw new RetryableError(`chunk ${chunk.index} kept disagreeing with the server`)
      }
      try {
        if (chunk.url === null) {
          chunk.url = await this.createPartial(session, target, chunk)
          await confirm(0)
        }
        if (!this.verified.has(chunk)) {
          const head = await tusRequest(target, 'HEAD', session.resolve(chunk.url), {})
          await confirm(integerHeader(head, 'upload-offset'))
        }
        if (chunk.offset >= chunk.length) return
        const answer = await this.patch(session, target, chunk, original)
        await confirm(integerHeader(answer, 'upload-offset'))
        if (chunk.offset >= chunk.length) return
      } catch (error) {
        if (error instanceof OffsetMismatchError) {
          if (error.serverOffset === null) this.verified.delete(chunk)
          else await confirm(error.serverOffset)
          continue
        }
        if (error instanceof UploadGoneError) {
          log.warn(
            { uploadId: this.record.id, chunk: chunk.index },
            'partial gone; making it again',
          )
          chunk.url = null
          await confirm(0)
          continue
        }
        // Whatever reached the server of a failed request is asked (HEAD) before sending again.
        this.verified.delete(chunk)
        throw error
      }
    }
  }

  /**
   * Makes the partials of the next chunks on the control connection while the workers send, up
   * to one waiting per worker, so a worker that takes a chunk can PATCH at once: a round trip
   * saved per chunk. Each partial is in the store before any of its bytes is sent.
   */
  private createAhead(session: UploadSession): void {
    const chunks = this.record.chunks
    let waiting =
      this.creating.size +
      chunks.filter((chunk) => chunk.url !== null && chunk.offset === 0 && !this.started.has(chunk))
        .length
    for (const chunk of chunks) {
      if (waiting >= this.settings.streams) return
      if (chunk.url !== null || this.started.has(chunk) || this.creating.has(chunk)) continue
      waiting += 1
      this.makeAhead(session, session.target(this.signal), chunk)
    }
  }

  /**
   * The first chunk of each worker gets its partial on that worker's (already open) connection
   * while the hash is looked up, so sending starts the moment the answer is no. Settles when
   * they are made; a failure leaves the chunk for its worker to make.
   */
  private createFirstRound(session: UploadSession): Promise<unknown> {
    const first = this.record.chunks.slice(0, this.settings.streams)
    return Promise.all(
      first.map((chunk, worker) =>
        this.makeAhead(session, session.target(this.signal, worker), chunk),
      ),
    )
  }

  /**
   * Makes the chunk's partial before a worker takes it, kept in the store at once; a worker
   * taking the chunk meanwhile waits for it (`creating`). Never rejects: a failure leaves the
   * chunk for its worker to make.
   */
  private makeAhead(session: UploadSession, target: TusTarget, chunk: ChunkRecord): Promise<void> {
    const creation = this.createPartial(session, target, chunk)
      .then(async (url) => {
        if (chunk.url !== null) return
        chunk.url = url
        await this.confirm(chunk, 0, true)
      })
      .catch(() => undefined)
      .finally(() => this.creating.delete(chunk))
    this.creating.set(chunk, creation)
    return creation
  }

  /** A new partial upload for the chunk; returns its path. */
  private async createPartial(
    session: UploadSession,
    target: TusTarget,
    chunk: ChunkRecord,
  ): Promise<string> {
    const answer = await tusRequest(target, 'POST', session.collection, {
      'Upload-Concat': 'partial',
      'Upload-Length': String(chunk.length),
    })
    const location = header(answer, 'location')
    if (!location) throw new RetryableError('the upload server made a partial without a Location')
    return new URL(location, session.collection).pathname
  }

  /** The server has `offset` bytes of the chunk; kept in the store unless it is a hedge's copy. */
  private async confirm(chunk: ChunkRecord, offset: number, persist: boolean): Promise<void> {
    if (offset > chunk.length) {
      throw new UploadError(
        'REFUSED',
        `the server claims ${offset} bytes of a ${chunk.length}-byte chunk`,
      )
    }
    chunk.offset = offset
    if (chunk.url !== null) this.verified.add(chunk)
    else this.verified.delete(chunk)
    if (persist) await this.settings.store.saveChunk(this.record.id, chunk)
  }

  /** One PATCH with the chunk's remaining bytes, streamed from disk. */
  private patch(
    session: UploadSession,
    target: TusTarget,
    chunk: ChunkRecord,
    original: boolean,
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
      if (original) this.hooks.inFlight(chunk.index, sent)
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
    return done.finally(() => original && this.hooks.inFlight(chunk.index, 0))
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
    log.info(
      { uploadId: this.record.id, failures: this.failuresInRow, detail: error.message },
      'upload attempt failed',
    )
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
