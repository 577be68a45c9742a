// Conversations and messages: open a direct conversation, create a group, send, mark read.
// Each write appends to the sync logs of the users it concerns, then wakes their sync streams.
import { randomUUID } from 'node:crypto'
import { create, type MessageInitShape } from '@bufbuild/protobuf'
import { z } from 'zod'
import {
  ConversationKind,
  ConversationSchema,
  GroupNoticeKind,
  GroupNoticeSchema,
  type Conversation,
} from '../../../shared/gen/tack_pb'
import { groupOwner } from '../../../shared/group-owner'
import { createLogger } from '../../../shared/logger'
import type { Storage } from '../../storage/storage'
import { badRequest, botMemberRefused, forbidden, notFound } from '../request-error'
import { sessionRequest } from '../request-handler'
import { checkReplyAndMentions, replyAndMentionFields } from './reply-and-mentions'
import { attachmentSchema, checkAttachment } from './attachment-check'

const log = createLogger('access')

export const MAX_MESSAGE_CHARS = 10_000
const MAX_GROUP_MEMBERS = 1000

const idSchema = z.string().min(1).max(128)

/** The pair in a fixed order, smaller user id first, and the conversation id made from it. */
export function directPair(userA: string, userB: string) {
  const memberIds = userA < userB ? [userA, userB] : [userB, userA]
  return { id: `d:${memberIds[0]}:${memberIds[1]}`, memberIds }
}

export const openDirect = sessionRequest(
  z.object({ peerId: idSchema }),
  (request, { storage, hub, session }) => {
    const me = session.user.id
    if (request.peerId === me) throw badRequest('a direct conversation needs another person')
    if (!storage.findUser(request.peerId)) throw notFound(`no user ${request.peerId}`)

    const { id, memberIds } = directPair(me, request.peerId)
    let conversation = storage.findConversation(id)
    if (!conversation) {
      conversation = newConversation(id, ConversationKind.DIRECT, '', memberIds)
      storage.createConversation(conversation)
      hub.logsGrew(conversation.memberIds)
      log.info({ conversationId: id, userId: me }, 'direct conversation created')
    }
    return { case: 'openDirectReply', value: { conversation } }
  },
)

export const createGroup = sessionRequest(
  z.object({
    title: z.string().trim().min(1).max(100),
    memberIds: z.array(idSchema).max(MAX_GROUP_MEMBERS),
  }),
  (request, { storage, hub, session }) => {
    const memberIds = [...new Set([session.user.id, ...request.memberIds])]
    const unknown = memberIds.filter((userId) => !storage.findUser(userId))
    if (unknown.length > 0) throw notFound(`no users ${unknown.join(', ')}`)
    refuseBots(storage, memberIds)

    const id = `g:${randomUUID()}`
    const conversation = newConversation(id, ConversationKind.GROUP, request.title, memberIds)
    storage.createConversation(conversation)
    postNotice(storage, id, session.user.id, {
      kind: GroupNoticeKind.CREATED,
      title: request.title,
    })
    hub.logsGrew(memberIds)
    log.info(
      { conversationId: id, userId: session.user.id, members: memberIds.length },
      'group created',
    )
    return { case: 'createGroupReply', value: { conversation } }
  },
)

export const sendMessage = sessionRequest(
  z.object({
    conversationId: idSchema,
    clientMessageId: z.string().min(1).max(128),
    text: z
      .string()
      .refine(
        (text) => [...text].length <= MAX_MESSAGE_CHARS,
        `message text is over ${MAX_MESSAGE_CHARS} characters`,
      ),
    attachment: attachmentSchema.optional(),
    ...replyAndMentionFields,
  }),
  (request, { storage, hub, session }) => {
    // A message with an attachment may have no text; one without must have some.
    if (!request.attachment && request.text.trim().length === 0) {
      throw badRequest('message text is empty')
    }
    const conversation = memberConversation(storage, request.conversationId, session.user.id)
    const attachment =
      request.attachment &&
      checkAttachment(request.attachment, session.user.id, (fileId) => storage.findFile(fileId))
    const { replyTo, mentionIds } = checkReplyAndMentions(storage, conversation, request)
    const { message, created } = storage.addMessage({
      conversationId: conversation.id,
      senderId: session.user.id,
      clientMessageId: request.clientMessageId,
      text: request.text,
      sentAtMs: Date.now(),
      attachment,
      replyTo,
      mentionIds,
    })
    if (created) hub.logsGrew(conversation.memberIds)
    log.debug(
      { messageId: message.id, conversationId: conversation.id, seq: message.seq, created },
      'message accepted',
    )
    return { case: 'sendMessageReply', value: { message } }
  },
)

export const markRead = sessionRequest(
  z.object({ conversationId: idSchema, readSeq: z.bigint() }),
  (request, { storage, hub, session }) => {
    const me = session.user.id
    memberConversation(storage, request.conversationId, me)
    // The reader's own devices, and the senders whose messages the move newly covers (receipts).
    const grown = storage.moveReadPosition(me, request.conversationId, request.readSeq)
    if (grown) hub.logsGrew(grown)
    return { case: 'ok', value: {} }
  },
)

/** How long after sending its sender may recall a message. */
export const RECALL_WINDOW_MS = 2 * 60_000

