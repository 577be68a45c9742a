// The operating system's power and network events, handed to the core so its connection can
// probe or reconnect at once instead of waiting for a timeout: suspend and resume, lock and
// unlock (from powerMonitor), online and offline (net.isOnline, polled, since the main process
// has no event for it), and a change of the machine's addresses.
import { networkInterfaces } from 'node:os'
import type { Net, PowerMonitor } from 'electron'
import { createLogger } from '../../shared/logger'
import type { SystemEvent as CoreSystemEvent } from '../core/client-core'

const log = createLogger('system-events')

/** What the shell hears from the operating system. */
export type SystemEvent =
  'suspend' | 'resume' | 'lock' | 'unlock' | 'online' | 'offline' | 'network-changed'

/** The core's side (ClientCore.onSystemEvent). */
export interface SystemEventSink {
  onSystemEvent(event: CoreSystemEvent): void
}

/**
 * What each event means to the connection. Going to sleep or locking needs nothing of it; waking
 * or unlocking (after which the path may be long dead) makes it probe as a resume does.
 */
const TO_CORE: Record<SystemEvent, CoreSystemEvent | null> = {
  suspend: null,
  lock: null,
  resume: 'resume',
  unlock: 'resume',
  online: 'online',
  offline: 'offline',
  'network-changed': 'network-changed',
}

export interface SystemEventSources {
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener'>
  net: Pick<Net, 'isOnline'>
  /** The machine's addresses, as a comparable string; os.networkInterfaces by default. */
  addresses?: () => string
  pollMs?: number
}

const DEFAULT_POLL_MS = 3_000

const POWER_EVENTS = {
  suspend: 'suspend',
  resume: 'resume',
  'lock-screen': 'lock',
  'unlock-screen': 'unlock',
} as const

/** Starts forwarding; the returned function stops. */
export function forwardSystemEvents(
  sources: SystemEventSources,
  sink: SystemEventSink,
): () => void {
  const send = (event: SystemEvent): void => {
    const forCore = TO_CORE[event]
    log.info({ event, forCore }, 'system event')
    if (!forCore) return
    try {
      sink.onSystemEvent(forCore)
    } catch (error) {
      log.error({ err: error, event }, 'system event handler failed')
    }
  }

  const stopPower = forwardPowerEvents(sources.powerMonitor, send)
  const stopNetwork = watchNetwork(sources, send)
  return () => {
    stopPower()
    stopNetwork()
  }
}

function forwardPowerEvents(
  powerMonitor: SystemEventSources['powerMonitor'],
  send: (event: SystemEvent) => void,
): () => void {
  const listeners = Object.entries(POWER_EVENTS).map(([name, event]) => {
    const listener = (): void => send(event)
    powerMonitor.on(name as 'suspend', listener)
    return [name, listener] as const
  })
  return () => {
    for (const [name, listener] of listeners)
      powerMonitor.removeListener(name as 'suspend', listener)
  }
}

function watchNetwork(sources: SystemEventSources, send: (event: SystemEvent) => void): () => void {
  const addresses = sources.addresses ?? machineAddresses
  let online = sources.net.isOnline()
  let seenAddresses = addresses()

  const timer = setInterval(() => {
    const nowOnline = sources.net.isOnline()
    const nowAddresses = addresses()
    if (nowOnline !== online) send(nowOnline ? 'online' : 'offline')
    else if (nowOnline && nowAddresses !== seenAddresses) send('network-changed')
    online = nowOnline
    seenAddresses = nowAddresses
  }, sources.pollMs ?? DEFAULT_POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}

function machineAddresses(): string {
  return Object.entries(networkInterfaces())
    .flatMap(([name, entries]) =>
      (entries ?? []).filter((entry) => !entry.internal).map((entry) => `${name}=${entry.address}`),
    )
    .sort()
    .join(',')
}
