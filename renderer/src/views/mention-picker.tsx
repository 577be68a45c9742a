// The @ picker of the composer: typing "@" opens a list of the conversation's other members,
// narrowed by what follows the @ (name, pinyin, initials, English name or username, as contacts
// search matches them). Arrows move, Enter or Tab inserts "@Name ", Escape closes it. The list is
// a listbox the textarea points into with aria-activedescendant, so the focus stays in the box.
import { useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { selectOpenConversation } from '../store/selectors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { matchPerson } from './org-tree'

/** At most this many people are listed. */
const MAX_CANDIDATES = 8

const BY_ORDER = { name: 0, pinyin: 1, nameEn: 2, username: 3 } as const

/**
 * The @ being typed at the caret: where its query starts (after the @) and the query. An @ counts
 * at the start or after a space, and the query holds no space; null when the caret is not in one.
 */
export function mentionQueryAt(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const match = /(^|\s)@([^\s@]*)$/.exec(before)
  if (!match) return null
  return { start: caret - match[2]!.length, query: match[2]! }
}

/** The people a query finds, best match first (name, then pinyin, English name, username). */
export function filterMentionCandidates(
  people: readonly Person[],
  query: string,
  limit = MAX_CANDIDATES,
): Person[] {
  if (query.trim() === '') return people.slice(0, limit)
  return people
    .flatMap((person, index) => {
      const match = matchPerson(person, query)
      return match ? [{ person, index, rank: BY_ORDER[match.by] * 1000 + match.start }] : []
    })
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, limit)
    .map((found) => found.person)
}

export interface MentionPicker {
  /** The list, or nothing while closed; render it beside the textarea. */
  picker: React.ReactNode
  /** The textarea's keys go here first; true when the picker used the key. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean
  /** Spread on the textarea: the caret position and the ARIA ties to the list. */
  inputProps: {
    onSelect: () => void
    'aria-autocomplete': 'list'
    'aria-expanded': boolean
    'aria-controls'?: string
    'aria-activedescendant'?: string
  }
}

export function useMentionPicker(
  conversationId: string,
  text: string,
  input: RefObject<HTMLTextAreaElement | null>,
  setText: (text: string) => void,
): MentionPicker {
  const { t } = useTranslation()
  const listId = useId()
  const conversation = useTack(selectOpenConversation)
  const peopleById = useTack((state) => state.peopleById)
  const myId = useTack((state) => state.session?.me.id)
  const pickMention = useTack((state) => state.pickMention)
  const [caret, setCaret] = useState(0)
  const [active, setActive] = useState(0)
  // Escape closes the picker for the @ it was open at, until another @ is typed.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)

  const members = useMemo(() => {
    const ids = conversation?.id === conversationId ? conversation.memberIds : []
    return ids.flatMap((id) => (id !== myId && peopleById[id] ? [peopleById[id]] : []))
  }, [conversation, conversationId, myId, peopleById])

  const at = mentionQueryAt(text, Math.min(caret, text.length))
  // Leaving the @ (deleting it, or moving away) ends the dismissal: the next @ opens again.
  // Adjusted while rendering, as React advises for state that follows other state.
  const inMention = at !== null
  const [wasInMention, setWasInMention] = useState(inMention)
  if (inMention !== wasInMention) {
    setWasInMention(inMention)
    if (!inMention) setDismissedAt(null)
  }
  const open = at !== null && at.start !== dismissedAt && members.length > 0
  const candidates = open ? filterMentionCandidates(members, at.query) : []
  const current = candidates[Math.min(active, candidates.length - 1)]
  const optionId = (person: Person) => `${listId}-${person.id}`

  function pick(person: Person): void {
    if (!at) return
    const inserted = `${person.name} `
    const next = text.slice(0, at.start) + inserted + text.slice(at.start + at.query.length)
    const nextCaret = at.start + inserted.length
    setText(next)
    pickMention(conversationId, { userId: person.id, name: person.name })
    setCaret(nextCaret)
    setActive(0)
    requestAnimationFrame(() => input.current?.setSelectionRange(nextCaret, nextCaret))
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || event.nativeEvent.isComposing) return false
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      if (candidates.length) setActive((active + step + candidates.length) % candidates.length)
      return true
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && current) {
      event.preventDefault()
      pick(current)
      return true
    }
    if (event.key === 'Escape') {
      event.preventDefault()
      setDismissedAt(at.start)
      return true
    }
    return false
  }

  const onSelect = () => {
    const position = input.current?.selectionStart ?? text.length
    if (position !== caret) {
      setCaret(position)
      setActive(0)
    }
  }

  const picker = open ? (
    <ul
      id={listId}
      className="mention-picker"
      role="listbox"
      aria-label={t('messageExtras.mentionPicker')}
      data-testid="mention-picker"
    >
      {candidates.length === 0 && (
        <li className="mention-none" role="presentation">
          {t('messageExtras.mentionNone')}
        </li>
      )}
      {candidates.map((person) => (
        <li
          key={person.id}
          id={optionId(person)}
          role="option"
          aria-selected={person === current}
          className={person === current ? 'mention-option active' : 'mention-option'}
          // Picking with the mouse keeps the focus in the textarea.
          onMouseDown={(event) => {
            event.preventDefault()
            pick(person)
          }}
          data-testid="mention-option"
          data-user-id={person.id}
        >
          <Avatar name={person.name} color={person.avatarColor} size="sm" />
          <span>{person.name}</span>
          <span className="muted">{person.nameEn}</span>
        </li>
      ))}
    </ul>
  ) : null

  return {
    picker,
    onKeyDown,
    inputProps: {
      onSelect,
      'aria-autocomplete': 'list',
      'aria-expanded': open,
      ...(open ? { 'aria-controls': listId } : {}),
      ...(open && current ? { 'aria-activedescendant': optionId(current) } : {}),
    },
  }
}
