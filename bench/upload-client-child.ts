// One uploading client for the upload benchmark, in its own process so its memory is its own and
// it can be killed for real: our UploadManager on a real encrypted store, or tus-js-client (the
// peer). Driven by a JSON argument; reports over IPC: { kind: 'chunk' } per confirmed chunk, then
// { kind: 'done', durationMs, bytesOnWire, baselineRss, peakRss } or { kind: 'failed', message }.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DefaultHttpStack, Upload } from 'tus-js-client'
import { Store } from '../electron/core/store/store'
import { UploadManager } from '../electron/core/upload/upload-manager'
import { configureLogging } from '../shared/logger'

export interface ChildJob {
  client: 'ours' | 'peer'
  /** ours: 'start' a new upload, or 'restore' what a killed run left (same store). */
  mode: 'start' | 'restore'
  url: string
  ticket: string
  caPem: string
  filePath: string
  parallelStreams: number
  /** ours: bytes per chunk; the manager's own choice when absent. */
  chunkSize?: number
  storeDir: string
  /** Hex key of the store, the same for a run and its restore. */
  storeKey: string
}

export type ChildReport =
  | { kind: 'chunk'; bytes: number; worker: number }
  | {
      kind: 'done'
      durationMs: number
      bytesOnWire: number
      baselineRss: number
      peakRss: number
    }
  | { kind: 'failed'; message: string }

const job = JSON.parse(process.argv[2]!) as ChildJob
const report = (message: ChildReport) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()))

/** Peak resident memory, sampled every 20 ms. */
let peakRss = 0
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20).unref()

async function main(): Promise<void> {
  configureLogging({ level: 'warn' })
  const started = { at: 0, baselineRss: 0 }
  const begin = () => {
    started.baselineRss = process.memoryUsage().rss
    peakRss = started.baselineRss
    started.at = performance.now()
  }
  const bytesOnWire = job.client === 'ours' ? await runOurs(begin) : await runPeer(begin)
  await report({
    kind: 'done',
    durationMs: performance.now() - started.at,
    bytesOnWire,
    baselineRss: started.baselineRss,
    peakRss: Math.max(peakRss, process.memoryUsage().rss),
  })
}

async function runOurs(begin: () => void): Promise<number> {
  const store = await Store.open(
    join(job.storeDir, 'uploads.db'),
    Buffer.from(job.storeKey, 'hex'),
    {
      create: true,
    },
  )
  const manager = new UploadManager({
    store: store.uploads,
    endpoint: () => ({ url: job.url, ticket: job.ticket, ca: job.caPem }),
    parallelStreams: job.parallelStreams,
    ...(job.chunkSize ? { chunkSize: job.chunkSize } : {}),
    retry: { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 20 },
  })
  manager.on('chunk', ({ bytes, worker }) => void report({ kind: 'chunk', bytes, worker }))
  const done = new Promise<void>((resolve, reject) => {
    manager.on('done', () => resolve())
    manager.on('failed', ({ error }) => reject(error))
  })
  begin()
  if (job.mode === 'restore') await manager.restore()
  else
    await manager.start({ path: job.filePath, name: 'bench.bin', mime: 'application/octet-stream' })
  await done
  const sent = manager.bytesOnWire
  await manager.close()
  await store.close()
  return sent
}

async function runPeer(begin: () => void): Promise<number> {
  // tus-js-client needs the whole file in memory for parallel parts in Node.
  const data = await readFile(job.filePath)
  begin()
  await new Promise<void>((resolve, reject) => {
    const upload = new Upload(data, {
      endpoint: `${job.url}/uploads`,
      headers: { Authorization: `Bearer ${job.ticket}` },
      httpStack: new DefaultHttpStack({ ca: job.caPem }),
      metadata: { filename: 'bench.bin', filetype: 'application/octet-stream' },
      parallelUploads: job.parallelStreams,
      storeFingerprintForResuming: false,
      onSuccess: () => resolve(),
      onError: reject,
    })
    upload.start()
  })
  return data.length
}

main()
  .catch((error: unknown) => report({ kind: 'failed', message: String(error) }))
  // Leave once the report is out: sockets of a finished run may linger in keep-alive.
  .finally(() => process.exit(0))
