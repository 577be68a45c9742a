// The conversation list: pinned first, then newest activity, with a preview, time and unread
// count; muted ones say so and their count is grey (and left out of the total); a group I have
// left says so and its title is grey.
//
// Virtualized: only the options in view (and a few either side) are in the page, so 20,000
// conversations scroll as smoothly as twenty. It is one listbox the keyboard drives: the arrow
// keys, Home, End, Page Up and Page Down move the active option (aria-activedescendant, scrolled
// into view), Enter or Space opens it; focus stays on the list.
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView, Person } from '../../../shared/host-api'
import { messagePreview } from '../../../shared/message-notice'
import { groupNoticeText } from './group-notice'
import { formatCount } from '../format/number'
import { formatListTime } from '../format/time'
import { attachmentWords } from '../i18n/attachment-words'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { haveLeft } from './group-panel'
import { MentionMarker } from './mention-marker'
import { SearchBox, SearchResults } from './search-panel'
import { useNow } from './use-now'

/** Every option's height (fixed in app.css): nothing to measure, so scrolling lays out only new ones. */
const OPTION_PX = 64
/** Options kept rendered beyond each edge of the view. */
const OVERSCAN_OPTIONS = 6

export function ConversationList() {
  const { t } = useTranslation()
  const conversations = useTack((state) => state.conversations)
  const searching = useTack((state) => state.searchQuery.trim() !== '')

  return (
    <section className="conversation-pane" aria-labelledby="conversation-pane-title">
      <h2 id="conversation-pane-title" className="pane-title" tabIndex={-1} data-view-heading>
        {t('conversations.label')}
      </h2>
      <SearchBox />
      {searching && <SearchResults />}
      {!searching && conversations.length === 0 && (
        <p className="empty">{t('conversations.empty')}</p>
      )}
      <ConversationOptions conversations={conversations} hidden={searching} />
    </section>
  )
}

function optionId(conversationId: string): string {
  return `conversation-option-${conversationId}`
}

function ConversationOptions({
  conversations,
  hidden,
}: {
  conversations: ConversationView[]
  hidden: boolean
}) {
  const openConversationId = useTack((state) => state.openConversationId)
  const openConversation = useTack((state) => state.openConversation)
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null)
  // The option the keyboard is on, by id, so it stays put when the list reorders.
  const [activeId, setActiveId] = useState<string | null>(null)
  // Ticks each minute so "today" times become dates after midnight.
  const now = useNow(true, 60_000)

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer hands out fresh functions each render by design; this component is left uncompiled
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scroller,
    estimateSize: () => OPTION_PX,
    getItemKey: (index) => conversations[index]!.id,
    overscan: OVERSCAN_OPTIONS,
  })

  const activeIndex = Math.max(
    conversations.findIndex((conversation) => conversation.id === (activeId ?? openConversationId)),
    0,
  )
  const items = virtualizer.getVirtualItems()
  const activeRendered = items.some((item) => item.index === activeIndex)
  const active = conversations[activeIndex]

  function moveTo(index: number): void {
    const next = Math.min(Math.max(index, 0), conversations.length - 1)
    if (next < 0) return
    setActiveId(conversations[next]!.id)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const page = Math.max(Math.floor((scroller?.clientHeight ?? 0) / OPTION_PX), 1)
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: conversations.length - 1,
    }
    if (event.key in moves) {
      event.preventDefault()
      moveTo(moves[event.key]!)
    } else if ((event.key === 'Enter' || event.key === ' ') && active) {
      event.preventDefault()
      openConversation(active.id)
    }
  }

  function open(conversationId: string): void {
    setActiveId(conversationId)
    openConversation(conversationId)
  }

  return (
    <div
      ref={setScroller}
      className="conversation-list"
      role="listbox"
      tabIndex={0}
      aria-labelledby="conversation-pane-title"
      aria-activedescendant={active && activeRendered ? optionId(active.id) : undefined}
      onKeyDown={onKeyDown}
      data-testid="conversation-list"
      hidden={hidden}
    >
      <div
        className="conversation-rows"
        role="presentation"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const conversation = conversations[item.index]!
          return (
            <ConversationItem
              key={item.key}
              conversation={conversation}
              index={item.index}
              total={conversations.length}
              start={item.start}
              open={conversation.id === openConversationId}
              active={item.index === activeIndex}
              now={now}
              onOpen={open}
            />
          )
        })}
      </div>
    </div>
  )
}

