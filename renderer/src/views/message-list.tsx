// The messages of one conversation, oldest first, mine on the right. Stays scrolled to the bottom
// as messages arrive, unless the reader has scrolled up (then only their own sends pull it down).
// Opened from a search hit, it shows that message centred and highlighted instead. A separator
// with the date starts each day.
import { Fragment, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView, MessageView } from '../../../shared/host-api'
import { formatClock, formatDay, sameDay } from '../format/time'
import { describeError } from '../store/errors'
import { selectMessagesOf } from '../store/selectors'
import { useTack } from '../store/store-context'
import { MessageText } from './message-text'
import { useNow } from './use-now'

const NEAR_BOTTOM_PX = 48

// TODO(#7): virtualize (with a list library such as @tanstack/react-virtual), load older pages
// on scroll up, and show read receipts.
export function MessageList({ conversation }: { conversation: ConversationView }) {
  const { t } = useTranslation()
  const messages = useTack(selectMessagesOf(conversation.id))
  const myId = useTack((state) => state.session?.me.id)
  const focusedSeq = useTack((state) =>
    state.focusedMessage?.conversationId === conversation.id ? state.focusedMessage.seq : null,
  )
  const focusedShown = messages.some((message) => message.seq === focusedSeq)
  const scroller = useRef<HTMLDivElement>(null)
  // Ticks each minute so "today" becomes "yesterday" after midnight.
  const now = useNow(true, 60_000)
  const nearBottom = useRef(true)
  const last = messages.at(-1)
  const lastKey = last ? `${last.clientMessageId}:${last.state}` : ''
  const lastIsMine = last?.senderId === myId

  useLayoutEffect(() => {
    nearBottom.current = true
  }, [conversation.id])

  useLayoutEffect(() => {
    const element = scroller.current
    if (!element || focusedSeq !== null) return
    if (nearBottom.current || lastIsMine) element.scrollTop = element.scrollHeight
  }, [conversation.id, lastKey, lastIsMine, focusedSeq])

  useLayoutEffect(() => {
    if (focusedSeq === null || !focusedShown) return
    const target = scroller.current?.querySelector(`[data-seq="${focusedSeq}"]`)
    target?.scrollIntoView({ block: 'center' })
    nearBottom.current = false
  }, [focusedSeq, focusedShown])

  function trackScroll(): void {
    const element = scroller.current
    if (!element) return
    nearBottom.current =
      element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX
  }

  return (
    <div
      ref={scroller}
      className="message-scroller"
      role="log"
      aria-label={t('chat.messages')}
      onScroll={trackScroll}
      data-testid="message-list"
    >
      {messages.length === 0 ? (
        <p className="empty">{t('chat.empty')}</p>
      ) : (
        <ol className="message-list">
          {messages.map((message, index) => (
            <Fragment key={message.clientMessageId}>
              {(index === 0 || !sameDay(messages[index - 1]!.sentAt, message.sentAt)) && (
                <DaySeparator at={message.sentAt} now={now} />
              )}
              <MessageItem
                message={message}
                listNow={now}
                mine={message.senderId === myId}
                highlighted={message.seq !== null && message.seq === focusedSeq}
              />
            </Fragment>
          ))}
        </ol>
      )}
    </div>
  )
}

/** Where a new day starts: "Today", "Yesterday" or the date, in the UI's language. */
function DaySeparator({ at, now }: { at: number; now: number }) {
  const { t, i18n } = useTranslation()
  const label = formatDay(at, now, i18n.language, {
    today: t('chat.today'),
    yesterday: t('chat.yesterday'),
  })
  return (
    <li className="day-separator" role="separator" aria-label={label} data-testid="day-separator">
      <time dateTime={new Date(at).toISOString().slice(0, 10)}>{label}</time>
    </li>
  )
}

/** How long after sending a message its sender may recall it (the server enforces it too). */
const RECALL_WINDOW_MS = 2 * 60_000

function MessageItem({
  message,
  listNow,
  mine,
  highlighted,
}: {
  message: MessageView
  /** The list's minute clock: only messages this recent keep a finer clock of their own. */
  listNow: number
  mine: boolean
  highlighted: boolean
}) {
  const { t, i18n } = useTranslation()
  const sender = useTack((state) => state.peopleById[message.senderId])
  const recallMessage = useTack((state) => state.recallMessage)
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

  if (message.recalled) {
    return (
      <li
        className="message-recalled"
        data-testid="message-recalled"
        data-seq={message.seq ?? undefined}
      >
        {mine ? t('chat.recalledMine') : t('chat.recalledBy', { name: senderName })}
      </li>
    )
  }

  return (
    <li
      className={`message ${mine ? 'mine' : 'theirs'} state-${message.state}${highlighted ? ' highlighted' : ''}`}
      data-testid="message"
      data-state={message.state}
      data-client-id={message.clientMessageId}
      data-mine={mine ? 'true' : 'false'}
      data-seq={message.seq ?? undefined}
      data-highlighted={highlighted ? 'true' : undefined}
    >
      {!mine && <span className="message-sender">{senderName}</span>}
      <p className="message-bubble" data-testid="message-text">
        <MessageText text={message.text} />
      </p>
      <span className="message-meta">
        <time dateTime={new Date(message.sentAt).toISOString()}>
          {formatClock(message.sentAt, i18n.language)}
        </time>
        {mine && <span className="message-state">{t(`chat.state.${message.state}`)}</span>}
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
