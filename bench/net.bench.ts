// Staying connected on a weak network, measured through the fault proxy in one run:
// - how fast a black-holed link is noticed while idle and while a request waits, beside what the
//   kernel's TCP keepalive and retransmission settings on this machine would take;
// - a reconnect by cold login and by resume at 200 ms round trip: the exchanges each waits for
//   after the TLS handshake, whether TLS resumed its session, and the server's CPU time per
//   reconnect over a thousand of each (the server runs in its own process);
// - delivery of messages sent during 60 s of a link that drops every few seconds;
// - how 500 clients come back after a server restart: the busiest second's share of attempts.
import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ClientCore } from '../electron/core/client-core'
import { Connection } from '../electron/core/net/connection'
import { DEFAULT_BACKOFF, Link } from '../electron/core/net/link'
import { DEFAULT_HEARTBEAT, SmartHeartbeat } from '../electron/core/net/smart-heartbeat'
import { FileKeyStore } from '../electron/core/store/key-store'
import type { Frame } from '../shared/frame-codec'
import { configureLogging } from '../shared/logger'
import { makeSeededDataDir } from '../server/test/harness'
import { FaultProxy, PROFILES } from '../test/netsim/fault-proxy'
import type { BenchResult } from './harness'

const RTT_MS = 200
const RECONNECTS = Number(process.env.TACK_BENCH_RECONNECTS ?? 1000)
const FLAP_SECONDS = Number(process.env.TACK_BENCH_FLAP_SECONDS ?? 60)
const HERD_CLIENTS = 500
const DEVICE = { name: 'bench', platform: 'linux' }

type Metrics = Record<string, number>

export async function run(): Promise<BenchResult> {
  configureLogging({ level: 'silent' })
  const dataDir = await makeSeededDataDir()
  let server = await ServerProcess.start(dataDir, 0)
  const metrics: Metrics = {}
  try {
    Object.assign(metrics, await detection(server))
    Object.assign(metrics, await reconnectRoundTrips(server))
    Object.assign(metrics, await reconnectServerCpu(server))
    Object.assign(metrics, await flappingDelivery(server))
    const herd = await reconnectHerd(server, dataDir)
    server = herd.server
    Object.assign(metrics, herd.metrics)
  } finally {
    await server.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  printTable(metrics)
  return { name: 'net', date: new Date().toISOString(), node: process.version, metrics }
}

// ---- dead-link detection ---------------------------------------------------------------------

async function detection(server: ServerProcess): Promise<Metrics> {
  const proxy = await FaultProxy.start({ target: server.target, faults: PROFILES['rtt-200'] })
  try {
    const pending: number[] = []
    for (let round = 0; round < 3; round += 1) pending.push(await detectPending(server, proxy))
    const idle = await detectIdle(server, proxy)
    const kernel = kernelDetection()
    return {
      detect_pending_ms: Math.max(...pending),
      detect_pending_median_ms: median(pending),
      detect_idle_ms: idle,
      heartbeat_interval_ms: DEFAULT_HEARTBEAT.initialMs,
      tcp_keepalive_detect_idle_ms: kernel.keepaliveMs,
      tcp_retransmit_detect_pending_ms: kernel.retransmitMs,
    }
  } finally {
    await proxy.close()
  }
}

/** A request waits on a link that just went black; time until the connection gives up. */
async function detectPending(server: ServerProcess, proxy: FaultProxy): Promise<number> {
  proxy.restore()
  const connection = await Connection.open({ address: proxy.address, caPem: server.caPem })
  for (let i = 0; i < 8; i += 1) await ping(connection)
  proxy.blackhole()
  const started = Date.now()
  connection.request({ case: 'ping', value: { sentAtMs: 0n } }, 600_000).catch(() => undefined)
  await connection.closed
  return Date.now() - started
}

/** An idle link goes black right after its last answer; time until the heartbeat notices. */
async function detectIdle(server: ServerProcess, proxy: FaultProxy): Promise<number> {
  proxy.restore()
  const connection = await Connection.open({
    address: proxy.address,
    caPem: server.caPem,
    heartbeat: new SmartHeartbeat(DEFAULT_HEARTBEAT),
  })
  for (let i = 0; i < 4; i += 1) await ping(connection)
  proxy.blackhole()
  const started = Date.now()
  await connection.closed
  return Date.now() - started
}

/** What this kernel would take: keepalive for an idle link, retransmits for a busy one. */
function kernelDetection(): { keepaliveMs: number; retransmitMs: number } {
  const read = (name: string, fallback: number) => {
    try {
      return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim())
    } catch {
      return fallback
    }
  }
  const keepaliveMs =
    (read('tcp_keepalive_time', 7200) +
      read('tcp_keepalive_intvl', 75) * read('tcp_keepalive_probes', 9)) *
    1000
  // RTO doubling from 200 ms, capped at 120 s, over tcp_retries2 retransmissions (RFC 6298, Linux).
  let retransmitMs = 0
  for (
    let i = 0, rto = 200;
    i <= read('tcp_retries2', 15);
    i += 1, rto = Math.min(rto * 2, 120_000)
  ) {
    retransmitMs += rto
  }
  return { keepaliveMs, retransmitMs }
}

