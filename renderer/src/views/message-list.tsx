// The messages of one conversation, oldest first, mine on the right, in a virtualized list: only
// the rows in view (and a few either side) are in the page, each measured as it renders, so a
// conversation of 100,000 messages costs what one screenful does. A separator with the date
// starts each day.
//
// Stays scrolled to the bottom as messages arrive, unless the reader has scrolled up (then only
// their own sends pull it down). Near the top it asks the store for the page before the oldest
// loaded message; the rows in view stay where they are when that page lands above them. Opened
// from a search hit, it shows that message centred and highlighted instead.
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual'
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  type RefObject,
} from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView, MessageView } from '../../../shared/host-api'
import { formatDay, sameDay } from '../format/time'
import { errorDetail, errorText } from '../i18n/error-text'
import type { ErrorInfo } from '../store/errors'
import { selectHasOlder, selectHistoryOf, selectMessagesOf } from '../store/selectors'
import { useTack } from '../store/store-context'
import { MessageRow } from './message-row'
import { useNow } from './use-now'

/** The log's padding above and below its rows (the scroller itself has none sideways only). */
const EDGE_PX = 16
/** The line above the oldest row: loading, failed, or the start of the conversation. */
const HISTORY_EDGE_PX = 32
/** The space between rows, as .message-list's gap. */
const GAP_PX = 10
/** A first guess at a row's height until it is measured, from its kind and length of text. */
function estimateRowPx(row: Row): number {
  if (row.kind === 'day') return 18
  const { text } = row.message
  // A bubble holds about 60 characters a line; its sender and time take about 56 pixels.
  const lines = text
    .split('\n')
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 60)), 0)
  return 56 + 21 * Math.min(lines, 200)
}
/** How close to the top (in pixels) the reader gets before the page above is asked for. */
const LOAD_OLDER_WITHIN_PX = 1_200
/** Rows kept rendered beyond each edge of the view. */
const OVERSCAN_ROWS = 8

// Scrolling re-renders the list each frame; a row only when its own props change.
const MemoMessageRow = memo(MessageRow)

type Row =
  { kind: 'day'; key: string; at: number } | { kind: 'message'; key: string; message: MessageView }

/** The messages with a day separator in front of each day's first one. */
function rowsOf(messages: readonly MessageView[]): Row[] {
  const rows: Row[] = []
  messages.forEach((message, index) => {
    if (index === 0 || !sameDay(messages[index - 1]!.sentAt, message.sentAt)) {
      rows.push({ kind: 'day', key: `day:${message.clientMessageId}`, at: message.sentAt })
    }
    rows.push({ kind: 'message', key: message.clientMessageId, message })
  })
  return rows
}

export function MessageList({ conversation }: { conversation: ConversationView }) {
  // A fresh list (and measurements) for each conversation.
  return <MessageLog key={conversation.id} conversationId={conversation.id} />
}

function MessageLog({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const messages = useTack(selectMessagesOf(conversationId))
  const history = useTack(selectHistoryOf(conversationId))
  const hasOlder = useTack(selectHasOlder(conversationId))
  const loadOlderMessages = useTack((state) => state.loadOlderMessages)
  const myId = useTack((state) => state.session?.me.id)
  const focusedSeq = useTack((state) =>
    state.focusedMessage?.conversationId === conversationId ? state.focusedMessage.seq : null,
  )
  const scroller = useRef<HTMLDivElement>(null)
  // Ticks each minute so "today" becomes "yesterday" after midnight.
  const now = useNow(true, 60_000)
  const rows = useMemo(() => rowsOf(messages), [messages])
  // Set once the list is put in place (at the bottom, or at the focused message).
  const positionedRef = useRef(false)

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer hands out fresh functions each render by design; this component is left uncompiled
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateRowPx(rows[index]!),
    getItemKey: (index) => rows[index]!.key,
    overscan: OVERSCAN_ROWS,
    gap: GAP_PX,
    paddingStart: EDGE_PX + HISTORY_EDGE_PX,
    paddingEnd: EDGE_PX,
    // Rows put in front (an older page) leave the rows in view where they are; rows added at
    // the end are followed while the reader is at the bottom.
    anchorTo: 'end',
    followOnAppend: true,
  })

  useShownMark(conversationId, rows.length > 0)
  usePinnedBottom(virtualizer, positionedRef, rows, myId, focusedSeq)
  useCentredFocus(virtualizer, positionedRef, rows, focusedSeq)

  const canLoadOlder = hasOlder && !history.loadingOlder && history.olderError === null
  const loadOlderIfNear = useCallback(() => {
    const element = scroller.current
    if (!canLoadOlder || !element || !positionedRef.current) return
    if (element.scrollTop < LOAD_OLDER_WITHIN_PX) void loadOlderMessages(conversationId)
  }, [canLoadOlder, conversationId, loadOlderMessages])
  // A page that landed may still leave the reader near the top (or the rows may not fill the
  // view at all): ask for the next one then, without waiting for a scroll.
  useEffect(loadOlderIfNear, [loadOlderIfNear, rows.length])

  const items = virtualizer.getVirtualItems()
  const before = items[0]?.start ?? 0
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)

  return (
    <div
      ref={scroller}
      className={messages.length === 0 ? 'message-scroller' : 'message-scroller virtual'}
      role="log"
      aria-label={t('chat.messages')}
      aria-busy={history.loadingOlder}
      onScroll={loadOlderIfNear}
      data-testid="message-list"
      data-rows={rows.length}
    >
      {messages.length === 0 ? (
        <p className="empty">{t('chat.empty')}</p>
      ) : (
        <ol className="message-list" style={{ paddingTop: before, paddingBottom: after }}>
          <HistoryEdge
            hasOlder={hasOlder}
            loading={history.loadingOlder}
            error={history.olderError}
            onRetry={() => void loadOlderMessages(conversationId)}
          />
          {items.map((item) => {
            const row = rows[item.index]!
            if (row.kind === 'day') {
              return (
                <DaySeparator
                  key={item.key}
                  at={row.at}
                  now={now}
                  index={item.index}
                  measure={virtualizer.measureElement}
                />
              )
            }
            const { message } = row
            return (
              <MemoMessageRow
                key={item.key}
                ref={virtualizer.measureElement}
                index={item.index}
                message={message}
                listNow={now}
                mine={message.senderId === myId}
                highlighted={message.seq !== null && message.seq === focusedSeq}
              />
            )
          })}
        </ol>
      )}
    </div>
  )
}

