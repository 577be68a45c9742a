// Secrets of the open platform: app secrets, access tokens, auth codes and jsapi tickets are random
// strings handed out once; storage keeps only the SHA-256 of each (the jsapi ticket excepted, since
// the server checks dd.config signatures with it).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const ACCESS_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000
export const AUTH_CODE_LIFETIME_MS = 5 * 60 * 1000
export const JSAPI_TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000

export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Compares a secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const offered = Buffer.from(hashSecret(secret), 'hex')
  const expected = Buffer.from(storedHash, 'hex')
  return offered.length === expected.length && timingSafeEqual(offered, expected)
}

/**
 * The dd.config signature: SHA-1 (hex) over `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`, the
 * keys in sorted order and the URL without its fragment, as DingTalk computes it.
 */
export function jsApiSignature(input: {
  ticket: string
  nonceStr: string
  timestamp: number | bigint
  url: string
}): string {
  const fields: Record<string, string> = {
    jsapi_ticket: input.ticket,
    noncestr: input.nonceStr,
    timestamp: String(input.timestamp),
    url: input.url.split('#')[0]!,
  }
  const plain = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&')
  return createHash('sha1').update(plain).digest('hex')
}
