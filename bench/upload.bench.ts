// Uploads through the fault proxy (100 ms round trip, 2 MiB/s per connection), in one run:
// - our upload manager with 1, 2, 4 and 8 parallel streams, and tus-js-client 4.3.1 (the peer)
//   with one stream and with four parallel parts, against our server;
// - a path where every fourth connection is capped four times lower, for us and for the peer;
// - file bytes the server received twice after the uploading process was killed (SIGKILL) with
//   chunks in flight and started again on the same store;
// - the uploading process's memory growth while it sends a 2 GiB file (over loopback, no cap).
// Each client runs in its own process (upload-client-child.ts); the server and proxy run here.
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { configureLogging } from '../shared/logger'
import { makeSeededDataDir, startTestServer, type TestServer } from '../server/test/harness'
import { writeTestFile } from '../test/support/uploads'
import { FaultProxy, NO_FAULTS, type LinkFaults } from '../test/netsim/fault-proxy'
import { chunkSizeFor } from '../electron/core/upload/upload-manager'
import type { BenchResult } from './harness'
import type { ChildJob, ChildReport } from './upload-client-child'

const MIB = 1024 * 1024
/**
 * The file of the throughput rows: 48 s on one capped stream, long enough that the fixed costs
 * of an upload (hashing, lookup, handshakes, the final join) weigh about as much as in the
 * issue's measurement of the peer (3.8× with four parts).
 */
const FILE_MB = Number(process.env.TACK_BENCH_UPLOAD_MB ?? 96)
/** The file of the uneven path: the peer's slow part alone takes 48 s. */
const UNEVEN_FILE_MB = FILE_MB / 2
const RESUME_FILE_MB = 32
const RESUME_CHUNK = 4 * MIB
const RESUME_STREAMS = 4
const MEMORY_FILE_BYTES = Number(process.env.TACK_BENCH_UPLOAD_MEMORY_MB ?? 2048) * MIB
const CAPPED: Partial<LinkFaults> = { latencyMs: 50, bandwidthBytesPerS: 2 * MIB }
const SLOW: Partial<LinkFaults> = { ...CAPPED, bandwidthBytesPerS: MIB / 2 }

type Metrics = Record<string, number>

interface Setup {
  test: TestServer
  ticket: string
  workDir: string
  /** Each file differs, so no run finds the content on the server already. */
  nextSeed: number
}

export async function run(): Promise<BenchResult> {
  configureLogging({ level: 'warn' })
  const workDir = await mkdtemp(join(tmpdir(), 'tack-upload-bench-'))
  const test = await startTestServer({ dataDir: await makeSeededDataDir() })
  const setup: Setup = {
    test,
    ticket: (await test.login('alice')).session.ticket,
    workDir,
    nextSeed: 1,
  }
  const metrics: Metrics = {}
  try {
    Object.assign(metrics, await throughputRows(setup))
    Object.assign(metrics, await unevenPath(setup))
    Object.assign(metrics, await killAndResume(setup))
    Object.assign(metrics, await memoryGrowth(setup))
  } finally {
    await test.close()
    await rm(test.dataDir, { recursive: true, force: true })
    await rm(workDir, { recursive: true, force: true })
  }
  printTable(metrics)
  return { name: 'upload', date: new Date().toISOString(), node: process.version, metrics }
}

// ---- throughput -------------------------------------------------------------------------------

async function throughputRows(setup: Setup): Promise<Metrics> {
  const metrics: Metrics = {}
  for (const streams of [1, 2, 4, 8]) {
    const seconds = await timedThroughProxy(setup, 'ours', streams, FILE_MB)
    metrics[`ours_streams_${streams}_mib_s`] = round(FILE_MB / seconds)
    metrics[`ours_streams_${streams}_chunk_mb`] = chunkSizeFor(FILE_MB * MIB, streams) / MIB
  }
  for (const streams of [1, 4]) {
    const seconds = await timedThroughProxy(setup, 'peer', streams, FILE_MB)
    metrics[`peer_streams_${streams}_mib_s`] = round(FILE_MB / seconds)
  }
  for (const streams of [2, 4, 8]) {
    metrics[`parallel${streams}_to_single_ratio`] = round(
      metrics[`ours_streams_${streams}_mib_s`]! / metrics.ours_streams_1_mib_s!,
    )
  }
  metrics.peer_parallel4_to_single_ratio = round(
    metrics.peer_streams_4_mib_s! / metrics.peer_streams_1_mib_s!,
  )
  metrics.ours_parallel4_to_peer_parallel4_ratio = round(
    metrics.ours_streams_4_mib_s! / metrics.peer_streams_4_mib_s!,
  )
  return metrics
}