/**
 * Opens at the bottom, and goes back there when I send (the virtualizer follows other new rows
 * by itself while the reader is at the bottom). A focused message takes over instead.
 */
function usePinnedBottom(
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  positionedRef: RefObject<boolean>,
  rows: Row[],
  myId: string | undefined,
  focusedSeq: number | null,
): void {
  const last = rows.at(-1)
  const lastMessage = last?.kind === 'message' ? last.message : undefined
  const lastIsMine = lastMessage !== undefined && lastMessage.senderId === myId
  const lastKey = lastMessage ? `${lastMessage.clientMessageId}:${lastMessage.state}` : ''

  useLayoutEffect(() => {
    if (rows.length === 0 || focusedSeq !== null) return
    if (!positionedRef.current || lastIsMine) {
      virtualizer.scrollToEnd()
      positionedRef.current = true
    }
    // Only a new last message (or its state) moves the list; not every new row above.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rows.length alone must not
  }, [lastKey, lastIsMine, focusedSeq, virtualizer])
}

/**
 * A performance mark when a conversation's messages first render, `tack:messages-shown:<id>`:
 * the UI benchmark reads it out of a performance trace to time switching conversations.
 */
function useShownMark(conversationId: string, shown: boolean): void {
  const marked = useRef(false)
  useLayoutEffect(() => {
    if (!shown || marked.current) return
    marked.current = true
    performance.mark(`tack:messages-shown:${conversationId}`)
  }, [conversationId, shown])
}

/** A message opened from a search hit is scrolled to the middle of the view once it is loaded. */
function useCentredFocus(
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  positionedRef: RefObject<boolean>,
  rows: Row[],
  focusedSeq: number | null,
): void {
  const focusedIndex =
    focusedSeq === null
      ? -1
      : rows.findIndex((row) => row.kind === 'message' && row.message.seq === focusedSeq)

  useLayoutEffect(() => {
    if (focusedIndex === -1) return
    virtualizer.scrollToIndex(focusedIndex, { align: 'center' })
    positionedRef.current = true
    // The index moves when older rows land in front; the focus is centred once per message.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [focusedSeq, focusedIndex === -1, virtualizer])
}

/** Above the oldest row: earlier messages loading, their failure with a retry, or the start. */
function HistoryEdge({
  hasOlder,
  loading,
  error,
  onRetry,
}: {
  hasOlder: boolean
  loading: boolean
  error: ErrorInfo | null
  onRetry: () => void
}) {
  const { t } = useTranslation()
  return (
    <li
      className="history-edge"
      style={{ height: HISTORY_EDGE_PX, top: EDGE_PX }}
      role="status"
      data-testid="history-edge"
      data-state={error ? 'failed' : loading ? 'loading' : hasOlder ? 'more' : 'start'}
    >
      {error ? (
        <>
          <span className="error" title={errorDetail(t, error.message)}>
            {t('chat.olderFailed', { message: errorText(t, error) })}
          </span>
          <button type="button" className="button small" onClick={onRetry}>
            {t('chat.olderRetry')}
          </button>
        </>
      ) : loading ? (
        t('chat.loadingOlder')
      ) : hasOlder ? null : (
        t('chat.historyStart')
      )}
    </li>
  )
}

/** Where a new day starts: "Today", "Yesterday" or the date, in the UI's language. */
const DaySeparator = memo(function DaySeparator({
  at,
  now,
  index,
  measure,
}: {
  at: number
  now: number
  index: number
  measure: (element: Element | null) => void
}) {
  const { t, i18n } = useTranslation()
  const label = formatDay(at, now, i18n.language, {
    today: t('chat.today'),
    yesterday: t('chat.yesterday'),
  })
  return (
    <li
      ref={measure}
      data-index={index}
      className="day-separator"
      role="separator"
      aria-label={label}
      data-testid="day-separator"
    >
      <time dateTime={new Date(at).toISOString().slice(0, 10)}>{label}</time>
    </li>
  )
})
