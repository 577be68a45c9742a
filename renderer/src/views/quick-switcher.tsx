// The quick switcher (Ctrl/Cmd+K): a dialog with a box that filters the conversations by title (a
// direct one also by the other person's English name or username, which its option shows); arrows
// move through the matches, Enter opens one, Escape closes it. It is an ARIA combobox over a
// listbox, so a screen reader follows the highlighted match.
import { useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView, Person } from '../../../shared/host-api'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { matchName, matchPerson, normalizeQuery } from './org-tree'

const MAX_MATCHES = 50

/** The other person of a direct conversation, when the directory has them. */
export type PeerOf = (conversation: ConversationView) => Person | undefined

/**
 * Conversations whose title matches the query, best first: by the title as typed or by its pinyin,
 * full or initials ("yanfa", "yfb" for 研发部), the way contacts are found (matchName). The whole
 * title first, then titles that start with the query, then the rest; the list's own order within
 * each. A query of several words that does not match as one matches when each word does. Last, a
 * direct conversation matches by its other person's English name or username ("bob" for 李博).
 */
export function matchConversations(
  conversations: readonly ConversationView[],
  query: string,
  peerOf: PeerOf = () => undefined,
): ConversationView[] {
  const words = normalizeQuery(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return conversations.slice(0, MAX_MATCHES)
  return conversations
    .flatMap((conversation, index) => {
      const rank = matchRank(conversation, query, words, peerOf(conversation))
      return rank === null ? [] : [{ conversation, index, rank }]
    })
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, MAX_MATCHES)
    .map((found) => found.conversation)
}

/**
 * Lower is better: 0–5 for the title matching the query as one (whole, start, inside; by name
 * before pinyin), 6 for each word matching it, 7–8 for the peer's English name or username
 * (start, inside), 9 for each word matching the title or those.
 */
function matchRank(
  conversation: ConversationView,
  query: string,
  words: string[],
  peer: Person | undefined,
): number | null {
  const { title, titlePinyin } = conversation
  const match = matchName(title, titlePinyin, query)
  if (match) {
    const place = match.start > 0 ? 2 : match.end === Array.from(title).length ? 0 : 1
    return place * 2 + (match.by === 'pinyin' ? 1 : 0)
  }
  if (words.length > 1 && words.every((word) => matchName(title, titlePinyin, word))) return 6
  const directPeer = conversation.kind === 'direct' ? peer : undefined
  if (!directPeer) return null
  const byPeer = matchPerson(directPeer, query)
  if (byPeer && byPeer.field !== 'name') return byPeer.start > 0 ? 8 : 7
  // "li bob": each word in the title or the peer's English name or username, in any order.
  const inEither = (word: string) =>
    matchName(title, titlePinyin, word) !== null || matchPerson(directPeer, word) !== null
  return words.length > 1 && words.every(inEither) ? 9 : null
}

/** A direct conversation's other person's English name, where the title does not show it. */
function englishNameOf(conversation: ConversationView, peer: Person | undefined): string | null {
  if (conversation.kind !== 'direct' || !peer?.nameEn) return null
  return peer.nameEn === conversation.title ? null : peer.nameEn
}

export function QuickSwitcher({
  onChoose,
  onCancel,
}: {
  onChoose: (conversationId: string) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const conversations = useTack((state) => state.conversations)
  const peopleById = useTack((state) => state.peopleById)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const peerOf: PeerOf = (conversation) =>
    conversation.peerId ? peopleById[conversation.peerId] : undefined
  const matches = matchConversations(conversations, query, peerOf)
  const current = matches[Math.min(active, matches.length - 1)]

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      if (matches.length) setActive((Math.max(0, active) + step + matches.length) % matches.length)
    } else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault()
      if (current) onChoose(current.id)
    } else if (event.key === 'Tab') {
      // The box is the dialog's only stop: keep focus inside the modal.
      event.preventDefault()
    }
  }

  return (
    <div className="dialog-backdrop" onMouseDown={onCancel}>
      <div
        className="dialog quick-switcher"
        role="dialog"
        aria-modal="true"
        aria-label={t('quickSwitcher.label')}
        onKeyDown={onKeyDown}
        onMouseDown={(event) => event.stopPropagation()}
        data-testid="quick-switcher"
      >
        <input
          className="quick-switcher-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="quick-switcher-results"
          aria-activedescendant={current ? `quick-switch-${current.id}` : undefined}
          aria-autocomplete="list"
          aria-label={t('quickSwitcher.label')}
          placeholder={t('quickSwitcher.placeholder')}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value)
            setActive(0)
          }}
          autoFocus
          data-testid="quick-switcher-input"
        />
        <ul
          id="quick-switcher-results"
          className="quick-switcher-results"
          role="listbox"
          aria-label={t('quickSwitcher.label')}
        >
          {matches.map((conversation) => (
            <li
              key={conversation.id}
              id={`quick-switch-${conversation.id}`}
              role="option"
              aria-selected={conversation === current}
              className="quick-switcher-option"
              onClick={() => onChoose(conversation.id)}
              data-testid="quick-switcher-option"
              data-conversation-id={conversation.id}
            >
              <Avatar name={conversation.title} size="sm" />
              <span>{conversation.title}</span>
              <EnglishName name={englishNameOf(conversation, peerOf(conversation))} />
            </li>
          ))}
        </ul>
        {matches.length === 0 && (
          <p className="empty" role="status">
            {t('quickSwitcher.none', { query })}
          </p>
        )}
      </div>
    </div>
  )
}

function EnglishName({ name }: { name: string | null }) {
  if (!name) return null
  return (
    <span className="quick-switcher-detail" data-testid="quick-switcher-detail">
      {name}
    </span>
  )
}