// ---- reconnect: cold login against resume ----------------------------------------------------

async function reconnectRoundTrips(server: ServerProcess): Promise<Metrics> {
  const proxy = await FaultProxy.start({ target: server.target, faults: PROFILES['rtt-200'] })
  try {
    const cold = await coldLogin(proxy.address, server.caPem, 'bench-rtt')
    const warm = await resumeWithSync(proxy.address, server.caPem, cold, 'bench-rtt')
    return {
      rtt_ms: RTT_MS,
      cold_login_round_trips: cold.exchanges,
      cold_login_ms_after_handshake: cold.msAfterHandshake,
      cold_login_rtt_multiple: round2(cold.msAfterHandshake / RTT_MS),
      resume_round_trips: warm.exchanges,
      resume_ms_after_handshake: warm.msAfterHandshake,
      resume_rtt_multiple: round2(warm.msAfterHandshake / RTT_MS),
      tls_session_reused: warm.tlsSessionReused ? 1 : 0,
    }
  } finally {
    await proxy.close()
  }
}

interface Signed {
  ticket: string
  tlsSession: Buffer | undefined
  headSyncId: bigint
  exchanges: number
  msAfterHandshake: number
  tlsSessionReused: boolean
}

/**
 * What a client does with no session (as ClientCore's login): log in, fetch the directory, ask
 * for sync, each awaited in turn; it is back when the first sync packet arrives. The round trips
 * are the requests the connection sent by then; the time divided by the RTT cross-checks them.
 */
async function coldLogin(address: string, caPem: string, deviceId: string): Promise<Signed> {
  const connection = await Connection.open({ address, caPem })
  const started = Date.now()
  const firstPacket = nextSyncPacket(connection)
  const reply = await connection.request({
    case: 'login',
    value: { username: 'alice', password: 'demo1234', device: { deviceId, ...DEVICE } },
  })
  await connection.request({ case: 'directoryRequest', value: {} })
  await connection.request({ case: 'syncRequest', value: { fromSyncId: 0n } })
  await firstPacket
  const session = sessionOf(reply)
  const signed = {
    ticket: session.ticket,
    tlsSession: connection.tlsSession,
    headSyncId: session.headSyncId,
    exchanges: connection.requestCount,
    msAfterHandshake: Date.now() - started,
    tlsSessionReused: connection.tlsSessionReused,
  }
  connection.close('bench')
  return signed
}

/** What a client with a ticket does: one resume that restarts the sync stream too. */
async function resumeWithSync(
  address: string,
  caPem: string,
  from: Signed,
  deviceId: string,
  syncFromSyncId = 0n,
): Promise<Signed> {
  const connection = await Connection.open({ address, caPem, tlsSession: from.tlsSession })
  const started = Date.now()
  const firstPacket = syncFromSyncId < from.headSyncId ? nextSyncPacket(connection) : null
  const reply = await connection.request({
    case: 'resume',
    value: { ticket: from.ticket, device: { deviceId, ...DEVICE }, syncFromSyncId },
  })
  const session = sessionOf(reply)
  if (!session.syncStarted) throw new Error('the resume did not start the sync stream')
  await firstPacket
  const signed = {
    ...from,
    tlsSession: connection.tlsSession ?? from.tlsSession,
    exchanges: connection.requestCount,
    msAfterHandshake: Date.now() - started,
    tlsSessionReused: connection.tlsSessionReused,
  }
  connection.close('bench')
  return signed
}

