// Applies the server's sync packets to the store strictly in order, one transaction each,
// idempotently, and acknowledges them. A packet that starts past our sync point reveals a gap:
// we ask again from our point instead of skipping.
import type { SyncPacket } from '../../../shared/gen/tack_pb'
import { createLogger } from '../../../shared/logger'
import type { Connection } from '../net/connection'
import type { AppliedChanges, Store, SyncChange } from '../store/store'
import { changeFromWire } from './wire'

const log = createLogger('sync')

export type PacketOutcome = 'applied' | 'duplicate' | 'gap'

export class SyncEngine {
  private chain: Promise<void> = Promise.resolve()
  /** The sync point we last asked again from after a gap; later gaps wait for that stream. */
  private gapRequestedFrom: number | null = null
  private readonly listening = new WeakSet<Connection>()

  constructor(
    private readonly store: Store,
    private readonly myId: string,
    private readonly applied: (changes: AppliedChanges) => void,
  ) {}

  /** Asks the server to stream packets for this device from our sync point. */
  async start(connection: Connection): Promise<void> {
    this.listen(connection)
    await this.requestFromSyncPoint(connection)
  }

  /**
   * Applies the packets `connection` brings, once per connection; a resume that restarts the
   * stream in its own exchange calls this before the request leaves.
   */
  listen(connection: Connection): void {
    if (this.listening.has(connection)) return
    this.listening.add(connection)
    connection.onPush((frame) => {
      if (frame.body.case === 'syncPacket') this.enqueue(connection, frame.body.value)
    })
  }

  /** Packets are applied one after another, in the order they arrived. */
  private enqueue(connection: Connection, packet: SyncPacket): void {
    this.chain = this.chain
      .then(async () => {
        await this.handle(connection, packet)
      })
      .catch((error: unknown) => {
        log.error({ error: String(error), packetNo: Number(packet.packetNo) }, 'sync packet failed')
        connection.close('sync packet could not be applied')
      })
  }

  private async handle(connection: Connection, packet: SyncPacket): Promise<PacketOutcome> {
    const outcome = await this.apply(packet)
    if (outcome === 'gap') {
      const syncPoint = await this.store.getSyncPoint()
      if (this.gapRequestedFrom !== syncPoint) {
        this.gapRequestedFrom = syncPoint
        await this.requestFromSyncPoint(connection)
      }
      return outcome
    }
    if (outcome === 'applied') this.gapRequestedFrom = null
    connection.push({
      case: 'syncAck',
      value: { packetNo: packet.packetNo, syncId: BigInt(await this.store.getSyncPoint()) },
    })
    return outcome
  }

  /** Applies the part of the packet past our sync point, in one transaction. */
  async apply(packet: SyncPacket): Promise<PacketOutcome> {
    const syncPoint = await this.store.getSyncPoint()
    const from = Number(packet.fromSyncId)
    const to = Number(packet.toSyncId)
    if (from > syncPoint) {
      log.warn({ syncPoint, from, to }, 'sync gap: packet starts past our sync point')
      return 'gap'
    }
    if (to <= syncPoint) return 'duplicate'

    const started = Date.now()
    const changes = packet.items
      .filter((item) => Number(item.syncId) > syncPoint)
      .map(changeFromWire)
      .filter((change): change is SyncChange => change !== undefined)
    const applied = await this.store.applySyncChanges(changes, to, this.myId)
    log.debug(
      {
        packetNo: Number(packet.packetNo),
        from,
        to,
        items: changes.length,
        durationMs: Date.now() - started,
      },
      'sync packet applied',
    )
    this.applied(applied)
    return 'applied'
  }

  private async requestFromSyncPoint(connection: Connection): Promise<void> {
    const fromSyncId = BigInt(await this.store.getSyncPoint())
    await connection.request({ case: 'syncRequest', value: { fromSyncId } })
  }
}
