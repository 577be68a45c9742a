// Which sync streams are open for which user, so a write on one connection reaches every synced
// session of the users whose logs it grew.
import type { SyncStream } from './sync-stream'

/** The session a stream belongs to: its device, and how to end it with a kick. */
export interface StreamOwner {
  deviceId: string
  kick(reason: string): void
}

export class SyncHub {
  private readonly streams = new Map<string, Map<SyncStream, StreamOwner | undefined>>()

  add(userId: string, stream: SyncStream, owner?: StreamOwner): void {
    let streams = this.streams.get(userId)
    if (!streams) this.streams.set(userId, (streams = new Map()))
    streams.set(stream, owner)
  }

  remove(userId: string, stream: SyncStream): void {
    const streams = this.streams.get(userId)
    streams?.delete(stream)
    if (streams?.size === 0) this.streams.delete(userId)
  }

  /** Ends every session of the user's device with a kick carrying the reason. */
  kickDevice(userId: string, deviceId: string, reason: string): void {
    for (const owner of [...(this.streams.get(userId)?.values() ?? [])]) {
      if (owner?.deviceId === deviceId) owner.kick(reason)
    }
  }

  /** Logs were pruned: a stream left behind the kept log moves on with a reset. */
  logsPruned(): void {
    for (const streams of this.streams.values()) {
      for (const stream of streams.keys()) stream.schedulePump()
    }
  }

  /** New items were appended to these users' logs. */
  logsGrew(userIds: Iterable<string>): void {
    for (const userId of new Set(userIds)) {
      for (const stream of this.streams.get(userId)?.keys() ?? []) stream.schedulePump()
    }
  }
}
