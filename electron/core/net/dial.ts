// Opening the TLS socket: one dial per access address, raced. The first address is tried at
// once; the next starts when one fails or after a stagger, with a few in flight at most; the
// first handshake to finish wins and the others are dropped.
import { connect, type TLSSocket } from 'node:tls'
import { isIP } from 'node:net'
import { createLogger } from '../../../shared/logger'

const log = createLogger('net')

export interface ServerAddress {
  host: string
  port: number
}

export function parseAddress(address: string): ServerAddress {
  const match = /^\[([0-9a-fA-F:]+)\]:(\d+)$/.exec(address) ?? /^([^:[\]]+):(\d+)$/.exec(address)
  const port = Number(match?.[2])
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`not a host:port address: ${address}`)
  }
  return { host: match[1]!, port }
}

/** The connection closed (or never opened) before an answer came. */
export class ConnectionLostError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'ConnectionLostError'
  }
}

export interface DialOptions {
  caPem: string
  /** A TLS session from an earlier connection to resume. */
  tlsSession?: Buffer
  connectTimeoutMs: number
  /** Gives up every dial still running (the link is stopping). */
  signal?: AbortSignal
}

export interface RaceOptions {
  /** Time before the next address is tried while earlier ones are still dialling. */
  staggerMs: number
  maxInFlight: number
}

export const DEFAULT_RACE: RaceOptions = { staggerMs: 2_000, maxInFlight: 3 }

export interface Dialled {
  socket: TLSSocket
  address: string
  /** From the TCP connection to the end of the TLS handshake: about one round trip. */
  handshakeMs: number
}

interface Dial {
  done: Promise<Dialled>
  abort(): void
}

/** One verified TLS dial; the server's certificate must chain to `caPem`. */
export function dial(address: string, options: DialOptions): Dial {
  const { host, port } = parseAddress(address)
  const socket = connect({
    host,
    port,
    ca: options.caPem,
    servername: isIP(host) ? undefined : host,
    minVersion: 'TLSv1.2',
    session: options.tlsSession,
  })
  let settled = false
  const done = new Promise<Dialled>((resolve, reject) => {
    let tcpAt = Date.now()
    const fail = (reason: string) => {
      clearTimeout(timer)
      settled = true
      socket.destroy()
      reject(new ConnectionLostError(reason))
    }
    const timer = setTimeout(
      () => fail(`connect to ${address} timed out`),
      options.connectTimeoutMs,
    )
    socket.once('connect', () => (tcpAt = Date.now()))
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      settled = true
      socket.removeAllListeners('error')
      resolve({ socket, address, handshakeMs: Date.now() - tcpAt })
    })
    socket.once('error', (error) => fail(`cannot connect to ${address}: ${error.message}`))
  })
  return {
    done,
    abort: () => {
      if (!settled) socket.destroy()
    },
  }
}

/** Races dials to the addresses; resolves with the first handshake that completes. */
export function dialFirst(
  addresses: readonly string[],
  options: DialOptions,
  race: RaceOptions = DEFAULT_RACE,
): Promise<Dialled> {
  if (addresses.length === 0) return Promise.reject(new Error('no access address to connect to'))
  return new Promise((resolve, reject) => {
    const dials: Dial[] = []
    let next = 0
    let inFlight = 0
    let won = false
    let lastError: unknown = null
    let stagger: NodeJS.Timeout | null = null

    const startNext = () => {
      if (stagger) clearTimeout(stagger)
      stagger = null
      if (won || next >= addresses.length || inFlight >= race.maxInFlight) return
      const address = addresses[next++]!
      const attempt = dial(address, options)
      dials.push(attempt)
      inFlight += 1
      attempt.done.then(onWin, onFail)
      if (next < addresses.length) stagger = setTimeout(startNext, race.staggerMs)
    }
    const onWin = (dialled: Dialled) => {
      inFlight -= 1
      if (won) {
        dialled.socket.destroy()
        return
      }
      settle()
      if (addresses.length > 1) log.debug({ address: dialled.address }, 'address race won')
      resolve(dialled)
    }
    const onFail = (error: unknown) => {
      inFlight -= 1
      lastError = error
      if (won) return
      if (next < addresses.length) startNext()
      else if (inFlight === 0) {
        settle()
        reject(lastError)
      }
    }
    const onAbort = () => {
      if (won) return
      settle()
      reject(new ConnectionLostError('connect given up: the link is stopping'))
    }
    /** The race is over: stop the others, and stop listening to the link's signal. */
    const settle = () => {
      won = true
      if (stagger) clearTimeout(stagger)
      for (const other of dials) other.abort()
      options.signal?.removeEventListener('abort', onAbort)
    }
    if (options.signal?.aborted) {
      onAbort()
      return
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    startNext()
  })
}