/** Server CPU per reconnect, a thousand of each, eight at a time, straight to the server. */
async function reconnectServerCpu(server: ServerProcess): Promise<Metrics> {
  const workers = 8
  const perWorker = Math.ceil(RECONNECTS / workers)
  const seeds = await Promise.all(
    Array.from({ length: workers }, (_, w) => coldLogin(server.address, server.caPem, `cpu-${w}`)),
  )

  const coldStart = await server.cpuMs()
  await Promise.all(
    seeds.map(async (_, w) => {
      for (let i = 0; i < perWorker; i += 1) {
        await coldReconnect(server, `cpu-${w}`)
      }
    }),
  )
  const coldCpu = (await server.cpuMs()) - coldStart

  const resumeStart = await server.cpuMs()
  await Promise.all(
    seeds.map(async (seed, w) => {
      let current = seed
      for (let i = 0; i < perWorker; i += 1) {
        current = await resumeWithSync(
          server.address,
          server.caPem,
          current,
          `cpu-${w}`,
          current.headSyncId,
        )
      }
    }),
  )
  const resumeCpu = (await server.cpuMs()) - resumeStart

  const count = perWorker * workers
  return {
    reconnects_each: count,
    cold_server_cpu_ms_per_reconnect: round2(coldCpu / count),
    resume_server_cpu_ms_per_reconnect: round2(resumeCpu / count),
    resume_to_cold_server_cpu_ratio: round2(resumeCpu / coldCpu),
  }
}

/** A cold reconnect as the server sees it: full TLS handshake, login, sync from the head. */
async function coldReconnect(server: ServerProcess, deviceId: string): Promise<void> {
  const connection = await Connection.open({ address: server.address, caPem: server.caPem })
  const reply = await connection.request({
    case: 'login',
    value: { username: 'alice', password: 'demo1234', device: { deviceId, ...DEVICE } },
  })
  await connection.request({ case: 'directoryRequest', value: {} })
  const fromSyncId = sessionOf(reply).headSyncId
  await connection.request({ case: 'syncRequest', value: { fromSyncId } })
  connection.close('bench')
}

// ---- delivery on a flapping link ---------------------------------------------------------------

