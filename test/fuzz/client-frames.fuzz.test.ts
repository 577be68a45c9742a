// Throws 10,000 random and mutated frames at the client's Connection: each either decodes or
// closes that connection with a logged reason; nothing ever throws out of it.
import { EventEmitter } from 'node:events'
import type { TLSSocket } from 'node:tls'
import { describe, expect, it } from 'vitest'
import { Connection, connectionSettings } from '../../electron/core/net/connection'
import { captureLogs } from '../../server/test/harness'
import { seededRandom } from '../netsim/fault-proxy'
import { chunked, fuzzInputs } from './frame-fuzz'

class FakeSocket extends EventEmitter {
  destroyed = false
  written = 0
  write(bytes: Uint8Array): boolean {
    this.written += bytes.length
    return true
  }
  destroy(): this {
    this.destroyed = true
    return this
  }
  isSessionReused(): boolean {
    return false
  }
}

describe('client frame decoding under fuzz', () => {
  it('closes with a logged reason, never crashes, on 10,000 random and mutated frames', () => {
    const logs = captureLogs('warn')
    const random = seededRandom(4)
    const settings = connectionSettings({ heartbeatMs: 60_000 })
    let rejected = 0
    let survived = 0

    for (const input of fuzzInputs(10_000, 1234)) {
      const socket = new FakeSocket()
      const connection = new Connection(socket as unknown as TLSSocket, settings, 'fuzz')
      connection.onPush(() => undefined)
      for (const chunk of chunked(input.bytes, random)) socket.emit('data', Buffer.from(chunk))
      if (connection.isOpen) {
        survived += 1
        connection.close('fuzz input done')
      } else {
        rejected += 1
        expect(connection.closeInfo?.reason).toMatch(
          /^bad frame from server: (oversized|malformed|empty)$/,
        )
        expect(socket.destroyed).toBe(true)
      }
    }

    logs.restore()
    const rejections = logs
      .records()
      .filter((record) => record.msg === 'frame rejected from server')
    expect(rejected + survived).toBe(10_000)
    expect(rejected).toBeGreaterThan(3_000)
    expect(rejections).toHaveLength(rejected)
    expect(new Set(rejections.map((record) => record.reason))).toEqual(
      new Set(['oversized', 'malformed', 'empty']),
    )
  })
})
