// Error codes that cross the HostApi boundary. The core throws HostError; transports carry
// { code, message, params? } and the renderer rebuilds a HostError from it. The renderer words an
// error from its code and params in the UI's language; the message is English detail for logs
// and a "details" line, never the sentence a person reads.

export const HOST_ERROR_CODES = [
  'BAD_PARAMS',
  'UNKNOWN_METHOD',
  'NOT_SIGNED_IN',
  'BAD_CREDENTIALS',
  'UNREACHABLE',
  'SERVER_ERROR',
  'NOT_FOUND',
  /** The message a reply quotes was recalled before the reply was sent; nothing was kept. */
  'QUOTE_RECALLED',
  'STORE_LOCKED',
  /** A micro-app's bot user cannot be made a group member by a person. */
  'BOT_MEMBER_REFUSED',
  /** The server said no to this person (removing others from a group one does not own, say). */
  'NOT_ALLOWED',
  'INTERNAL',
] as const

export type HostErrorCode = (typeof HOST_ERROR_CODES)[number]

/** Values an error's sentence is made with (a file name, a size in bytes), by name. */
export type ErrorParams = Record<string, string | number>

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message)
    this.name = 'HostError'
  }
}

/** Keeps only string and finite number values: what crosses a transport as ErrorParams. */
export function toErrorParams(value: unknown): ErrorParams | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const entries = Object.entries(value).filter(
    ([, v]) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
  )
  return entries.length > 0 ? (Object.fromEntries(entries) as ErrorParams) : undefined
}

export function isHostErrorCode(value: unknown): value is HostErrorCode {
  return isOneOf(HOST_ERROR_CODES, value)
}

/**
 * Why an upload failed (electron/core/upload): a code the UI words, beside the English message.
 * FILE_TOO_LARGE carries params `name`, `size` and `limit` (bytes) when known before any byte.
 */
export const UPLOAD_ERROR_CODES = [
  'FILE_TOO_LARGE',
  'FILE_CHANGED',
  'FILE_UNREADABLE',
  'REFUSED',
  'UNREACHABLE',
  'INTERRUPTED',
  'CANCELLED',
] as const

export type UploadErrorCode = (typeof UPLOAD_ERROR_CODES)[number]

export function isUploadErrorCode(value: unknown): value is UploadErrorCode {
  return isOneOf(UPLOAD_ERROR_CODES, value)
}

function isOneOf<T extends string>(codes: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (codes as readonly string[]).includes(value)
}