async function flappingDelivery(server: ServerProcess): Promise<Metrics> {
  const proxy = await FaultProxy.start({
    target: server.target,
    faults: PROFILES['good-office'],
    seed: 2026,
  })
  const dir = await mkdtemp(join(tmpdir(), 'tack-bench-flap-'))
  const alice = await signedInCore(join(dir, 'alice'), 'alice', proxy.address, server.caPem)
  const bob = await signedInCore(join(dir, 'bob'), 'bob', server.address, server.caPem)
  try {
    const bobId = (await bob.getState()).session!.me.id
    const conversation = await alice.openDirectConversation({ peerId: bobId })
    const texts: string[] = []

    proxy.setFaults(PROFILES.flapping)
    const until = Date.now() + FLAP_SECONDS * 1000
    while (Date.now() < until) {
      const text = `flap ${texts.length}`
      texts.push(text)
      await alice.sendMessage({ conversationId: conversation.id, text })
      await sleep(500)
    }
    const faults = proxy.stats.resets + proxy.stats.blackholes
    proxy.setFaults({ flap: null })
    proxy.restore()

    const received = await waitForMessages(bob, conversation.id, texts.length, 60_000)
    await sleep(1_000)
    const settled = (await bob.loadMessages({ conversationId: conversation.id, limit: 500 })).map(
      (message) => message.text,
    )
    const diagnostics = await alice.getNetworkDiagnostics()
    const unique = new Set(settled.filter((text) => texts.includes(text)))
    const inOrder = settled.every(
      (text, i) => i === 0 || texts.indexOf(text) > texts.indexOf(settled[i - 1]!),
    )
    return {
      flapping_seconds: FLAP_SECONDS,
      flapping_faults: faults,
      flapping_reconnects: Math.max(0, diagnostics.connects - 1),
      flapping_sent: texts.length,
      flapping_lost: texts.length - unique.size,
      flapping_duplicated: settled.length - unique.size,
      flapping_out_of_order: inOrder ? 0 : 1,
      flapping_delivered_within_ms: received,
    }
  } finally {
    await alice.close()
    await bob.close()
    await proxy.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function signedInCore(
  profileDir: string,
  username: string,
  address: string,
  caPem: string,
): Promise<ClientCore> {
  const core = new ClientCore({
    profileDir,
    keyStore: new FileKeyStore(join(profileDir, 'keys')),
    defaultServerAddress: address,
    trustedCaPem: caPem,
    device: { name: username, platform: 'bench' },
  })
  await core.start()
  await core.login({ serverAddress: address, username, password: 'demo1234' })
  return core
}

/** Resolves with how long it took until the conversation held `count` messages. */
async function waitForMessages(
  core: ClientCore,
  conversationId: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    const messages = await core.loadMessages({ conversationId, limit: 500 })
    if (messages.length >= count) return Date.now() - started
    await sleep(200)
  }
  return timeoutMs
}

// ---- 500 clients after a server restart --------------------------------------------------------

async function reconnectHerd(
  first: ServerProcess,
  dataDir: string,
): Promise<{ server: ServerProcess; metrics: Metrics }> {
  const attempts: number[] = []
  let restartAt = Infinity
  let online = 0
  const links: Link[] = []
  for (let i = 0; i < HERD_CLIENTS; i += 1) {
    const link = new Link(
      { address: first.address, caPem: first.caPem },
      {
        authenticate: (connection) => ping(connection),
        online: async () => undefined,
        isFatal: () => false,
        stopped: () => undefined,
        stateChanged: (state) => {
          if (state.status === 'connecting' && Date.now() >= restartAt) attempts.push(Date.now())
          if (state.status === 'online') online += 1
        },
      },
      DEFAULT_BACKOFF,
    )
    links.push(link)
  }
  let server = first
  try {
    for (let i = 0; i < links.length; i += 50) {
      await Promise.all(links.slice(i, i + 50).map((link) => link.start({ failFast: true })))
    }

    restartAt = Date.now()
    online = 0
    await first.close()
    server = await ServerProcess.start(dataDir, first.port)
    const deadline = Date.now() + 90_000
    while (online < HERD_CLIENTS && Date.now() < deadline) await sleep(250)

    const perSecond = new Map<number, number>()
    for (const at of attempts) {
      const second = Math.floor((at - restartAt) / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    const busiest = Math.max(...perSecond.values())
    return {
      server,
      metrics: {
        reconnect_clients: HERD_CLIENTS,
        reconnect_back_online: online,
        reconnect_attempts: attempts.length,
        reconnect_busiest_second_attempts: busiest,
        reconnect_peak_second_fraction: round3(busiest / attempts.length),
        reconnect_all_back_ms: Math.max(...attempts) - restartAt,
      },
    }
  } finally {
    await Promise.all(links.map((link) => link.stop()))
  }
}

// ---- helpers ------------------------------------------------------------------------------------

/** The reference server in a child process. */
class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly address: string,
    readonly port: number,
    readonly caPem: string,
  ) {}

  get target() {
    return { host: '127.0.0.1', port: this.port }
  }

  static start(dataDir: string, port: number): Promise<ServerProcess> {
    const child = fork(
      resolve(import.meta.dirname, 'net-server-child.ts'),
      [dataDir, String(port)],
      {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    )
    return new Promise((resolveStart, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
      child.once('message', (message: { address: string; port: number; caPem: string }) => {
        child.removeAllListeners('exit')
        resolveStart(new ServerProcess(child, message.address, message.port, message.caPem))
      })
    })
  }

  /** The server's user + system CPU time so far. */
  cpuMs(): Promise<number> {
    return this.ask('cpu', (message: { usage: NodeJS.CpuUsage }) => {
      return (message.usage.user + message.usage.system) / 1000
    })
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return
    await this.ask('close', () => undefined)
    await new Promise((resolveExit) => {
      if (this.child.exitCode !== null) resolveExit(undefined)
      else this.child.once('exit', resolveExit)
    })
  }

  private ask<T, M>(kind: 'cpu' | 'close', read: (message: M) => T): Promise<T> {
    return new Promise((resolveAnswer) => {
      this.child.once('message', (message: M) => resolveAnswer(read(message)))
      this.child.send({ kind })
    })
  }
}

function nextSyncPacket(connection: Connection): Promise<void> {
  return new Promise((resolvePacket) =>
    connection.onPush((frame) => {
      if (frame.body.case === 'syncPacket') resolvePacket()
    }),
  )
}

function sessionOf(frame: Frame) {
  if (frame.body.case !== 'session') throw new Error(`expected a session, got ${frame.body.case}`)
  return frame.body.value
}

async function ping(connection: Connection): Promise<void> {
  await connection.request({ case: 'ping', value: { sentAtMs: 0n } })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const round2 = (value: number) => Math.round(value * 100) / 100
const round3 = (value: number) => Math.round(value * 1000) / 1000

function printTable(metrics: Metrics): void {
  const width = Math.max(...Object.keys(metrics).map((key) => key.length))
  const lines = Object.entries(metrics).map(
    ([key, value]) => `${key.padEnd(width)}  ${value.toLocaleString('en').padStart(12)}`,
  )
  process.stdout.write(`\nnet\n${lines.join('\n')}\n`)
}
