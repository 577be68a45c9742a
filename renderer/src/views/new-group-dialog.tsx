// A new group: a title and people picked from the org tree; creates it and opens it.
import { useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../i18n/error-text'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import '../styles/contacts.css'
import { COMPOSER_INPUT_ID } from './composer'
import { ModalDialog } from './modal-dialog'
import { MemberPicker } from './member-picker'

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const myId = useTack((state) => state.session?.me.id)
  const createGroup = useTack((state) => state.createGroup)
  const [title, setTitle] = useState('')
  const [memberIds, setMemberIds] = useState<ReadonlySet<string>>(new Set())
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const fixed = useMemo(() => new Set(myId ? [myId] : []), [myId])
  const canCreate = title.trim().length > 0 && memberIds.size > 0 && !pending

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    if (!canCreate) return
    setPending(true)
    setError(null)
    try {
      await createGroup(title.trim(), [...memberIds])
      onClose()
      requestAnimationFrame(() => document.getElementById(COMPOSER_INPUT_ID)?.focus())
    } catch (reason) {
      setError(errorText(t, describeError(reason)))
      setPending(false)
    }
  }

  return (
    <ModalDialog labelledBy="new-group-title" onClose={onClose} testId="new-group-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="new-group-title">{t('groups.newTitle')}</h2>

        <label className="field">
          <span>{t('groups.titleLabel')}</span>
          <input
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder={t('groups.titlePlaceholder')}
            maxLength={100}
            autoFocus
            required
            data-testid="group-title-input"
          />
        </label>

        <fieldset className="member-fieldset">
          <legend>
            {t('groups.members')}{' '}
            <span className="muted">{t('groups.selected', { total: memberIds.size })}</span>
          </legend>
          <MemberPicker picked={memberIds} onChange={setMemberIds} fixed={fixed} />
        </fieldset>

        {error && (
          <p className="error" role="alert" data-testid="group-error">
            {t('groups.createFailed', { message: error })}
          </p>
        )}

        <div className="dialog-actions">
          <button type="button" className="button subtle" onClick={onClose}>
            {t('groups.cancel')}
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={!canCreate}
            data-testid="group-create"
          >
            {pending ? t('groups.creating') : t('groups.create')}
          </button>
        </div>
      </form>
    </ModalDialog>
  )
}
