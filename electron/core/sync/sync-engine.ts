// Applies the server's sync packets to the store strictly in order, one transaction each,
// idempotently, and acknowledges them. A packet that starts past our sync point reveals a gap:
// we ask again from our point instead of skipping. Packets that queued up while the store was
// busy are applied together in one transaction (the same items, in the same order, so the same
// result), which is what makes a long catch-up fast. A reset (our sync point is older than the
// log the server keeps) replaces the stream's start with a snapshot, applied in one transaction.
import type { SyncPacket, SyncReset } from '../../../shared/gen/tack_pb'
import { createLogger } from '../../../shared/logger'
import type { Connection } from '../net/connection'
import type { AppliedChanges, Store, SyncChange } from '../store/store'
import { changeFromWire, snapshotFromWire } from './wire'

const log = createLogger('sync')

export type PacketOutcome = 'applied' | 'duplicate' | 'gap'

type Arrival =
  | { connection: Connection; kind: 'packet'; packet: SyncPacket }
  | { connection: Connection; kind: 'reset'; reset: SyncReset }

/** Most packets applied in one transaction; bounds the memory a long queue can take. */
const MAX_PACKETS_PER_TRANSACTION = 16

export class SyncEngine {
  private chain: Promise<void> = Promise.resolve()
  /** Arrived and not yet applied, oldest first. */
  private readonly arrivals: Arrival[] = []
  /** Parts of a reset received so far; applied when the last one arrives. */
  private resetParts: SyncReset[] = []
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
      if (frame.body.case === 'syncPacket') {
        this.enqueue({ connection, kind: 'packet', packet: frame.body.value })
      } else if (frame.body.case === 'syncReset') {
        this.enqueue({ connection, kind: 'reset', reset: frame.body.value })
      }
    })
  }

  /** Arrivals are handled one after another, in the order they came. */
  private enqueue(arrival: Arrival): void {
    this.arrivals.push(arrival)
    this.chain = this.chain
      .then(() => this.handleNext())
      .catch((error: unknown) => {
        log.error({ error: String(error) }, 'sync packet failed')
        arrival.connection.close('sync packet could not be applied')
      })
  }

  /** Takes the oldest arrival, with the packets queued right behind it on the same connection. */
  private async handleNext(): Promise<void> {
    const first = this.arrivals.shift()
    if (!first) return
    if (first.kind === 'reset') return this.handleReset(first.connection, first.reset)
    const packets = [first.packet]
    while (packets.length < MAX_PACKETS_PER_TRANSACTION) {
      const next = this.arrivals[0]
      if (next?.kind !== 'packet' || next.connection !== first.connection) break
      packets.push(next.packet)
      this.arrivals.shift()
    }
    await this.handlePackets(first.connection, packets)
  }

  private async handlePackets(connection: Connection, packets: SyncPacket[]): Promise<void> {
    const { outcome, last } = await this.applyRun(packets)
    if (outcome === 'gap') {
      const syncPoint = await this.store.getSyncPoint()
      if (this.gapRequestedFrom !== syncPoint) {
        this.gapRequestedFrom = syncPoint
        await this.requestFromSyncPoint(connection)
      }
      if (last === undefined) return
    }
    if (outcome === 'applied') this.gapRequestedFrom = null
    const acked = last ?? packets[packets.length - 1]!
    connection.push({
      case: 'syncAck',
      value: { packetNo: acked.packetNo, syncId: BigInt(await this.store.getSyncPoint()) },
    })
  }

  /** Applies the part of the packet past our sync point, in one transaction. */
  async apply(packet: SyncPacket): Promise<PacketOutcome> {
    return (await this.applyRun([packet])).outcome
  }

  /**
   * Applies consecutive packets in one transaction: each one's items past our sync point, in
   * order, stopping at the first that starts past where the previous ended (a gap). `last` is
   * the newest packet applied, if any was.
   */
  private async applyRun(
    packets: SyncPacket[],
  ): Promise<{ outcome: PacketOutcome; last?: SyncPacket }> {
    const syncPoint = await this.store.getSyncPoint()
    let reached = syncPoint
    let last: SyncPacket | undefined
    let gap = false
    const changes: SyncChange[] = []
    for (const packet of packets) {
      const from = Number(packet.fromSyncId)
      const to = Number(packet.toSyncId)
      if (to <= reached) continue
      if (from > reached) {
        log.warn({ syncPoint: reached, from, to }, 'sync gap: packet starts past our sync point')
        gap = true
        break
      }
      for (const item of packet.items) {
        if (Number(item.syncId) <= reached) continue
        const change = changeFromWire(item)
        if (change) changes.push(change)
      }
      reached = to
      last = packet
    }
    if (!last) return { outcome: gap ? 'gap' : 'duplicate' }

    const started = Date.now()
    const applied = await this.store.applySyncChanges(changes, reached, this.myId)
    log.debug(
      {
        packets: packets.length,
        from: syncPoint,
        to: reached,
        items: changes.length,
        durationMs: Date.now() - started,
      },
      'sync packets applied',
    )
    this.applied(applied)
    return { outcome: gap ? 'gap' : 'applied', last }
  }

  /** Keeps the parts of a reset until the last, then applies the snapshot and acknowledges it. */
  private async handleReset(connection: Connection, reset: SyncReset): Promise<void> {
    if (this.resetParts[0] && this.resetParts[0].syncId !== reset.syncId) this.resetParts = []
    this.resetParts.push(reset)
    if (!reset.last) return
    const parts = this.resetParts
    this.resetParts = []
    const snapshot = snapshotFromWire(parts)
    const started = Date.now()
    const applied = await this.store.applySnapshot(snapshot, this.myId)
    this.gapRequestedFrom = null
    log.info(
      {
        syncId: snapshot.syncId,
        conversations: snapshot.conversations.length,
        messages: snapshot.messages.length,
        durationMs: Date.now() - started,
      },
      'sync reset applied: history before the snapshot loads on demand',
    )
    this.applied(applied)
    connection.push({
      case: 'syncAck',
      value: { packetNo: 0n, syncId: BigInt(snapshot.syncId) },
    })
  }

  private async requestFromSyncPoint(connection: Connection): Promise<void> {
    const fromSyncId = BigInt(await this.store.getSyncPoint())
    await connection.request({ case: 'syncRequest', value: { fromSyncId } })
  }
}
