// One client connection: frames in, replies and sync packets out, and the session it carries.
// A frame that cannot be decoded ends this connection only; a request that fails gets an error
// reply and the connection goes on.
import type { TLSSocket } from 'node:tls'
import {
  FrameDecoder,
  FrameError,
  encodeFrame,
  type Frame,
  type FrameInit,
} from '../../shared/frame-codec'
import { ErrorCode } from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import type { Storage } from '../storage/storage'
import type { SyncHub } from '../sync/sync-hub'
import { SyncStream, type SyncStreamOptions } from '../sync/sync-stream'
import { RequestError, badRequest } from './request-error'
import type { AccessContext, ReplyBody, Session, SessionStart } from './request-handler'
import { requestHandlerFor } from './request-table'

const log = createLogger('access')

/** Frames waiting to be served before the connection stops reading, so a flood waits in TCP. */
const MAX_QUEUED_FRAMES = 64

export interface ConnectionServices {
  storage: Storage
  hub: SyncHub
  sync: SyncStreamOptions
  /** The upload endpoint's port, told to clients in SessionReply. */
  uploadPort: number
}

/** How long a shutting-down connection may take to flush its kick before it is dropped. */
const KICK_FLUSH_MS = 500

export class Connection {
  readonly remote: string
  private readonly decoder = new FrameDecoder()
  /** Requests are served one at a time, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve()
  private queued = 0
  private session: Session | undefined

  constructor(
    private readonly socket: TLSSocket,
    private readonly services: ConnectionServices,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (error) => log.debug({ remote: this.remote, err: error }, 'socket error'))
    socket.on('close', () => this.closed())
  }

  /** Ends the session and drops the connection, after a decoding error. */
  shutDown(): void {
    this.endSession()
    this.socket.destroy()
  }

  /**
   * Server shutdown: tells the client to come back at a random time within `reconnectWithinMs`
   * (so a restart does not bring every client back in the same second), then closes.
   */
  kickAndClose(reason: string, reconnectWithinMs: number): void {
    this.endSession()
    this.send({ id: 0, body: { case: 'kick', value: { reason, reconnectWithinMs } } })
    this.socket.end()
    setTimeout(() => this.socket.destroy(), KICK_FLUSH_MS).unref()
  }

  /** Nothing came from the client for longer than any heartbeat interval. */
  dropIdle(idleMs: number): void {
    log.info({ remote: this.remote, idleMs }, 'connection dropped: silent past the idle timeout')
    this.shutDown()
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[]
    try {
      frames = this.decoder.push(chunk)
    } catch (error) {
      const reason = error instanceof FrameError ? error.reason : 'undecodable'
      log.warn({ reason, remote: this.remote }, 'frame rejected')
      this.shutDown()
      return
    }
    for (const frame of frames) {
      if (isProbe(frame)) this.answerProbe(frame)
      else this.enqueue(frame)
    }
  }

  /** A liveness probe is answered at once, ahead of requests still being served. */
  private answerProbe(frame: Frame): void {
    if (frame.body.case !== 'ping') return
    this.send({
      id: frame.id,
      body: { case: 'pong', value: { sentAtMs: frame.body.value.sentAtMs } },
    })
  }

  private enqueue(frame: Frame): void {
    this.queued += 1
    if (this.queued > MAX_QUEUED_FRAMES) this.socket.pause()
    this.queue = this.queue.then(async () => {
      await this.serve(frame)
      this.queued -= 1
      if (this.queued <= MAX_QUEUED_FRAMES && this.socket.isPaused()) this.socket.resume()
    })
  }

  private async serve(frame: Frame): Promise<void> {
    if (this.socket.destroyed) return
    const reply = await this.reply(frame)
    if (reply && frame.id !== 0) this.send({ id: frame.id, body: reply })
  }

  /** The reply body for a request frame; never throws. */
  private async reply(frame: Frame): Promise<ReplyBody | undefined> {
    try {
      const handler = requestHandlerFor(frame.body)
      if (!handler) throw badRequest('frame carries no request this server knows')
      return await handler.handle(frame.body.value, this.context())
    } catch (error) {
      if (error instanceof RequestError) {
        log.debug(
          { remote: this.remote, request: frame.body.case, code: error.code },
          'request refused',
        )
        return { case: 'error', value: { code: error.code, message: error.message } }
      }
      log.error({ remote: this.remote, request: frame.body.case, err: error }, 'request failed')
      return { case: 'error', value: { code: ErrorCode.INTERNAL, message: 'internal error' } }
    }
  }

  private context(): AccessContext {
    return {
      storage: this.services.storage,
      hub: this.services.hub,
      uploadPort: this.services.uploadPort,
      remote: this.remote,
      session: this.session,
      startSession: (start) => this.startSession(start),
      endSession: () => this.endSession(),
    }
  }

  private startSession(start: SessionStart): Session {
    this.endSession()
    const stream = new SyncStream(
      this.services.storage,
      { userId: start.user.id, deviceId: start.deviceId },
      this.services.sync,
      (packet) => this.send({ id: 0, body: { case: 'syncPacket', value: packet } }),
      (part) => this.send({ id: 0, body: { case: 'syncReset', value: part } }),
    )
    this.session = { ...start, stream }
    this.services.hub.add(start.user.id, stream, {
      deviceId: start.deviceId,
      kick: (reason) => this.kickAndClose(reason, 0),
    })
    return this.session
  }

  private endSession(): void {
    if (!this.session) return
    this.session.stream.stop()
    this.services.hub.remove(this.session.user.id, this.session.stream)
    this.session = undefined
  }

  private send(frame: FrameInit): void {
    if (this.socket.destroyed || !this.socket.writable) return
    try {
      this.socket.write(encodeFrame(frame))
    } catch (error) {
      log.error({ remote: this.remote, body: frame.body?.case, err: error }, 'frame not sent')
    }
  }

  private closed(): void {
    this.endSession()
    log.debug({ remote: this.remote }, 'connection closed')
  }
}

function isProbe(frame: Frame): boolean {
  return frame.id !== 0 && frame.body.case === 'ping' && frame.body.value.immediate
}
