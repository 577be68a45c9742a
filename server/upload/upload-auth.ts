// Who is asking: the session ticket the TLS protocol's login returned, as a bearer token.
import type { IncomingMessage } from 'node:http'
import type { User } from '../../shared/gen/tack_pb'
import { hashTicket } from '../auth/tickets'
import type { Storage } from '../storage/storage'

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,256})$/

/** The signed-in user of the request, or undefined for no, an unknown, expired or retired ticket. */
export function userOfRequest(storage: Storage, request: IncomingMessage): User | undefined {
  const match = BEARER.exec(request.headers.authorization ?? '')
  if (!match) return undefined
  const record = storage.findTicket(hashTicket(match[1]!))
  if (!record || record.expiresAtMs <= Date.now() || record.retiredReason !== undefined) {
    return undefined
  }
  return storage.findUser(record.userId)
}
