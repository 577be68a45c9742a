// HostApi events that come from the shell rather than the core: a notification clicked or a
// tack:// link opened asks the renderer to show a conversation. ipc.ts sends them like the
// core's own events.
import type { HostEventListener, HostEventName, HostEvents } from '../../shared/host-api'
import { createLogger } from '../../shared/logger'
import type { HostEventSource } from './ipc'

const log = createLogger('shell-events')

export class ShellEvents implements HostEventSource {
  private readonly listeners = new Set<HostEventListener>()

  onEvent(listener: HostEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends HostEventName>(name: E, payload: HostEvents[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload)
      } catch (error) {
        log.error({ err: error, event: name }, 'shell event listener failed')
      }
    }
  }
}
