// Throws 10,000 random and mutated frames at the access layer's Connection: each either decodes
// (and is served, or refused with an error reply) or ends that connection with a logged reason;
// nothing ever throws out of it.
import { EventEmitter } from 'node:events'
import type { TLSSocket } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { Connection } from '../../server/access/connection'
import type { Storage } from '../../server/storage/storage'
import { SyncHub } from '../../server/sync/sync-hub'
import { captureLogs } from '../../server/test/harness'
import { seededRandom } from '../netsim/fault-proxy'
import { chunked, fuzzInputs } from './frame-fuzz'

class FakeSocket extends EventEmitter {
  destroyed = false
  writable = true
  remoteAddress = '127.0.0.1'
  remotePort = 9
  private paused = false
  write(): boolean {
    return true
  }
  end(): this {
    return this.destroy()
  }
  destroy(): this {
    this.destroyed = true
    this.writable = false
    return this
  }
  pause(): this {
    this.paused = true
    return this
  }
  resume(): this {
    this.paused = false
    return this
  }
  isPaused(): boolean {
    return this.paused
  }
}

/** Storage that fails every call: a decoded request is refused, never served for real. */
const failingStorage = new Proxy({} as Storage, {
  get: () => () => {
    throw new Error('storage is not part of this test')
  },
})

describe('access layer frame decoding under fuzz', () => {
  it('ends the connection with a logged reason, never crashes, on 10,000 random and mutated frames', async () => {
    const logs = captureLogs('warn')
    const random = seededRandom(5)
    const services = {
      storage: failingStorage,
      hub: new SyncHub(),
      sync: { window: 4, packetItems: 100, resendMs: 10_000 },
      uploadPort: 0,
    }
    let rejected = 0

    for (const input of fuzzInputs(10_000, 4321)) {
      const socket = new FakeSocket()
      new Connection(socket as unknown as TLSSocket, services)
      for (const chunk of chunked(input.bytes, random)) {
        if (!socket.destroyed) socket.emit('data', Buffer.from(chunk))
      }
      await new Promise((resolve) => setImmediate(resolve))
      if (socket.destroyed) rejected += 1
      socket.emit('close')
    }

    logs.restore()
    const rejections = logs.records().filter((record) => record.msg === 'frame rejected')
    expect(rejected).toBeGreaterThan(3_000)
    expect(rejections).toHaveLength(rejected)
    expect(new Set(rejections.map((record) => record.reason))).toEqual(
      new Set(['oversized', 'malformed', 'empty']),
    )
  })
})