// Memoized: scrolling re-renders the list each frame, but an option only when its props change.
const ConversationItem = memo(function ConversationItem({
  conversation,
  index,
  total,
  start,
  open,
  active,
  now,
  onOpen,
}: {
  conversation: ConversationView
  index: number
  total: number
  start: number
  open: boolean
  active: boolean
  now: number
  onOpen: (conversationId: string) => void
}) {
  const { t, i18n } = useTranslation()
  const myId = useTack((state) => state.session?.me.id)
  const peopleById = useTack((state) => state.peopleById)
  const peer = conversation.peerId ? peopleById[conversation.peerId] : undefined
  const { unreadCount } = conversation
  const left = haveLeft(conversation, myId)
  // What I was writing there shows instead of the last message, until I send or empty it; not
  // once I have left (there is no composer to send or empty it from).
  const draft = useTack((state) => (open || left ? undefined : state.drafts[conversation.id]))

  return (
    <div
      id={optionId(conversation.id)}
      role="option"
      aria-selected={open}
      aria-current={open ? 'true' : undefined}
      aria-posinset={index + 1}
      aria-setsize={total}
      className={active ? 'conversation-item active' : 'conversation-item'}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onOpen(conversation.id)}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
    >
      <Avatar name={conversation.title} color={peer?.avatarColor} />
      <span className="conversation-main">
        <span className="conversation-top">
          <span
            className={left ? 'conversation-title conversation-title-left' : 'conversation-title'}
            data-testid="conversation-title"
          >
            {conversation.title}
          </span>
          {left && (
            // A tag whose whole meaning is its label: read out as "You have left this group".
            <span
              className="conversation-flag"
              role="img"
              aria-label={t('conversations.leftLabel')}
              title={t('conversations.leftLabel')}
              data-testid="conversation-left"
            >
              {t('conversations.left')}
            </span>
          )}
          {conversation.pinned && (
            <span className="conversation-flag" data-testid="conversation-pinned">
              {t('conversations.pinned')}
            </span>
          )}
          <time
            className="conversation-time"
            dateTime={new Date(conversation.lastActivityAt).toISOString()}
          >
            {formatListTime(conversation.lastActivityAt, now, i18n.language)}
          </time>
        </span>
        <span className="conversation-bottom">
          <MentionMarker conversation={conversation} />
          {draft !== undefined && (
            <span className="draft-marker" data-testid="conversation-draft">
              {t('conversations.draft')}
            </span>
          )}
          <span className="conversation-preview" data-testid="conversation-preview">
            {draft !== undefined
              ? draft.replace(/\s+/g, ' ')
              : previewOf(conversation, { myId, language: i18n.language }, peopleById, t)}
          </span>
          {conversation.muted && (
            <span className="conversation-flag" data-testid="conversation-muted">
              {t('conversations.muted')}
            </span>
          )}
          {unreadCount > 0 && (
            <span
              className={conversation.muted ? 'badge badge-muted' : 'badge'}
              data-testid="unread-badge"
              aria-label={t('conversations.unread', { total: unreadCount })}
            >
              {formatCount(unreadCount, i18n.language)}
            </span>
          )}
        </span>
      </span>
    </div>
  )
})

function previewOf(
  conversation: ConversationView,
  reader: { myId: string | undefined; language: string },
  peopleById: Record<string, Person>,
  t: ReturnType<typeof useTranslation>['t'],
): string {
  const { myId } = reader
  const message = conversation.lastMessage
  if (!message) return t('conversations.noMessages')
  if (message.notice)
    return groupNoticeText(message.notice, message.senderId, reader, peopleById, t)
  // A recall empties the text (the core keeps no copy of it); a file may come without text.
  if (message.text === '' && !message.attachment) return t('conversations.recalled')
  const text = messagePreview(message, attachmentWords(t)).replace(/\s+/g, ' ')
  if (message.senderId === myId) return t('conversations.mine', { text })
  if (conversation.kind === 'group') {
    const name = peopleById[message.senderId]?.name ?? t('chat.unknownSender')
    return t('conversations.fromOther', { name, text })
  }
  return text
}
