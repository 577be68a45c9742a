// Search over messages and contacts, above the conversation list. Typing searches (after a short
// pause); a message hit opens its conversation at that message, a contact opens a direct chat.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { MessageSearchHit, Person } from '../../../shared/host-api'
import { formatClock } from '../format/time'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { matchPerson } from './org-tree'
import { Marked } from './org-tree-view'

const SEARCH_DELAY_MS = 150

export function SearchBox() {
  const { t } = useTranslation()
  const search = useTack((state) => state.search)
  const setSearchQuery = useTack((state) => state.setSearchQuery)
  const searchQuery = useTack((state) => state.searchQuery)

  useEffect(() => {
    if (searchQuery.trim() === '') return
    const timer = setTimeout(() => void search(searchQuery), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [searchQuery, search])

  return (
    <div className="search-box" role="search">
      <input
        type="search"
        value={searchQuery}
        onChange={(event) => setSearchQuery(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && setSearchQuery('')}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        data-testid="search-input"
      />
    </div>
  )
}

export function SearchResults() {
  const { t } = useTranslation()
  const results = useTack((state) => state.searchResults)
  if (!results) return null
  const { contacts, messages, query } = results

  return (
    <div className="search-results" data-testid="search-results">
      {contacts.length === 0 && messages.length === 0 && (
        <p className="empty">{t('search.none', { query })}</p>
      )}
      {contacts.length > 0 && (
        <section aria-label={t('search.contacts')}>
          <h3 className="search-heading">{t('search.contacts')}</h3>
          <ul className="conversation-list">
            {contacts.map((person) => (
              <li key={person.id}>
                <ContactHit person={person} query={query} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {messages.length > 0 && (
        <section aria-label={t('search.messages')}>
          <h3 className="search-heading">{t('search.messages')}</h3>
          <ul className="conversation-list">
            {messages.map((hit) => (
              <li key={`${hit.message.conversationId}:${hit.message.clientMessageId}`}>
                <MessageHit hit={hit} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

function ContactHit({ person, query }: { person: Person; query: string }) {
  // The core found them (name, pinyin, initials); the part that matched is marked here.
  const match = matchPerson(person, query)
  const openDirectConversation = useTack((state) => state.openDirectConversation)
  const clearSearch = useTack((state) => state.clearSearch)
  return (
    <button
      type="button"
      className="conversation-item"
      data-testid="search-contact"
      data-person-id={person.id}
      onClick={() => {
        clearSearch()
        void openDirectConversation(person.id)
      }}
    >
      <Avatar name={person.name} color={person.avatarColor} />
      <span className="conversation-main">
        <span className="conversation-title">
          <Marked text={person.name} match={match?.field === 'name' ? match : undefined} />
        </span>
        <span className="conversation-preview">
          <Marked text={person.nameEn} match={match?.field === 'nameEn' ? match : undefined} /> ·{' '}
          {person.title}
        </span>
      </span>
    </button>
  )
}

function MessageHit({ hit }: { hit: MessageSearchHit }) {
  const { t, i18n } = useTranslation()
  const openConversation = useTack((state) => state.openConversation)
  const openConversationAt = useTack((state) => state.openConversationAt)
  const clearSearch = useTack((state) => state.clearSearch)
  const sender = useTack((state) => state.peopleById[hit.message.senderId])
  const { message } = hit
  // The core also finds a message by its file's or image's name, so the name is shown.
  const attachment = message.attachment?.kind === 'voice' ? undefined : message.attachment
  const text = message.text.replace(/\s+/g, ' ')

  function open(): void {
    clearSearch()
    if (message.seq === null) openConversation(message.conversationId)
    else openConversationAt(message.conversationId, message.seq)
  }

  return (
    <button
      type="button"
      className="conversation-item"
      data-testid="search-message"
      data-conversation-id={message.conversationId}
      data-seq={message.seq ?? ''}
      onClick={open}
    >
      <span className="conversation-main">
        <span className="conversation-top">
          <span className="conversation-title">{hit.conversationTitle}</span>
          <time className="conversation-time" dateTime={new Date(message.sentAt).toISOString()}>
            {message.seq === null
              ? t('search.pending')
              : formatClock(message.sentAt, i18n.language)}
          </time>
        </span>
        <span className="conversation-preview">
          {sender ? `${sender.name}: ` : ''}
          {text}
          {attachment && (
            <span className="search-file-name" data-testid="search-file-name">
              {text ? ' · ' : ''}
              {t(
                attachment.kind === 'image'
                  ? 'attachments.previewImageNamed'
                  : 'attachments.previewFile',
                { name: attachment.name },
              )}
            </span>
          )}
        </span>
      </span>
    </button>
  )
}
