// The conversation list: pinned first, then newest activity, with a preview, time and unread
// count; muted ones say so and their count is grey (and left out of the total).
import { useTranslation } from 'react-i18next'
import type { ConversationView, Person } from '../../../shared/host-api'
import { formatCount } from '../format/number'
import { formatListTime } from '../format/time'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { SearchBox, SearchResults } from './search-panel'
import { useNow } from './use-now'

// TODO(#7): a virtualized list for accounts with thousands of conversations (with a list library
// such as @tanstack/react-virtual).
export function ConversationList() {
  const { t } = useTranslation()
  const conversations = useTack((state) => state.conversations)
  const openConversationId = useTack((state) => state.openConversationId)
  const openConversation = useTack((state) => state.openConversation)
  const searching = useTack((state) => state.searchQuery.trim() !== '')
  // Ticks each minute so "today" times become dates after midnight.
  const now = useNow(true, 60_000)

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
      <ul
        className="conversation-list"
        aria-labelledby="conversation-pane-title"
        data-testid="conversation-list"
        hidden={searching}
      >
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <ConversationItem
              conversation={conversation}
              open={conversation.id === openConversationId}
              now={now}
              onOpen={openConversation}
            />
          </li>
        ))}
      </ul>
    </section>
  )
}

function ConversationItem({
  conversation,
  open,
  now,
  onOpen,
}: {
  conversation: ConversationView
  open: boolean
  now: number
  onOpen: (conversationId: string) => void
}) {
  const { t, i18n } = useTranslation()
  const myId = useTack((state) => state.session?.me.id)
  const peopleById = useTack((state) => state.peopleById)
  const peer = conversation.peerId ? peopleById[conversation.peerId] : undefined
  const { unreadCount } = conversation

  return (
    <button
      type="button"
      className="conversation-item"
      aria-current={open ? 'true' : undefined}
      onClick={() => onOpen(conversation.id)}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
    >
      <Avatar name={conversation.title} color={peer?.avatarColor} />
      <span className="conversation-main">
        <span className="conversation-top">
          <span className="conversation-title" data-testid="conversation-title">
            {conversation.title}
          </span>
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
          <span className="conversation-preview">
            {previewOf(conversation, myId, peopleById, t)}
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
    </button>
  )
}

function previewOf(
  conversation: ConversationView,
  myId: string | undefined,
  peopleById: Record<string, Person>,
  t: ReturnType<typeof useTranslation>['t'],
): string {
  const message = conversation.lastMessage
  if (!message) return t('conversations.noMessages')
  // A recall empties the text (the core keeps no copy of it).
  if (message.text === '') return t('conversations.recalled')
  const text = message.text.replace(/\s+/g, ' ')
  if (message.senderId === myId) return t('conversations.mine', { text })
  if (conversation.kind === 'group') {
    const name = peopleById[message.senderId]?.name ?? t('chat.unknownSender')
    return t('conversations.fromOther', { name, text })
  }
  return text
}
