// Hands a file's chunks to N workers (work stealing) and, at the end, lets an idle worker race a
// chunk a much slower worker is still sending (a hedge).
//
// Work stealing: each worker takes the next unsent chunk whenever it is free, so a slow
// connection simply sends fewer chunks. A chunk whose request failed goes back to the front of
// the queue, where the next free worker takes it.
//
// Hedging: once the queue is empty, a worker with nothing to do looks at the chunks still in
// flight. If one is on a worker so much slower that this one would send the whole chunk well
// before the other finishes (from each worker's measured rate), it sends the same range as its
// own partial upload. The first to finish wins; the other is aborted and its partial deleted.
// Only the original's partial is kept in the store until the hedge wins, so a restart mid-race
// resumes the original. A chunk whose partial an earlier run made is never raced (the server may
// hold part of it). Without a slow connection there is no hedge and no byte is sent twice.
import { createLogger } from '../../../shared/logger'
import { RetryableError } from './tus-http'
import { sleep } from './upload-session'
import type { ChunkRecord } from './upload-state'

const log = createLogger('upload')

/** A hedge starts only if the original would need this many times the hedge's own time… */
const HEDGE_MARGIN = 1.5
/** …and would finish at least this much later: on a fast path a race is not worth its bytes. */
const MIN_HEDGE_GAIN_MS = 1_000
/** How often an idle worker looks again for work or a chunk worth hedging. */
const IDLE_POLL_MS = 100

export interface ChunkWork {
  /**
   * Sends `chunk` on `worker`'s connection. `original` false: a hedge on a copy of the chunk,
   * whose progress is neither shown nor kept.
   */
  send(worker: number, chunk: ChunkRecord, signal: AbortSignal, original: boolean): Promise<void>
  /** A failed attempt that may be retried: counts it, backs off, and throws to give up. */
  afterFailure(error: RetryableError, signal: AbortSignal): Promise<void>
  succeeded(): void
  /** The chunk is done on the server, sent by `worker`. */
  chunkDone(chunk: ChunkRecord, worker: number): void
  /** A hedge won: the record takes the hedge's partial, and the original's is let go. */
  adoptHedge(chunk: ChunkRecord, hedge: ChunkRecord): Promise<void>
  /** Lets go of a partial nobody needs (best effort). */
  discard(url: string): void
  /** False for a chunk the server may hold part of already: racing it would send that again. */
  mayHedge(chunk: ChunkRecord): boolean
}

/** Why an attempt was stopped: the other one of a race finished first. */
class Superseded extends Error {
  constructor() {
    super('another attempt at this chunk finished first')
    this.name = 'Superseded'
  }
}

interface Attempt {
  worker: number
  startedAt: number
  bytes: number
  controller: AbortController
  settled: Promise<void>
}

export class ChunkScheduler {
  /** Bytes per millisecond of each worker's last finished chunk. */
  private readonly rates = new Map<number, number>()
  private readonly originals = new Map<number, Attempt>()
  private readonly hedges = new Map<number, Attempt>()
  private readonly hedged = new Set<number>()
  private readonly finished = new Set<number>()
  private fatal: unknown = null

  constructor(
    private readonly chunks: ChunkRecord[],
    private readonly workers: number,
    private readonly work: ChunkWork,
  ) {}

  /** Sends every chunk not yet on the server; throws the first error that is not retryable. */
  async run(signal: AbortSignal): Promise<void> {
    const queue = this.chunks.filter((chunk) => chunk.url === null || chunk.offset < chunk.length)
    const stop = new AbortController()
    const all = AbortSignal.any([signal, stop.signal])
    const fail = (error: unknown): void => {
      this.fatal ??= error
      stop.abort(error)
    }
    const worker = async (index: number): Promise<void> => {
      while (!all.aborted) {
        const chunk = queue.shift()
        if (chunk) {
          await this.sendOriginal(index, chunk, queue, all).catch(fail)
          continue
        }
        const hedge = this.hedgeCandidate(index)
        if (hedge !== null) {
          await this.sendHedge(index, hedge, queue, all)
          continue
        }
        if (this.originals.size === 0 && this.hedges.size === 0) return
        await sleep(IDLE_POLL_MS, all).catch(() => undefined)
      }
    }
    const count = Math.min(this.workers, Math.max(1, queue.length))
    await Promise.all(Array.from({ length: count }, (_, index) => worker(index)))
    if (signal.aborted) throw signal.reason as Error
    if (this.fatal) throw this.fatal
  }

