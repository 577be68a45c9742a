// A person's card in Contacts: avatar, name in both scripts, title, department path, username,
// and "Message", which opens (or starts) the direct conversation with them.
import { useState, type Ref } from 'react'
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { errorText } from '../i18n/error-text'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { COMPOSER_INPUT_ID } from './composer'
import { departmentPath } from './org-tree'

export function ProfileCard({
  person,
  headingRef,
  onEscape,
}: {
  person: Person | null
  headingRef: Ref<HTMLHeadingElement>
  onEscape(): void
}) {
  const { t, i18n } = useTranslation()
  const departments = useTack((state) => state.departments)
  const myId = useTack((state) => state.session?.me.id)
  const openDirectConversation = useTack((state) => state.openDirectConversation)
  const [opening, setOpening] = useState(false)
  const [error, setError] = useState<{ personId: string; message: string } | null>(null)

  if (!person) {
    return (
      <aside className="profile-pane" aria-label={t('contacts.card.label')}>
        <p className="empty">{t('contacts.card.choose')}</p>
      </aside>
    )
  }

  const path = departmentPath(departments, person.departmentId, i18n.language)
  const isMe = person.id === myId

  async function message(target: Person): Promise<void> {
    setOpening(true)
    setError(null)
    try {
      await openDirectConversation(target.id)
      // The chat opens in place of Contacts: writing is what comes next.
      requestAnimationFrame(() => document.getElementById(COMPOSER_INPUT_ID)?.focus())
    } catch (reason) {
      setError({ personId: target.id, message: errorText(t, describeError(reason)) })
    } finally {
      setOpening(false)
    }
  }

  return (
    <aside
      className="profile-pane"
      aria-labelledby="profile-name"
      onKeyDown={(event) => event.key === 'Escape' && onEscape()}
    >
      <article className="profile-card" data-testid="profile-card" data-person-id={person.id}>
        <Avatar name={person.name} color={person.avatarColor} size="lg" />
        <h3 id="profile-name" ref={headingRef} tabIndex={-1} data-testid="profile-name">
          {person.name}
          {isMe && <span className="muted"> ({t('contacts.you')})</span>}
        </h3>
        <dl className="profile-facts">
          {person.nameEn && person.nameEn !== person.name && (
            <div>
              <dt>{t('contacts.card.nameEn')}</dt>
              <dd lang="en" data-testid="profile-name-en">
                {person.nameEn}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('contacts.card.jobTitle')}</dt>
            <dd data-testid="profile-title">{person.title}</dd>
          </div>
          <div>
            <dt>{t('contacts.card.department')}</dt>
            <dd data-testid="profile-department">
              {path.length > 0 ? path.join(' / ') : t('contacts.otherDepartment')}
            </dd>
          </div>
          <div>
            <dt>{t('contacts.card.username')}</dt>
            <dd data-testid="profile-username">{person.username}</dd>
          </div>
        </dl>
        {isMe ? (
          <p className="muted">{t('contacts.card.isYou')}</p>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => void message(person)}
            disabled={opening}
            data-testid="profile-message"
          >
            {opening ? t('contacts.card.opening') : t('contacts.card.message')}
          </button>
        )}
        {error?.personId === person.id && (
          <p className="error" role="alert">
            {t('contacts.openFailed', { message: error.message })}
          </p>
        )}
      </article>
    </aside>
  )
}
