// Rebuilds a HostError from whatever a transport rejected with. Browser mode already hands us
// HostError; Electron's contextBridge copies errors and may drop their class, so an object with a
// known `code` is rebuilt too, and anything else becomes INTERNAL with its message.
import { HostError } from '../../../shared/errors'
import { fromErrorPayload } from '../../../shared/host-transport'

export function toHostError(error: unknown): HostError {
  if (error instanceof HostError) return error
  if (typeof error === 'object' && error !== null) {
    const { code, message, params } = error as {
      code?: unknown
      message?: unknown
      params?: unknown
    }
    if (typeof code === 'string' && typeof message === 'string') {
      return fromErrorPayload({ code, message, params })
    }
    if (typeof message === 'string') return new HostError('INTERNAL', message)
  }
  return new HostError('INTERNAL', String(error))
}
