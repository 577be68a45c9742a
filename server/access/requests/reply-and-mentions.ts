// What a sent message may carry besides its text: a quote of the message it answers and the
// members it @-mentions. Both are checked against the conversation the message goes to.
import { create } from '@bufbuild/protobuf'
import { z } from 'zod'
import { ReplyQuoteSchema, type Conversation, type ReplyQuote } from '../../../shared/gen/tack_pb'
import type { Storage } from '../../storage/storage'
import { badRequest, notFound } from '../request-error'

/** How much of the answered message's text its quote keeps, in characters. */
export const REPLY_EXCERPT_CHARS = 100

export const replyAndMentionFields = {
  replyToMessageId: z.string().max(128),
  mentionIds: z.array(z.string().min(1).max(128)).max(1000),
}

/**
 * The quote of `replyToMessageId` (empty: none), which must be a message of the same
 * conversation (a recalled one gives a quote marked recalled, without text); and the mentioned
 * ids, each a member, without repeats.
 */
export function checkReplyAndMentions(
  storage: Storage,
  conversation: Conversation,
  request: { replyToMessageId: string; mentionIds: string[] },
): { replyTo?: ReplyQuote; mentionIds: string[] } {
  const mentionIds = [...new Set(request.mentionIds)]
  const strangers = mentionIds.filter((userId) => !conversation.memberIds.includes(userId))
  if (strangers.length > 0) {
    throw badRequest(`mentioned users are not members: ${strangers.join(', ')}`)
  }
  if (request.replyToMessageId === '') return { mentionIds }

  const original = storage.findMessage(request.replyToMessageId)
  if (!original) throw notFound(`no message ${request.replyToMessageId}`)
  if (original.message.conversationId !== conversation.id) {
    throw badRequest('a reply must quote a message of the same conversation')
  }
  if (original.message.notice) throw badRequest('a group notice cannot be quoted')

  // A reply already on its way when the original was recalled goes through (its sender typed it
  // in good faith), with the quote marked recalled and no text: a recall takes the text away.
  const replyTo = create(ReplyQuoteSchema, {
    messageId: original.message.id,
    senderId: original.message.senderId,
    excerpt: original.recalled
      ? ''
      : [...original.message.text].slice(0, REPLY_EXCERPT_CHARS).join(''),
    seq: original.message.seq,
    recalled: original.recalled,
  })
  return { replyTo, mentionIds }
}