// ---- one slow connection ---------------------------------------------------------------------

async function unevenPath(setup: Setup): Promise<Metrics> {
  const ours = await timedThroughProxy(setup, 'ours', 4, UNEVEN_FILE_MB, true)
  const peer = await timedThroughProxy(setup, 'peer', 4, UNEVEN_FILE_MB, true)
  return {
    uneven_ours_s: round(ours),
    uneven_peer_s: round(peer),
    uneven_path_time_to_peer_ratio: round(ours / peer),
  }
}

/**
 * Seconds one client takes to upload a fresh file through a new capped proxy; ours picks its own
 * chunk size. With `uneven`, every fourth connection the proxy accepts (0, 4, 8, ...) is capped
 * four times lower: one of the four parallel connections, whichever order they open in.
 */
async function timedThroughProxy(
  setup: Setup,
  client: ChildJob['client'],
  streams: number,
  sizeMb: number,
  uneven = false,
): Promise<number> {
  const filePath = await freshFile(setup, sizeMb * MIB)
  const proxy = await startProxy(setup, CAPPED)
  if (uneven) for (let index = 0; index < 400; index += 4) proxy.setConnectionFaults(index, SLOW)
  try {
    const done = await runChild(setup, {
      client,
      mode: 'start',
      url: `https://${proxy.address}`,
      filePath,
      parallelStreams: streams,
      storeDir: await mkdtemp(join(setup.workDir, 'store-')),
      storeKey: randomBytes(32).toString('hex'),
    })
    return done.durationMs / 1000
  } finally {
    await proxy.close()
    await rm(filePath, { force: true })
  }
}

// ---- kill and resume ------------------------------------------------------------------------

async function killAndResume(setup: Setup): Promise<Metrics> {
  const size = RESUME_FILE_MB * MIB
  const filePath = await freshFile(setup, size)
  const proxy = await startProxy(setup, CAPPED)
  const job: Omit<ChildJob, 'ticket' | 'caPem'> = {
    client: 'ours',
    mode: 'start',
    url: `https://${proxy.address}`,
    filePath,
    parallelStreams: RESUME_STREAMS,
    chunkSize: RESUME_CHUNK,
    storeDir: await mkdtemp(join(setup.workDir, 'store-')),
    storeKey: randomBytes(32).toString('hex'),
  }
  const receivedBefore = setup.test.server.uploadBytesReceived()
  try {
    // Killed once two chunks are confirmed: the other workers are mid-chunk then.
    await runChild(setup, job, { killAfterChunks: 2 })
    const atKill = setup.test.server.uploadBytesReceived() - receivedBefore
    await runChild(setup, { ...job, mode: 'restore' })
    const received = setup.test.server.uploadBytesReceived() - receivedBefore
    return {
      resumed_resent_bytes: received - size,
      resumed_received_before_kill_mb: round(atKill / MIB),
      resumed_file_mb: RESUME_FILE_MB,
      chunk_size_mb: RESUME_CHUNK / MIB,
      parallel_streams: RESUME_STREAMS,
    }
  } finally {
    await proxy.close()
    await rm(filePath, { force: true })
  }
}

// ---- memory -----------------------------------------------------------------------------------

async function memoryGrowth(setup: Setup): Promise<Metrics> {
  const filePath = await freshFile(setup, MEMORY_FILE_BYTES)
  try {
    const done = await runChild(setup, {
      client: 'ours',
      mode: 'start',
      url: setup.test.server.uploadUrl,
      filePath,
      parallelStreams: 4,
      storeDir: await mkdtemp(join(setup.workDir, 'store-')),
      storeKey: randomBytes(32).toString('hex'),
    })
    return {
      memory_growth_2gb_mb: round((done.peakRss - done.baselineRss) / MIB),
      memory_file_mb: MEMORY_FILE_BYTES / MIB,
      memory_chunk_mb: chunkSizeFor(MEMORY_FILE_BYTES, 4) / MIB,
      memory_run_mib_s: round(MEMORY_FILE_BYTES / MIB / (done.durationMs / 1000)),
    }
  } finally {
    await rm(filePath, { force: true })
  }
}

// ---- helpers --------------------------------------------------------------------------------

