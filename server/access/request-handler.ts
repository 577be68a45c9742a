// How a request type is served: a zod schema for its body, whether it needs a session, and a
// handler that returns the reply body (or nothing, for frames that get no reply).
import type { z } from 'zod'
import type { FrameInit } from '../../shared/frame-codec'
import type { User } from '../../shared/gen/tack_pb'
import type { Storage } from '../storage/storage'
import type { SyncHub } from '../sync/sync-hub'
import type { SyncStream } from '../sync/sync-stream'
import { badRequest, unauthenticated } from './request-error'

export type ReplyBody = NonNullable<FrameInit['body']>

export interface Session {
  user: User
  deviceId: string
  ticketHash: string
  stream: SyncStream
}

export interface SessionStart {
  user: User
  deviceId: string
  ticketHash: string
}

/** What a handler may use: shared services and the connection it runs on. */
export interface AccessContext {
  storage: Storage
  hub: SyncHub
  /** The upload endpoint's port on this server's host. */
  uploadPort: number
  remote: string
  session: Session | undefined
  /** Makes this connection signed in, ending any session it had. */
  startSession(start: SessionStart): Session
  endSession(): void
}

export interface SessionContext extends AccessContext {
  session: Session
}

type Reply = ReplyBody | undefined

export interface RequestHandler {
  handle(body: unknown, context: AccessContext): Promise<Reply>
}

/** A request served with or without a session (ping, login, resume). */
export function publicRequest<T>(
  schema: z.ZodType<T>,
  handle: (request: T, context: AccessContext) => Reply | Promise<Reply>,
): RequestHandler {
  return {
    handle: async (body, context) => handle(parse(schema, body), context),
  }
}

/** A request that needs a session; before login or resume it gets UNAUTHENTICATED. */
export function sessionRequest<T>(
  schema: z.ZodType<T>,
  handle: (request: T, context: SessionContext) => Reply | Promise<Reply>,
): RequestHandler {
  return {
    handle: async (body, context) => {
      const session = context.session
      if (!session) throw unauthenticated('log in or resume a session first')
      return handle(parse(schema, body), { ...context, session })
    },
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  throw badRequest(problems.join('; '))
}
