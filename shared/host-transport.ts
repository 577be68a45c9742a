// The envelope in which a transport (browser mode's WebSocket, Electron's IPC) carries HostApi
// requests, responses and events, and the shared step that validates and dispatches a request.
import { z } from 'zod'
import {
  HostError,
  isHostErrorCode,
  toErrorParams,
  type ErrorParams,
  type HostErrorCode,
} from './errors'
import {
  hostRequestSchemas,
  isHostMethod,
  type HostEventName,
  type HostEvents,
  type HostHandlers,
} from './host-api'

/** Browser mode's WebSocket path; the launch token goes in the query: /host?token=… */
export const BROWSER_HOST_WS_PATH = '/host'

/** The page finds its launch token in the URL fragment: #token=… */
export const LAUNCH_TOKEN_FRAGMENT_KEY = 'token'

export const requestEnvelopeSchema = z
  .object({
    kind: z.literal('request'),
    id: z.number().int().nonnegative(),
    method: z.string().max(64),
    params: z.unknown(),
  })
  .strict()

export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>

export interface ErrorPayload {
  code: HostErrorCode
  message: string
  params?: ErrorParams
}

export type ResponseEnvelope =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: ErrorPayload }

export interface EventEnvelope<E extends HostEventName = HostEventName> {
  kind: 'event'
  name: E
  payload: HostEvents[E]
}

export const responseEnvelopeSchema = z.union([
  z.object({
    kind: z.literal('response'),
    id: z.number(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    kind: z.literal('response'),
    id: z.number(),
    ok: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  }),
  z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() }),
])

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof HostError) {
    const { code, message, params } = error
    return params ? { code, message, params } : { code, message }
  }
  return { code: 'INTERNAL', message: 'internal error' }
}

export function fromErrorPayload(payload: {
  code: string
  message: string
  params?: unknown
}): HostError {
  return new HostError(
    isHostErrorCode(payload.code) ? payload.code : 'INTERNAL',
    payload.message,
    toErrorParams(payload.params),
  )
}

/**
 * Validates one request (method known, parameters match the schema) and runs its handler.
 * Throws HostError BAD_PARAMS / UNKNOWN_METHOD for bad input; the handler's own errors pass on.
 */
export async function dispatchHostRequest(
  handlers: HostHandlers,
  method: string,
  params: unknown,
): Promise<unknown> {
  if (!isHostMethod(method)) throw new HostError('UNKNOWN_METHOD', `unknown method ${method}`)
  const parsed = hostRequestSchemas[method].safeParse(params ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new HostError(
      'BAD_PARAMS',
      `${method}: ${where}${issue?.message ?? 'invalid parameters'}`,
    )
  }
  const handler = handlers[method] as (params: unknown) => Promise<unknown>
  return handler.call(handlers, parsed.data)
}
