// Picks a title and people for a new group conversation, creates it and opens it.
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const people = useTack((state) => state.people)
  const myId = useTack((state) => state.session?.me.id)
  const createGroup = useTack((state) => state.createGroup)
  const [title, setTitle] = useState('')
  const [memberIds, setMemberIds] = useState<ReadonlySet<string>>(new Set())
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const candidates = people.filter((person) => person.id !== myId)
  const canCreate = title.trim().length > 0 && memberIds.size > 0 && !pending

  function toggle(personId: string, checked: boolean): void {
    setMemberIds((current) => {
      const next = new Set(current)
      if (checked) next.add(personId)
      else next.delete(personId)
      return next
    })
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    if (!canCreate) return
    setPending(true)
    setError(null)
    try {
      await createGroup(title.trim(), [...memberIds])
      onClose()
    } catch (reason) {
      setError(describeError(reason).message)
      setPending(false)
    }
  }

  function closeOnEscape(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') onClose()
  }

  return (
    <div className="dialog-backdrop" onKeyDown={closeOnEscape}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="new-group-title">
        <form onSubmit={(event) => void submit(event)}>
          <h2 id="new-group-title">{t('group.title')}</h2>

          <label className="field">
            <span>{t('group.titleLabel')}</span>
            <input
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              placeholder={t('group.titlePlaceholder')}
              maxLength={100}
              autoFocus
              required
              data-testid="group-title-input"
            />
          </label>

          <fieldset className="member-picker">
            <legend>
              {t('group.members')}{' '}
              <span className="muted">{t('group.selected', { total: memberIds.size })}</span>
            </legend>
            <ul className="member-options">
              {candidates.map((person) => (
                <li key={person.id}>
                  <label className="member-option">
                    <input
                      type="checkbox"
                      checked={memberIds.has(person.id)}
                      onChange={(event) => toggle(person.id, event.target.checked)}
                      data-testid="group-member-option"
                      data-username={person.username}
                    />
                    <Avatar name={person.name} color={person.avatarColor} size="sm" />
                    <span>{person.name}</span>
                    {person.nameEn && person.nameEn !== person.name && (
                      <span className="muted">{person.nameEn}</span>
                    )}
                    <span className="muted">· {person.title}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>

          {error && (
            <p className="error" role="alert">
              {t('group.failed', { message: error })}
            </p>
          )}

          <div className="dialog-actions">
            <button type="button" className="button subtle" onClick={onClose}>
              {t('group.cancel')}
            </button>
            <button
              type="submit"
              className="button primary"
              disabled={!canCreate}
              data-testid="group-create"
            >
              {pending ? t('group.creating') : t('group.create')}
            </button>
          </div>
        </form>
      </div>
    </div>
  )
}
