// Error codes that cross the HostApi boundary. The core throws HostError; transports carry
// { code, message } and the renderer rebuilds a HostError from it.

export const HOST_ERROR_CODES = [
  'BAD_PARAMS',
  'UNKNOWN_METHOD',
  'NOT_SIGNED_IN',
  'BAD_CREDENTIALS',
  'UNREACHABLE',
  'SERVER_ERROR',
  'NOT_FOUND',
  'STORE_LOCKED',
  /** A micro-app's bot user cannot be made a group member by a person. */
  'BOT_MEMBER_REFUSED',
  'INTERNAL',
] as const

export type HostErrorCode = (typeof HOST_ERROR_CODES)[number]

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'HostError'
  }
}

export function isHostErrorCode(value: unknown): value is HostErrorCode {
  return typeof value === 'string' && (HOST_ERROR_CODES as readonly string[]).includes(value)
}
