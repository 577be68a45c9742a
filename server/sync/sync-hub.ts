// Which sync streams are open for which user, so a write on one connection reaches every synced
// session of the users whose logs it grew.
import type { SyncStream } from './sync-stream'

export class SyncHub {
  private readonly streams = new Map<string, Set<SyncStream>>()

  add(userId: string, stream: SyncStream): void {
    let streams = this.streams.get(userId)
    if (!streams) this.streams.set(userId, (streams = new Set()))
    streams.add(stream)
  }

  remove(userId: string, stream: SyncStream): void {
    const streams = this.streams.get(userId)
    streams?.delete(stream)
    if (streams?.size === 0) this.streams.delete(userId)
  }

  /** New items were appended to these users' logs. */
  logsGrew(userIds: Iterable<string>): void {
    for (const userId of new Set(userIds)) {
      for (const stream of this.streams.get(userId) ?? []) stream.schedulePump()
    }
  }
}