async function freshFile(setup: Setup, size: number): Promise<string> {
  const seed = setup.nextSeed++
  const path = join(setup.workDir, `file-${seed}.bin`)
  await writeTestFile(path, size, seed)
  return path
}

function startProxy(setup: Setup, faults: Partial<LinkFaults>): Promise<FaultProxy> {
  const port = Number(new URL(setup.test.server.uploadUrl).port)
  return FaultProxy.start({
    target: { host: '127.0.0.1', port },
    faults: { ...NO_FAULTS, ...faults },
    seed: 6,
  })
}

type Done = Extract<ChildReport, { kind: 'done' }>

/** Runs one client process to its end, or kills it (SIGKILL) after `killAfterChunks` chunks. */
function runChild(
  setup: Setup,
  job: Omit<ChildJob, 'ticket' | 'caPem'>,
  options: { killAfterChunks?: number } = {},
): Promise<Done> {
  const full: ChildJob = { ...job, ticket: setup.ticket, caPem: setup.test.server.caPem }
  const child = fork(
    resolve(import.meta.dirname, 'upload-client-child.ts'),
    [JSON.stringify(full)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  return new Promise<Done>((resolvePromise, reject) => {
    let chunks = 0
    let result: Done | undefined
    child.on('message', (report: ChildReport) => {
      if (report.kind === 'chunk') {
        chunks += 1
        if (options.killAfterChunks !== undefined && chunks >= options.killAfterChunks) {
          child.kill('SIGKILL')
        }
      }
      if (report.kind === 'done') result = report
      if (report.kind === 'failed') reject(new Error(`upload client failed: ${report.message}`))
    })
    child.on('exit', (code, signal) => {
      if (result) return resolvePromise(result)
      if (signal === 'SIGKILL' && options.killAfterChunks !== undefined) {
        return resolvePromise({
          kind: 'done',
          durationMs: 0,
          bytesOnWire: 0,
          baselineRss: 0,
          peakRss: 0,
        })
      }
      reject(new Error(`upload client exited with ${code ?? signal} before it finished`))
    })
  })
}

function round(value: number): number {
  return Number(value.toFixed(3))
}

function printTable(metrics: Metrics): void {
  const rows: [string, string, string][] = [
    [
      `ours, 1 stream, ${metrics.ours_streams_1_chunk_mb} MiB chunks (baseline)`,
      `${metrics.ours_streams_1_mib_s} MiB/s`,
      '1',
    ],
    ...[2, 4, 8].map((streams): [string, string, string] => [
      `ours, ${streams} streams, ${metrics[`ours_streams_${streams}_chunk_mb`]} MiB chunks`,
      `${metrics[`ours_streams_${streams}_mib_s`]} MiB/s`,
      `${metrics[`parallel${streams}_to_single_ratio`]}`,
    ]),
    ['tus-js-client, 1 stream', `${metrics.peer_streams_1_mib_s} MiB/s`, ''],
    [
      'tus-js-client, 4 parallel parts',
      `${metrics.peer_streams_4_mib_s} MiB/s`,
      `${metrics.peer_parallel4_to_single_ratio} of its 1 stream`,
    ],
    [
      'uneven path: ours, 4 streams',
      `${metrics.uneven_ours_s} s`,
      `${metrics.uneven_path_time_to_peer_ratio} of the peer's time`,
    ],
    ['uneven path: tus-js-client, 4 parts', `${metrics.uneven_peer_s} s`, '1'],
    [
      `kill + resume, ${metrics.resumed_file_mb} MiB, ${metrics.parallel_streams}×${metrics.chunk_size_mb} MiB`,
      `${metrics.resumed_resent_bytes} bytes resent`,
      `${metrics.resumed_received_before_kill_mb} MiB in before the kill`,
    ],
    [
      `memory growth, ${metrics.memory_file_mb} MiB file, 4×${metrics.memory_chunk_mb} MiB`,
      `${metrics.memory_growth_2gb_mb} MiB`,
      `${metrics.memory_run_mib_s} MiB/s over loopback`,
    ],
  ]
  const width = Math.max(...rows.map((row) => row[0].length))
  const lines = [
    `upload (proxy: 100 ms round trip, 2 MiB/s per connection; slow connection 0.5 MiB/s; ` +
      `${FILE_MB} MiB file, ${UNEVEN_FILE_MB} MiB on the uneven path)`,
    ...rows.map(
      ([name, value, ratio]) => `  ${name.padEnd(width)}  ${value.padStart(22)}  ${ratio}`,
    ),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}
