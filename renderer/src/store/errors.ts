// The shape in which the store keeps an error for a view to show: the HostError code and params,
// which the view words in the UI's language (i18n/error-text.ts), and the host's English message
// as detail.
import type { ErrorParams, HostErrorCode } from '../../../shared/errors'
import { toHostError } from '../host/host-error'

export interface ErrorInfo {
  code: HostErrorCode
  message: string
  params?: ErrorParams
}

export function describeError(error: unknown): ErrorInfo {
  const hostError = toHostError(error)
  const { code, message, params } = hostError
  return params ? { code, message, params } : { code, message }
}
