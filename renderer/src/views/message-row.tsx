// One message in the chat: sender, text, time, its state for my own messages, and its actions
// (recall within two minutes); a recalled message or a note of a group change is a quiet line of
// its own. Features of a message (attachments, quotes, read receipts) render as their own
// components inside this row.
import { useState, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { MessageView } from '../../../shared/host-api'
import { formatClock } from '../format/time'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import { MessageAttachment } from './attachment-view'
import { groupNoticeText } from './group-notice'
import { MentionTag, mentionsMe } from './mention-marker'
import { MessageActions } from './message-actions'
import { MessageText } from './message-text'
import { MessageQuote } from './quoted-reply'
import { ReadReceipt } from './read-receipt'
import { useNow } from './use-now'

/** How long after sending a message its sender may recall it (the server enforces it too). */
const RECALL_WINDOW_MS = 2 * 60_000

export function MessageRow({
  message,
  listNow,
  mine,
  highlighted,
  ref,
  index,
}: {
  message: MessageView
  /** The list's minute clock: only messages this recent keep a finer clock of their own. */
  listNow: number
  mine: boolean
  highlighted: boolean
  /** The virtualized list measures the row through this; `index` is its place in that list. */
  ref?: Ref<HTMLLIElement>
  index?: number
}) {
  const { t, i18n } = useTranslation()
  const peopleById = useTack((state) => state.peopleById)
  const sender = peopleById[message.senderId]
  const recallMessage = useTack((state) => state.recallMessage)
  const myId = useTack((state) => state.session?.me.id)
  const [recallError, setRecallError] = useState<string | null>(null)
  const senderName = sender?.name ?? t('chat.unknownSender')
  // A recent message of mine ticks every few seconds, so its button goes when the window closes.
  const recallable =
    mine &&
    message.id !== null &&
    !message.recalled &&
    listNow - message.sentAt < RECALL_WINDOW_MS + 60_000
  const now = useNow(recallable, 5_000)
  const canRecall = recallable && now - message.sentAt < RECALL_WINDOW_MS

  function recall(): void {
    if (!message.id) return
    setRecallError(null)
    recallMessage(message.conversationId, message.id).catch((reason: unknown) =>
      setRecallError(describeError(reason).message),
    )
  }

  // A note of a group change or a recalled message: a quiet centred line, no sender or actions.
  const quietLine = message.notice
    ? {
        kind: 'notice',
        text: groupNoticeText(
          message.notice,
          message.senderId,
          { myId, language: i18n.language },
          peopleById,
          t,
        ),
      }
    : message.recalled
      ? {
          kind: 'recalled',
          text: mine ? t('chat.recalledMine') : t('chat.recalledBy', { name: senderName }),
        }
      : null
  if (quietLine) {
    return (
      <li
        ref={ref}
        data-index={index}
        className={`message-${quietLine.kind}`}
        data-testid={`message-${quietLine.kind}`}
        data-seq={message.seq ?? undefined}
      >
        {quietLine.text}
      </li>
    )
  }

  return (
    <li
      ref={ref}
      data-index={index}
      className={`message ${mine ? 'mine' : 'theirs'} state-${message.state}${highlighted ? ' highlighted' : ''}${mentionsMe(message, myId) ? ' mentions-me' : ''}`}
      data-testid="message"
      data-state={message.state}
      data-client-id={message.clientMessageId}
      data-mine={mine ? 'true' : 'false'}
      data-seq={message.seq ?? undefined}
      data-highlighted={highlighted ? 'true' : undefined}
    >
      {!mine && <span className="message-sender">{senderName}</span>}
      <MentionTag message={message} myId={myId} />
      <MessageQuote message={message} />
      <MessageAttachment message={message} mine={mine} />
      {(!message.attachment || message.text) && (
        <p className="message-bubble" data-testid="message-text">
          <MessageText text={message.text} />
        </p>
      )}
      <span className="message-meta">
        <time dateTime={new Date(message.sentAt).toISOString()}>
          {formatClock(message.sentAt, i18n.language)}
        </time>
        {mine && <span className="message-state">{t(`chat.state.${message.state}`)}</span>}
        {mine && <ReadReceipt message={message} />}
        <MessageActions message={message} senderName={senderName} />
        {canRecall && (
          <button
            type="button"
            className="message-action"
            onClick={recall}
            data-testid="message-recall"
          >
            {t('chat.recall')}
          </button>
        )}
      </span>
      {recallError && (
        <span className="error" role="alert">
          {t('chat.recallFailed', { message: recallError })}
        </span>
      )}
    </li>
  )
}
