// A request that cannot be served, with the wire error code the client receives.
import { ErrorCode } from '../../shared/gen/tack_pb'

export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'RequestError'
  }
}

export const badRequest = (message: string) => new RequestError(ErrorCode.BAD_REQUEST, message)
export const notFound = (message: string) => new RequestError(ErrorCode.NOT_FOUND, message)
export const forbidden = (message: string) => new RequestError(ErrorCode.FORBIDDEN, message)
export const unauthenticated = (message: string) =>
  new RequestError(ErrorCode.UNAUTHENTICATED, message)
export const botMemberRefused = (botIds: readonly string[]) =>
  new RequestError(
    ErrorCode.BOT_MEMBER_REFUSED,
    `a micro-app's bot cannot be made a group member: ${botIds.join(', ')}`,
  )
