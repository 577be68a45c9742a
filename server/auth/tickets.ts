// Session tickets: random bearer strings handed to the client once. Storage keeps only their
// SHA-256, so a copy of the database cannot resume anyone's session.
import { createHash, randomBytes } from 'node:crypto'

export const TICKET_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

export function newTicket(): string {
  return randomBytes(32).toString('base64url')
}

export function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex')
}
