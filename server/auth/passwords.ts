// Password hashes: scrypt with a random salt per password. The stored form names its parameters,
// `scrypt$N$r$p$salt$hash` (base64url), so the cost can be raised later without breaking old
// hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const COST = { N: 16384, r: 8, p: 1 }
const KEY_BYTES = 64
const SALT_BYTES = 16

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const hash = await derive(password, salt, COST)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')]
    .map(String)
    .join('$')
}

/** Compares in constant time. A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const hash = await derive(password, parsed.salt, parsed.cost)
  return hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash)
}

/**
 * Spends the same time as a real check, so a wrong username cannot be told from a wrong
 * password by the response time.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  await derive(password, DUMMY_SALT, COST)
  return false
}

const DUMMY_SALT = randomBytes(SALT_BYTES)

function parseHash(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return undefined
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (![cost.N, cost.r, cost.p].every((value) => Number.isInteger(value) && value > 0)) {
    return undefined
  }
  return { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') }
}

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, cost, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}
