// A small typed event emitter: each event name has one payload type, checked at compile time.
// A listener that throws is logged and does not stop the others.
import { createLogger } from '../../../shared/logger'

const log = createLogger('upload')

export type Listener<T> = (payload: T) => void

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>()

  /** Adds a listener; the returned function removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => this.off(event, listener)
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>)
  }

  protected emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        ;(listener as Listener<Events[K]>)(payload)
      } catch (error) {
        log.error({ event: String(event), detail: String(error) }, 'upload listener threw')
      }
    }
  }
}
