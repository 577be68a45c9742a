// A small TLS frame client for tests: requests with ids, pushes in a queue, raw bytes on demand.
// It trusts the server's CA through `ca`; certificate verification is never turned off.
import { connect, type TLSSocket } from 'node:tls'
import { FrameDecoder, encodeFrame, type Frame, type FrameInit } from '../../shared/frame-codec'
import { ErrorCode } from '../../shared/gen/tack_pb'

type Body = Frame['body']
type BodyCase = NonNullable<Body['case']>
export type BodyValue<C extends BodyCase> = Extract<Body, { case: C }>['value']
export type RequestBody = NonNullable<FrameInit['body']>

export interface FrameClientTarget {
  port: number
  host?: string
  /** The CA to verify the server with; omitted, only the system's roots are trusted. */
  caPem?: string
}

const DEFAULT_WAIT_MS = 3000

export class FrameClient {
  /** Resolves when the server has closed or reset the connection. */
  readonly closed: Promise<void>
  private readonly decoder = new FrameDecoder()
  private readonly replies = new Map<number, (frame: Frame) => void>()
  private readonly pushes: Frame[] = []
  private pushWaiter: (() => void) | undefined
  private nextId = 1

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', () => undefined)
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
  }

  static connect(target: FrameClientTarget): Promise<FrameClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: target.host ?? '127.0.0.1',
        port: target.port,
        ca: target.caPem,
      })
      socket.once('secureConnect', () => {
        socket.off('error', reject)
        resolve(new FrameClient(socket))
      })
      socket.once('error', reject)
    })
  }

  get protocol(): string | null {
    return this.socket.getProtocol()
  }

  /** Sends a request with a fresh id and resolves with the frame that echoes it. */
  request(body: RequestBody, waitMs = DEFAULT_WAIT_MS): Promise<Frame> {
    const id = this.nextId++
    const reply = new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${body.case} #${id}`)), waitMs)
      this.replies.set(id, (frame) => {
        clearTimeout(timer)
        resolve(frame)
      })
    })
    this.writeRaw(encodeFrame({ id, body }))
    return reply
  }

  /** Sends a request and returns its reply body, failing on any other reply. */
  async call<C extends BodyCase>(body: RequestBody, expected: C): Promise<BodyValue<C>> {
    return bodyOf(await this.request(body), expected)
  }

  /** Sends a frame with id 0, as the client does for sync acks. */
  sendPush(body: RequestBody): void {
    this.writeRaw(encodeFrame({ id: 0, body }))
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes)
  }

  /** The next push (id 0) from the server. */
  async nextPush(waitMs = DEFAULT_WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + waitMs
    while (this.pushes.length === 0) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no push within ${waitMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.pushWaiter = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    return this.pushes.shift()!
  }

  /** Resolves with the pushes that arrived within `ms`, without waiting for more. */
  async pushesWithin(ms: number): Promise<Frame[]> {
    await new Promise((resolve) => setTimeout(resolve, ms))
    return this.pushes.splice(0)
  }

  close(): void {
    this.socket.destroy()
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.id === 0) {
        this.pushes.push(frame)
        this.pushWaiter?.()
        this.pushWaiter = undefined
      } else {
        this.replies.get(frame.id)?.(frame)
        this.replies.delete(frame.id)
      }
    }
  }
}

/** The frame's body value when it is of the expected case; otherwise a readable failure. */
export function bodyOf<C extends BodyCase>(frame: Frame, expected: C): BodyValue<C> {
  if (frame.body.case === expected) return frame.body.value as BodyValue<C>
  const detail =
    frame.body.case === 'error'
      ? ` ${ErrorCode[frame.body.value.code]}: ${frame.body.value.message}`
      : ''
  throw new Error(`expected ${expected}, got ${frame.body.case}${detail}`)
}
