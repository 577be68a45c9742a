import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FaultProxy, PROFILES, type LinkFaults } from './fault-proxy'

describe('fault proxy', () => {
  let echo: Server
  let proxy: FaultProxy | undefined
  const sockets: Socket[] = []

  beforeEach(async () => {
    echo = createServer((socket) => {
      socket.on('error', () => undefined)
      socket.pipe(socket)
    })
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  })

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy()
    await proxy?.close()
    proxy = undefined
    await new Promise<void>((resolve) => echo.close(() => resolve()))
  })

  async function through(faults: Partial<LinkFaults>): Promise<Socket> {
    const port = (echo.address() as AddressInfo).port
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port }, faults, seed: 7 })
    const socket = connect(proxy.port, '127.0.0.1')
    socket.on('error', () => undefined)
    sockets.push(socket)
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    return socket
  }

  function echoTime(socket: Socket, bytes = 16): Promise<number> {
    const started = Date.now()
    return new Promise((resolve) => {
      let got = 0
      const onData = (chunk: Buffer) => {
        got += chunk.length
        if (got < bytes) return
        socket.off('data', onData)
        resolve(Date.now() - started)
      }
      socket.on('data', onData)
      socket.write(Buffer.alloc(bytes, 1))
    })
  }

  function outcomeWithin(socket: Socket, ms: number): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('silence'), ms)
      socket.once('data', () => resolve('data'))
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        resolve(error.code ?? 'error')
      })
      socket.once('close', () => resolve('closed'))
    })
  }

  it('adds the latency of both directions to a round trip', async () => {
    const socket = await through({ latencyMs: 60 })

    const rtt = await echoTime(socket)

    expect(rtt).toBeGreaterThanOrEqual(118)
    expect(rtt).toBeLessThan(400)
  })

  it('caps bandwidth, so 50 kB at 200 kB/s takes at least a quarter second', async () => {
    const socket = await through({ bandwidthBytesPerS: 200_000 })

    const elapsed = await echoTime(socket, 50_000)

    expect(elapsed).toBeGreaterThanOrEqual(240)
  })

  it('gives one connection its own faults and counts the bytes delivered to the server', async () => {
    const first = await through({})
    proxy!.setConnectionFaults(1, { cutAfterBytes: 100 })
    const second = connect(proxy!.port, '127.0.0.1')
    second.on('error', () => undefined)
    sockets.push(second)
    await new Promise<void>((resolve) => second.once('connect', resolve))

    second.write(Buffer.alloc(200, 2))
    await new Promise((resolve) => second.once('close', resolve))
    await echoTime(first, 300)

    expect(proxy!.stats.cuts).toBe(1)
    expect(first.destroyed).toBe(false)
    // All of the first connection's 300; of the cut one's, what crossed before the cut.
    expect(proxy!.stats.bytesToServer).toBeGreaterThanOrEqual(400)
    expect(proxy!.stats.bytesToServer).toBeLessThanOrEqual(500)
  })

  it('black-holes a connection: nothing arrives and nothing closes', async () => {
    const socket = await through({})
    await echoTime(socket)

    proxy!.blackhole()
    socket.write('anyone there?')

    expect(await outcomeWithin(socket, 300)).toBe('silence')
    expect(socket.destroyed).toBe(false)
  })

  it('resets every connection with an RST', async () => {
    const socket = await through({})
    await echoTime(socket)
    const outcome = outcomeWithin(socket, 1000)

    proxy!.resetAll()

    expect(await outcome).toBe('ECONNRESET')
  })

  it('cuts a connection after the given number of bytes', async () => {
    const socket = await through({ cutAfterBytes: 100 })
    const outcome = outcomeWithin(socket, 1000)

    socket.write(Buffer.alloc(200, 1))

    expect(['ECONNRESET', 'data']).toContain(await outcome)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(socket.destroyed || proxy!.stats.cuts === 1).toBe(true)
    expect(proxy!.stats.cuts).toBe(1)
  })

  it('flaps on its schedule with resets and black holes', async () => {
    await through({
      ...PROFILES.flapping,
      flap: { everyMs: [20, 40], blackholeMs: [10, 20], resetShare: 0.5 },
    })

    await new Promise((resolve) => setTimeout(resolve, 600))

    expect(proxy!.stats.resets + proxy!.stats.blackholes).toBeGreaterThanOrEqual(8)
    expect(proxy!.stats.resets).toBeGreaterThan(0)
    expect(proxy!.stats.blackholes).toBeGreaterThan(0)
  })
})
