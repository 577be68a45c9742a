// The shape in which the store keeps an error for a view to show: the HostError code (so a view
// can word the known ones itself) and the host's message for the rest.
import type { HostErrorCode } from '../../../shared/errors'
import { toHostError } from '../host/host-error'

export interface ErrorInfo {
  code: HostErrorCode
  message: string
}

export function describeError(error: unknown): ErrorInfo {
  const hostError = toHostError(error)
  return { code: hostError.code, message: hostError.message }
}