export const recallMessage = sessionRequest(
  z.object({ conversationId: idSchema, messageId: idSchema }),
  (request, { storage, hub, session }) => {
    const me = session.user.id
    const conversation = memberConversation(storage, request.conversationId, me)
    const stored = storage.findMessage(request.messageId)
    if (!stored || stored.message.conversationId !== conversation.id) {
      throw notFound(`no message ${request.messageId} in ${conversation.id}`)
    }
    if (stored.message.senderId !== me) throw forbidden('only the sender may recall a message')
    if (stored.message.notice) throw badRequest('a group notice cannot be recalled')
    if (stored.recalled) return { case: 'ok', value: {} }
    if (Date.now() - Number(stored.message.sentAtMs) > RECALL_WINDOW_MS) {
      throw badRequest('a message can be recalled only within two minutes of sending it')
    }
    if (storage.recallMessage(request.messageId)) hub.logsGrew(conversation.memberIds)
    log.debug({ messageId: request.messageId, conversationId: conversation.id }, 'message recalled')
    return { case: 'ok', value: {} }
  },
)

export const updateConversation = sessionRequest(
  z.object({
    conversationId: idSchema,
    title: z.string().trim().min(1).max(100).optional(),
    addMemberIds: z.array(idSchema).max(MAX_GROUP_MEMBERS),
    removeMemberIds: z.array(idSchema).max(MAX_GROUP_MEMBERS),
    pinned: z.boolean().optional(),
    muted: z.boolean().optional(),
  }),
  (request, { storage, hub, session }) => {
    const me = session.user.id
    let conversation = memberConversation(storage, request.conversationId, me)
    const changesShared =
      request.title !== undefined ||
      request.addMemberIds.length > 0 ||
      request.removeMemberIds.length > 0
    if (changesShared) {
      if (conversation.kind !== ConversationKind.GROUP) {
        throw badRequest('only a group has a title and members to change')
      }
      const unknown = request.addMemberIds.filter((userId) => !storage.findUser(userId))
      if (unknown.length > 0) throw notFound(`no users ${unknown.join(', ')}`)
      const before = conversation.memberIds
      const added = [...new Set(request.addMemberIds)].filter((userId) => !before.includes(userId))
      // A bot the app put in its own group (/chat/create) stays; a person adds none.
      refuseBots(storage, added)
      const removed = [...new Set(request.removeMemberIds)].filter(
        (userId) => before.includes(userId) && userId !== me && !added.includes(userId),
      )
      // Only the owner (shared/group-owner.ts) removes others; anyone may add people or leave.
      if (removed.length > 0 && groupOwner(before, isBotOf(storage)) !== me) {
        throw forbidden('only the group owner may remove other members')
      }
      const leaving = request.removeMemberIds.includes(me)
      const renamed = request.title !== undefined && request.title !== conversation.title
      // Notes of removals go in first, so those removed see them; the rest after, so those added do.
      if (removed.length > 0) {
        postNotice(storage, conversation.id, me, {
          kind: GroupNoticeKind.MEMBERS_REMOVED,
          memberIds: removed,
        })
      }
      if (leaving) postNotice(storage, conversation.id, me, { kind: GroupNoticeKind.LEFT })
      conversation = storage.updateConversation(conversation.id, {
        title: request.title,
        addMemberIds: request.addMemberIds,
        removeMemberIds: request.removeMemberIds,
      })
      if (renamed && !leaving) {
        postNotice(storage, conversation.id, me, {
          kind: GroupNoticeKind.RENAMED,
          title: conversation.title,
        })
      }
      if (added.length > 0 && !leaving) {
        postNotice(storage, conversation.id, me, {
          kind: GroupNoticeKind.MEMBERS_ADDED,
          memberIds: added,
        })
      }
      hub.logsGrew([...new Set([...before, ...conversation.memberIds])])
    }

    // The caller may have just left; their settings then stay as they were.
    const settingsChange = { pinned: request.pinned, muted: request.muted }
    const stillMember = conversation.memberIds.includes(me)
    const settings = stillMember
      ? storage.updateSettings(me, conversation.id, settingsChange)
      : undefined
    if (stillMember && (request.pinned !== undefined || request.muted !== undefined)) {
      hub.logsGrew([me])
    }
    return { case: 'updateConversationReply', value: { conversation, settings } }
  },
)

/**
 * A micro-app's bot is not a person: in a group a person makes or changes it would never read,
 * and count as unread for every message. Only the app itself puts its bot in a group.
 */
function refuseBots(storage: Storage, userIds: readonly string[]): void {
  const refused = userIds.filter(isBotOf(storage))
  if (refused.length > 0) throw botMemberRefused(refused)
}

/** Whether a user is a micro-app's bot rather than a person. */
export function isBotOf(storage: Storage): (userId: string) => boolean {
  const bots = new Set(storage.listMicroApps().map((app) => app.botUserId))
  return (userId) => bots.has(userId)
}

/** Writes a note of a change into the group, from the member who made it (see GroupNotice). */
export function postNotice(
  storage: Storage,
  conversationId: string,
  actorId: string,
  notice: MessageInitShape<typeof GroupNoticeSchema>,
): void {
  storage.addMessage({
    conversationId,
    senderId: actorId,
    clientMessageId: `notice:${randomUUID()}`,
    text: '',
    sentAtMs: Date.now(),
    notice: create(GroupNoticeSchema, notice),
  })
}

function memberConversation(storage: Storage, conversationId: string, userId: string) {
  const conversation = storage.findConversation(conversationId)
  if (!conversation) throw notFound(`no conversation ${conversationId}`)
  if (!conversation.memberIds.includes(userId)) {
    throw forbidden(`not a member of conversation ${conversationId}`)
  }
  return conversation
}

function newConversation(
  id: string,
  kind: ConversationKind,
  title: string,
  memberIds: string[],
): Conversation {
  return create(ConversationSchema, { id, kind, title, memberIds, createdAtMs: BigInt(Date.now()) })
}
