import { EventEmitter } from 'node:events'
import type { PowerMonitor } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SystemEvent } from '../core/client-core'
import { forwardSystemEvents } from './system-events'

describe('forwardSystemEvents', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function setUp() {
    const powerMonitor = new EventEmitter()
    let online = true
    let addresses = 'eth0=10.0.0.2'
    const heard: SystemEvent[] = []
    const stop = forwardSystemEvents(
      {
        powerMonitor: powerMonitor as unknown as PowerMonitor,
        net: { isOnline: () => online },
        addresses: () => addresses,
        pollMs: 1_000,
      },
      { onSystemEvent: (event) => heard.push(event) },
    )
    return {
      powerMonitor,
      heard,
      stop,
      setOnline: (value: boolean) => (online = value),
      setAddresses: (value: string) => (addresses = value),
    }
  }

  it('makes the core probe on resume and on unlock, not on going to sleep or locking', () => {
    const { powerMonitor, heard } = setUp()
    for (const name of ['suspend', 'lock-screen']) powerMonitor.emit(name)
    expect(heard).toEqual([])
    for (const name of ['resume', 'unlock-screen']) powerMonitor.emit(name)
    expect(heard).toEqual(['resume', 'resume'])
  })

  it('tells when the machine goes offline and comes back online', () => {
    const { heard, setOnline } = setUp()
    setOnline(false)
    vi.advanceTimersByTime(1_000)
    setOnline(true)
    vi.advanceTimersByTime(1_000)
    vi.advanceTimersByTime(5_000)
    expect(heard).toEqual(['offline', 'online'])
  })

  it('tells of a new address (another network)', () => {
    const { heard, setAddresses } = setUp()
    setAddresses('wlan0=192.168.1.5')
    vi.advanceTimersByTime(1_000)
    expect(heard).toEqual(['network-changed'])
  })

  it('stops forwarding once stopped', () => {
    const { powerMonitor, heard, stop, setOnline } = setUp()
    stop()
    powerMonitor.emit('suspend')
    setOnline(false)
    vi.advanceTimersByTime(5_000)
    expect(heard).toEqual([])
    expect(powerMonitor.listenerCount('suspend')).toBe(0)
  })
})
