// The messages of one conversation, oldest first, mine on the right. Stays scrolled to the bottom
// as messages arrive, unless the reader has scrolled up (then only their own sends pull it down).
// Opened from a search hit, it shows that message centred and highlighted instead. A separator
// with the date starts each day.
import { Fragment, useLayoutEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView } from '../../../shared/host-api'
import { formatDay, sameDay } from '../format/time'
import { selectMessagesOf } from '../store/selectors'
import { useTack } from '../store/store-context'
import { MessageRow } from './message-row'
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
              <MessageRow
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
