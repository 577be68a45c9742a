// Requests that open and close sessions: ping, login, resume, logout.
import { z } from 'zod'
import { ErrorCode, type User } from '../../../shared/gen/tack_pb'
import { createLogger } from '../../../shared/logger'
import { RETIRED_REASON, SIGNED_OUT_ELSEWHERE_REASON } from '../../../shared/signed-out'
import { verifyAgainstNothing, verifyPassword } from '../../auth/passwords'
import { TICKET_LIFETIME_MS, hashTicket, newTicket } from '../../auth/tickets'
import type { Storage } from '../../storage/storage'
import { RequestError, badRequest, notFound, unauthenticated } from '../request-error'
import {
  publicRequest,
  sessionRequest,
  type AccessContext,
  type ReplyBody,
  type Session,
} from '../request-handler'

const log = createLogger('access')

const deviceSchema = z.object({
  deviceId: z.string().min(1).max(128),
  name: z.string().max(200),
  platform: z.string().max(64),
})

type Device = z.infer<typeof deviceSchema>

export const ping = publicRequest(z.object({ sentAtMs: z.bigint() }), (request) => ({
  case: 'pong',
  value: { sentAtMs: request.sentAtMs },
}))

export const login = publicRequest(
  z.object({ username: z.string().max(64), password: z.string().max(1024), device: deviceSchema }),
  async (request, context) => {
    const user = await checkCredentials(context, request.username, request.password)
    const ticket = newTicket()
    const now = Date.now()
    context.storage.saveTicket({
      ticketHash: hashTicket(ticket),
      userId: user.id,
      deviceId: request.device.deviceId,
      createdAtMs: now,
      expiresAtMs: now + TICKET_LIFETIME_MS,
    })
    return openSession(context, user, request.device, ticket, 'login')
  },
)

export const resume = publicRequest(
  z.object({
    ticket: z.string().min(1).max(256),
    device: deviceSchema,
    syncFromSyncId: z.bigint().nonnegative().optional(),
  }),
  (request, context) => {
    const user = userOfTicket(context.storage, request.ticket, request.device.deviceId)
    return openSession(context, user, request.device, request.ticket, 'resume', {
      syncFromSyncId: request.syncFromSyncId,
    })
  },
)

export const logout = sessionRequest(z.object({}), (_request, context) => {
  const { user, deviceId } = context.session
  context.storage.deleteTicket(context.session.ticketHash)
  context.endSession()
  if (context.storage.retireDevice(user.id, deviceId)) context.hub.logsGrew([user.id])
  log.info({ userId: context.session.user.id, remote: context.remote }, 'session ended by logout')
  return { case: 'ok', value: {} }
})

/** The same answer, and about the same time, for an unknown username and a wrong password. */
async function checkCredentials(
  context: AccessContext,
  username: string,
  password: string,
): Promise<User> {
  const credentials = context.storage.findCredentials(username.trim().toLowerCase())
  const matches = credentials
    ? await verifyPassword(password, credentials.passwordHash)
    : await verifyAgainstNothing(password)
  if (credentials && matches) return credentials.user
  log.info({ username, remote: context.remote }, 'login refused')
  throw new RequestError(ErrorCode.BAD_CREDENTIALS, 'wrong username or password')
}

function userOfTicket(storage: Storage, ticket: string, deviceId: string): User {
  const ticketHash = hashTicket(ticket)
  const record = storage.findTicket(ticketHash)
  if (!record) throw unauthenticated('unknown or revoked ticket; log in again')
  if (record.expiresAtMs <= Date.now()) {
    storage.deleteTicket(ticketHash)
    throw new RequestError(ErrorCode.TICKET_EXPIRED, 'ticket expired; log in again')
  }
  if (record.deviceId !== deviceId) throw unauthenticated('ticket belongs to another device')
  if (record.retiredReason !== undefined) {
    storage.deleteTicket(ticketHash)
    throw new RequestError(ErrorCode.DEVICE_RETIRED, record.retiredReason)
  }
  const user = storage.findUser(record.userId)
  if (!user) throw unauthenticated('account no longer exists')
  return user
}

function openSession(
  context: AccessContext,
  user: User,
  device: Device,
  ticket: string,
  via: 'login' | 'resume',
  options: { syncFromSyncId?: bigint } = {},
): ReplyBody {
  const { ackedSyncId, added } = context.storage.touchDevice({
    userId: user.id,
    ...device,
    lastSeenMs: Date.now(),
  })
  if (added) {
    retireLeastRecentlyUsed(context, user.id, device.deviceId)
    context.hub.logsGrew([user.id])
  }
  const session = context.startSession({
    user,
    deviceId: device.deviceId,
    ticketHash: hashTicket(ticket),
  })
  context.storage.deliverGroupLogs(user.id)
  const headSyncId = context.storage.headSyncId(user.id)
  const syncStarted = startSync(session, headSyncId, options.syncFromSyncId)
  log.info(
    { userId: user.id, deviceId: device.deviceId, remote: context.remote, via, syncStarted },
    'session started',
  )
  return {
    case: 'session',
    value: {
      ticket,
      me: user,
      headSyncId,
      deviceSyncId: ackedSyncId,
      syncStarted,
      uploadPort: context.uploadPort,
    },
  }
}

export const signOutDevice = sessionRequest(
  z.object({ deviceId: z.string().min(1).max(128) }),
  (request, context) => {
    const { user, deviceId: mine } = context.session
    if (request.deviceId === mine) throw badRequest('sign this device out with logout')
    if (!context.storage.retireDevice(user.id, request.deviceId, SIGNED_OUT_ELSEWHERE_REASON)) {
      throw notFound(`no device ${request.deviceId}`)
    }
    context.hub.kickDevice(user.id, request.deviceId, SIGNED_OUT_ELSEWHERE_REASON)
    context.hub.logsGrew([user.id])
    log.info({ userId: user.id, deviceId: request.deviceId, by: mine }, 'device signed out')
    return { case: 'ok', value: {} }
  },
)

/** Devices of one person that sync at once; a sign-in on one more retires the least recent. */
export const MAX_DEVICES = 5

function retireLeastRecentlyUsed(context: AccessContext, userId: string, newDeviceId: string) {
  const others = context.storage.listDevices(userId).filter((d) => d.deviceId !== newDeviceId)
  for (const device of others.slice(0, Math.max(0, others.length - (MAX_DEVICES - 1)))) {
    context.storage.retireDevice(userId, device.deviceId, RETIRED_REASON)
    context.hub.kickDevice(userId, device.deviceId, RETIRED_REASON)
    log.info({ userId, deviceId: device.deviceId, newDeviceId }, 'device retired: sixth sign-in')
  }
}

/**
 * Restarts the new session's sync stream in the resume's own exchange, as a sync_request would.
 * A point past the log head is not an error here: the client then asks with a sync_request.
 */
function startSync(session: Session, headSyncId: bigint, fromSyncId: bigint | undefined): boolean {
  if (fromSyncId === undefined || fromSyncId > headSyncId) return false
  session.stream.start(fromSyncId)
  return true
}
