// Streams one session's sync log as numbered sync packets: at most `window` packets unacknowledged
// at once, and a resend from the last acknowledged sync point when the oldest packet waits longer
// than `resendMs`. A device whose point is older than the log the server keeps (retention pruned
// it) gets a reset instead: a snapshot of its conversations, then packets from the snapshot on.
import type { MessageInitShape } from '@bufbuild/protobuf'
import { MAX_FRAME_BYTES } from '../../shared/frame-codec'
import type { SyncPacketSchema, SyncResetSchema } from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import type { Storage } from '../storage/storage'
import { resetParts } from './sync-reset'

const log = createLogger('sync')

/**
 * Budget for the stored items of one packet. Half the frame limit leaves room for the packet's
 * own fields and each item's tag and length, which never exceed the size of the item itself.
 */
const PACKET_ITEM_BYTES = MAX_FRAME_BYTES / 2

const RESET_MESSAGES = 30

export type SyncPacketInit = MessageInitShape<typeof SyncPacketSchema>
export type SyncResetInit = MessageInitShape<typeof SyncResetSchema>

export interface SyncStreamOptions {
  /** Most packets sent and not yet acknowledged. */
  window: number
  /** Most items in one packet. */
  packetItems: number
  /** How long the oldest unacknowledged packet waits before the stream resends. */
  resendMs: number
  /** Newest messages of each conversation a reset's snapshot carries. Default 30. */
  resetMessages?: number
}

interface PacketInFlight {
  packetNo: bigint
  toSyncId: bigint
  sentAtMs: number
}

export class SyncStream {
  private active = false
  private nextPacketNo = 1n
  /** The sync point the device has confirmed on this stream: its request or its latest ack. */
  private ackedSyncId = 0n
  /** The end of the newest packet sent. */
  private sentSyncId = 0n
  private inFlight: PacketInFlight[] = []
  private resendTimer: NodeJS.Timeout | undefined
  private resendTimerPacketNo: bigint | undefined
  private pumpScheduled = false

  constructor(
    private readonly storage: Storage,
    private readonly device: { userId: string; deviceId: string },
    private readonly options: SyncStreamOptions,
    private readonly sendPacket: (packet: SyncPacketInit) => void,
    private readonly sendReset: (part: SyncResetInit) => void = () => undefined,
  ) {}

  /** (Re)starts the stream after `fromSyncId`, forgetting packets in flight. */
  start(fromSyncId: bigint): void {
    this.clearResendTimer()
    this.active = true
    this.inFlight = []
    this.ackedSyncId = fromSyncId
    this.sentSyncId = fromSyncId
    this.storage.recordDeviceAck(this.device.userId, this.device.deviceId, fromSyncId)
    this.schedulePump()
  }

  stop(): void {
    this.active = false
    this.inFlight = []
    this.clearResendTimer()
  }

  /** The user's log grew: send what the window allows once the current task is done. */
  schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    setImmediate(() => {
      this.pumpScheduled = false
      this.guarded('pump', () => this.pump())
    })
  }

  /** The device has applied everything up to `syncId`. Acks are cumulative. */
  acknowledge(ack: { packetNo: bigint; syncId: bigint }): void {
    if (!this.active) return
    const syncId = ack.syncId < this.sentSyncId ? ack.syncId : this.sentSyncId
    if (syncId > this.ackedSyncId) {
      this.ackedSyncId = syncId
      this.storage.recordDeviceAck(this.device.userId, this.device.deviceId, syncId)
    }
    this.inFlight = this.inFlight.filter((packet) => packet.toSyncId > this.ackedSyncId)
    log.debug({ ...this.device, packetNo: ack.packetNo, syncId }, 'sync packet acknowledged')
    this.pump()
  }

  private pump(): void {
    if (!this.active) return
    this.storage.deliverGroupLogs(this.device.userId)
    if (this.sentSyncId < this.storage.syncLogFloor(this.device.userId)) this.reset()
    const head = this.storage.headSyncId(this.device.userId)
    while (this.inFlight.length < this.options.window && this.sentSyncId < head) {
      if (!this.sendNextPacket(head)) break
    }
    this.armResendTimer()
  }

  /** Sends the items after the newest packet sent; false when the log had none. */
  private sendNextPacket(head: bigint): boolean {
    const items = this.storage.readSyncLog(this.device.userId, this.sentSyncId, {
      maxItems: this.options.packetItems,
      maxBytes: PACKET_ITEM_BYTES,
    })
    if (items.length === 0) return false
    const packet = {
      packetNo: this.nextPacketNo++,
      fromSyncId: this.sentSyncId,
      toSyncId: items[items.length - 1]!.syncId,
      items,
      headSyncId: head,
    }
    this.inFlight.push({
      packetNo: packet.packetNo,
      toSyncId: packet.toSyncId,
      sentAtMs: Date.now(),
    })
    this.sentSyncId = packet.toSyncId
    this.sendPacket(packet)
    return true
  }

  /**
   * The items after our point were pruned: send the snapshot in parts and go on after it. The
   * device acknowledges the snapshot's sync id once it has applied every part; a resend before
   * that comes back here, since the acknowledged point is still below the floor.
   */
  private reset(): void {
    const snapshot = this.storage.snapshot(
      this.device.userId,
      this.options.resetMessages ?? RESET_MESSAGES,
    )
    const parts = resetParts(snapshot, PACKET_ITEM_BYTES)
    for (const part of parts) this.sendReset(part)
    log.info(
      {
        ...this.device,
        fromSyncId: this.sentSyncId,
        syncId: snapshot.syncId,
        conversations: snapshot.conversations.length,
        parts: parts.length,
      },
      'sync reset sent: the device was older than the kept log',
    )
    this.inFlight = []
    this.sentSyncId = snapshot.syncId
  }

  /** Keeps one timer, for the oldest packet in flight. */
  private armResendTimer(): void {
    const oldest = this.inFlight[0]
    if (oldest?.packetNo === this.resendTimerPacketNo) return
    this.clearResendTimer()
    if (!oldest) return
    const waitMs = Math.max(0, oldest.sentAtMs + this.options.resendMs - Date.now())
    this.resendTimerPacketNo = oldest.packetNo
    this.resendTimer = setTimeout(() => this.guarded('resend', () => this.resend()), waitMs)
  }

  private clearResendTimer(): void {
    clearTimeout(this.resendTimer)
    this.resendTimer = undefined
    this.resendTimerPacketNo = undefined
  }

  /** Runs timer work so that a failure is logged and stops this stream, never the process. */
  private guarded(step: string, work: () => void): void {
    try {
      work()
    } catch (error) {
      log.error({ ...this.device, step, err: error }, 'sync stream failed')
      this.stop()
    }
  }

  private resend(): void {
    this.resendTimer = undefined
    this.resendTimerPacketNo = undefined
    log.info(
      { ...this.device, fromSyncId: this.ackedSyncId, unacknowledged: this.inFlight.length },
      'sync packets resent after timeout',
    )
    this.inFlight = []
    this.sentSyncId = this.ackedSyncId
    this.pump()
  }
}
