// Sync requests and acks: the device names its sync point, the stream does the rest.
import { z } from 'zod'
import { badRequest } from '../request-error'
import { sessionRequest } from '../request-handler'

export const syncRequest = sessionRequest(
  z.object({ fromSyncId: z.bigint() }),
  (request, { storage, session }) => {
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