  private async sendOriginal(
    worker: number,
    chunk: ChunkRecord,
    queue: ChunkRecord[],
    signal: AbortSignal,
  ): Promise<void> {
    const controller = new AbortController()
    const attempt = this.begin(worker, chunk, controller)
    this.originals.set(chunk.index, attempt)
    try {
      await (attempt.settled = this.work.send(
        worker,
        chunk,
        AbortSignal.any([signal, controller.signal]),
        true,
      ))
      if (this.finished.has(chunk.index)) return
      this.finish(worker, chunk, attempt)
      this.hedges.get(chunk.index)?.controller.abort(new Superseded())
      this.work.chunkDone(chunk, worker)
    } catch (error) {
      if (controller.signal.reason instanceof Superseded || signal.aborted) return
      if (!(error instanceof RetryableError)) throw error
      // A hedge still racing this chunk carries it on; otherwise it goes back to the queue.
      if (!this.hedges.has(chunk.index)) queue.unshift(chunk)
      await this.work.afterFailure(error, signal)
    } finally {
      if (this.originals.get(chunk.index) === attempt) this.originals.delete(chunk.index)
    }
  }

  private async sendHedge(
    worker: number,
    index: number,
    queue: ChunkRecord[],
    signal: AbortSignal,
  ): Promise<void> {
    const chunk = this.chunks[index]!
    const copy: ChunkRecord = { ...chunk, url: null, offset: 0 }
    const controller = new AbortController()
    const attempt = this.begin(worker, copy, controller)
    this.hedged.add(index)
    this.hedges.set(index, attempt)
    log.debug({ chunk: index, worker, against: this.originals.get(index)?.worker }, 'hedging')
    try {
      await (attempt.settled = this.work.send(
        worker,
        copy,
        AbortSignal.any([signal, controller.signal]),
        false,
      ))
      if (this.finished.has(index)) return
      this.finish(worker, copy, attempt)
      const original = this.originals.get(index)
      original?.controller.abort(new Superseded())
      await original?.settled.catch(() => undefined)
      await this.work.adoptHedge(chunk, copy)
      this.work.chunkDone(chunk, worker)
    } catch (error) {
      if (copy.url && !this.finished.has(index)) this.work.discard(copy.url)
      if (signal.aborted) return
      // The original failed meanwhile and left the chunk to this hedge: back to the queue.
      if (!this.finished.has(index) && !this.originals.has(index)) queue.unshift(chunk)
      if (!(controller.signal.reason instanceof Superseded)) {
        log.info({ chunk: index, worker, detail: String(error) }, 'hedge failed')
      }
    } finally {
      this.hedges.delete(index)
    }
  }

  /**
   * The chunk in flight most worth racing from `worker`: one whose worker, at its measured rate,
   * would need well over this worker's time for the whole chunk. A chunk whose worker has no rate
   * yet counts as that slow once it has taken longer than this worker's whole time.
   */
  private hedgeCandidate(worker: number): number | null {
    const rate = this.rates.get(worker)
    if (!rate) return null
    const now = Date.now()
    let best: { index: number; remaining: number } | null = null
    for (const [index, attempt] of this.originals) {
      const chunk = this.chunks[index]!
      if (this.hedged.has(index) || attempt.worker === worker || !this.work.mayHedge(chunk)) {
        continue
      }
      const mine = chunk.length / rate
      const elapsed = now - attempt.startedAt
      const theirs = this.rates.get(attempt.worker)
      const remaining = theirs ? attempt.bytes / theirs - elapsed : elapsed > mine ? Infinity : 0
      const worth = remaining > HEDGE_MARGIN * mine && remaining - mine > MIN_HEDGE_GAIN_MS
      if (worth && (!best || remaining > best.remaining)) {
        best = { index, remaining }
      }
    }
    return best?.index ?? null
  }

  private begin(worker: number, chunk: ChunkRecord, controller: AbortController): Attempt {
    const bytes = chunk.length - (chunk.url ? chunk.offset : 0)
    return { worker, startedAt: Date.now(), bytes, controller, settled: Promise.resolve() }
  }

  private finish(worker: number, chunk: ChunkRecord, attempt: Attempt): void {
    this.finished.add(chunk.index)
    this.rates.set(worker, Math.max(attempt.bytes, 1) / Math.max(Date.now() - attempt.startedAt, 1))
    this.work.succeeded()
  }
}
