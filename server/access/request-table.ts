// Every request type the access layer serves, by its case in the Frame body. To add one: define
// the message in shared/proto/tack.proto, write its handler in requests/, and list it here.
import type { Frame } from '../../shared/frame-codec'
import type { RequestHandler } from './request-handler'
import {
  createGroup,
  markRead,
  openDirect,
  recallMessage,
  sendMessage,
  updateConversation,
} from './requests/conversations'
import { directory } from './requests/directory'
import { login, logout, ping, resume, signOutDevice } from './requests/session'
import { historyRequest, syncAck, syncRequest } from './requests/sync'
import {
  authCode,
  jsApiConfig,
  microAppList,
  microAppPackage,
} from '../open-platform/wire-requests'

type BodyCase = NonNullable<Frame['body']['case']>

const REQUEST_HANDLERS: Partial<Record<BodyCase, RequestHandler>> = {
  ping,
  login,
  resume,
  logout,
  signOutDevice,
  directoryRequest: directory,
  openDirect,
  createGroup,
  sendMessage,
  markRead,
  recallMessage,
  updateConversation,
  syncRequest,
  syncAck,
  historyRequest,
  microAppList,
  authCode,
  jsapiConfig: jsApiConfig,
  microAppPackage,
}

/** The handler for a frame's body, or undefined for replies, pushes and unknown bodies. */
export function requestHandlerFor(body: Frame['body']): RequestHandler | undefined {
  return body.case ? REQUEST_HANDLERS[body.case] : undefined
}
