// Why the server ended a device's session, as a code the UI words in its own language. The server
// sends and stores its English sentence (a kick's reason, a retired device's refusal); both sides
// take the sentences from here, so the client can tell which one it was given.

export const SIGNED_OUT_CODES = [
  /** Signed out from another of the person's devices (Settings → Devices). */
  'SIGNED_OUT_ELSEWHERE',
  /** Retired: the account signed in on a sixth device and this one was used least recently. */
  'DEVICE_RETIRED',
  /** The server ended the session for another reason (an expired ticket, say). */
  'SESSION_ENDED',
  /** The last account could not be opened again when Tack started. */
  'NOT_RESTORED',
] as const

export type SignedOutCode = (typeof SIGNED_OUT_CODES)[number]

export const SIGNED_OUT_ELSEWHERE_REASON = 'Signed out from another of your devices.'

export const RETIRED_REASON =
  'Signed out because this account signed in on a sixth device; ' +
  'up to five devices stay signed in, and this one had been used least recently.'

/** The code for a reason the server gave; a sentence not from this file ended the session. */
export function signedOutCodeOf(reason: string): SignedOutCode {
  if (reason === SIGNED_OUT_ELSEWHERE_REASON) return 'SIGNED_OUT_ELSEWHERE'
  if (reason === RETIRED_REASON) return 'DEVICE_RETIRED'
  return 'SESSION_ENDED'
}
