// Sync requests and acks: the device names its sync point, the stream does the rest.
import { z } from 'zod'
import { wireMessage } from '../../sync/sync-reset'
import { badRequest, forbidden, notFound } from '../request-error'
import { sessionRequest } from '../request-handler'

/** Most messages one history page carries. */
export const MAX_HISTORY_PAGE = 200

export const syncRequest = sessionRequest(
  z.object({ fromSyncId: z.bigint() }),
  (request, { storage, session }) => {
    storage.deliverGroupLogs(session.user.id)
    const head = storage.headSyncId(session.user.id)
    if (request.fromSyncId > head) {
      throw badRequest(`sync point ${request.fromSyncId} is past the log head ${head}`)
    }
    session.stream.start(request.fromSyncId)
    return { case: 'ok', value: {} }
  },
)

/** Acks are pushes from the client (id 0): no reply. */
export const syncAck = sessionRequest(
  z.object({ packetNo: z.bigint(), syncId: z.bigint() }),
  (request, { session }) => {
    session.stream.acknowledge(request)
    return undefined
  },
)

/**
 * A page of a conversation's older messages, for a device whose store has a hole (after a reset):
 * the newest `limit` before `beforeSeq`, oldest first, recalled ones without their text.
 */
export const historyRequest = sessionRequest(
  z.object({
    conversationId: z.string().min(1).max(128),
    beforeSeq: z.bigint().positive(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE),
  }),
  (request, { storage, session }) => {
    const conversation = storage.findConversation(request.conversationId)
    if (!conversation) throw notFound(`no conversation ${request.conversationId}`)
    if (!conversation.memberIds.includes(session.user.id)) {
      throw forbidden('not a member of this conversation')
    }
    const page = storage.listMessagesBefore(
      request.conversationId,
      request.beforeSeq,
      request.limit,
    )
    return {
      case: 'historyReply',
      value: {
        messages: page.map(wireMessage),
        recalledMessageIds: page.filter((stored) => stored.recalled).map((s) => s.message.id),
      },
    }
  },
)
