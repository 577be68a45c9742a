// A group's info, opened from the chat header: its members with avatars, rename, add members
// (picked from the org tree), remove a member (the owner only, marked in the list), and leave.
// Every change goes through updateConversation and reaches every member's devices by sync;
// leaving keeps the history here, read-only. Errors stay in the panel until the next try.
import { useEffect, useMemo, useRef, useState, type FormEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { MICRO_APPS_DEPARTMENT_ID } from '../../../shared/directory'
import { groupOwner } from '../../../shared/group-owner'
import type { ConversationView } from '../../../shared/host-api'
import { errorText } from '../i18n/error-text'
import { describeError } from '../store/errors'
import type { GroupChange } from '../store/conversations-slice'
import { useTack } from '../store/store-context'
import '../styles/contacts.css'
import { Avatar } from './avatar'
import { ModalDialog } from './modal-dialog'
import { MemberPicker } from './member-picker'

/** Whether I have left (or been removed from) a group. */
export function haveLeft(conversation: ConversationView, myId: string | undefined): boolean {
  return conversation.kind === 'group' && !!myId && !conversation.memberIds.includes(myId)
}

/** The header button; the panel opens as a dialog over the chat. */
export function GroupInfoButton({ conversation }: { conversation: ConversationView }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  if (conversation.kind !== 'group') return null
  return (
    <>
      <button
        type="button"
        className="button small"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
        data-testid="chat-group-info"
      >
        {t('groups.info')}
      </button>
      {open && <GroupPanel conversation={conversation} onClose={() => setOpen(false)} />}
    </>
  )
}

/** Instead of the composer once I have left. */
export function LeftGroupNotice() {
  const { t } = useTranslation()
  return (
    <p className="left-group-notice" role="status" data-testid="chat-left-notice">
      {t('groups.left')}
    </p>
  )
}

type Step = 'view' | 'adding' | 'leaving'

function GroupPanel({
  conversation,
  onClose,
}: {
  conversation: ConversationView
  onClose: () => void
}) {
  const { t } = useTranslation()
  const myId = useTack((state) => state.session?.me.id)
  const peopleById = useTack((state) => state.peopleById)
  const changeGroup = useTack((state) => state.changeGroup)
  const [step, setStep] = useState<Step>('view')
  const [title, setTitle] = useState(conversation.title)
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const [pending, setPending] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const closeButton = useRef<HTMLButtonElement>(null)
  const membersHeading = useRef<HTMLHeadingElement>(null)
  const addButton = useRef<HTMLButtonElement>(null)
  const left = haveLeft(conversation, myId)
  // Only the owner removes others; anyone adds people or leaves (shared/group-owner.ts).
  const owner = groupOwner(
    conversation.memberIds,
    (id) => peopleById[id]?.departmentId === MICRO_APPS_DEPARTMENT_ID,
  )
  const iOwnIt = owner !== undefined && owner === myId
  const members = useMemo(() => new Set(conversation.memberIds), [conversation.memberIds])
  useFocusAfterPicker(step, addButton, membersHeading)

  async function run(what: string, change: GroupChange, after?: () => void): Promise<void> {
    setPending(what)
    setError(null)
    try {
      await changeGroup(conversation.id, change)
      after?.()
    } catch (reason) {
      setError(errorText(t, describeError(reason)))
    } finally {
      setPending(null)
    }
  }

  function rename(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    const trimmed = title.trim()
    if (!trimmed || trimmed === conversation.title) return
    void run('rename', { title: trimmed })
  }

  return (
    <ModalDialog
      labelledBy="group-panel-title"
      onClose={onClose}
      className="group-panel"
      testId="group-panel"
    >
      <header className="group-panel-header">
        <h2 id="group-panel-title">{t('groups.info')}</h2>
        <button
          type="button"
          className="button subtle small"
          onClick={onClose}
          ref={closeButton}
          data-testid="group-panel-close"
        >
          {t('groups.close')}
        </button>
      </header>

      {left ? (
        <LeftGroupNotice />
      ) : (
        <form className="group-rename" onSubmit={rename}>
          <label className="field">
            <span>{t('groups.titleLabel')}</span>
            <input
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              maxLength={100}
              required
              autoFocus
              data-testid="group-rename-input"
            />
          </label>
          <button
            type="submit"
            className="button small"
            disabled={pending !== null || !title.trim() || title.trim() === conversation.title}
            data-testid="group-rename-save"
          >
            {pending === 'rename' ? t('groups.saving') : t('groups.rename')}
          </button>
        </form>
      )}

      {error && (
        <p className="error" role="alert" data-testid="group-error">
          {t('groups.failed', { message: error })}
        </p>
      )}

      {step === 'adding' ? (
        <section className="group-adding" aria-label={t('groups.addMembers')}>
          <MemberPicker picked={picked} onChange={setPicked} fixed={members} autoFocus />
          <div className="dialog-actions">
            <button type="button" className="button subtle" onClick={() => setStep('view')}>
              {t('groups.cancel')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={picked.size === 0 || pending !== null}
              onClick={() =>
                void run('add', { addMemberIds: [...picked] }, () => {
                  setPicked(new Set())
                  setStep('view')
                })
              }
              data-testid="group-add-confirm"
            >
              {pending === 'add' ? t('groups.adding') : t('groups.add', { total: picked.size })}
            </button>
          </div>
        </section>
      ) : (
        <section aria-labelledby="group-members-title">
          <div className="group-members-header">
            <h3 id="group-members-title" tabIndex={-1} ref={membersHeading}>
              {t('groups.memberCount', { count: conversation.memberIds.length })}
            </h3>
            {!left && (
              <button
                type="button"
                className="button small"
                onClick={() => setStep('adding')}
                ref={addButton}
                data-testid="group-add-members"
              >
                {t('groups.addMembers')}
              </button>
            )}
          </div>
          <ul className="group-members" data-testid="group-members">
            {conversation.memberIds.map((id) => {
              const isOwner = id === owner
              const person = peopleById[id]
              const name = person?.name ?? id
              return (
                <li
                  key={id}
                  className="group-member"
                  data-testid="group-member"
                  data-username={person?.username ?? ''}
                >
                  <Avatar name={name} color={person?.avatarColor} size="sm" />
                  <span className="group-member-name">
                    {name}
                    {id === myId && <span className="muted"> ({t('groups.you')})</span>}
                  </span>
                  {isOwner && (
                    <span className="conversation-flag" data-testid="group-owner">
                      {t('groups.owner')}
                    </span>
                  )}
                  {person?.title && <span className="muted">{person.title}</span>}
                  {!left && iOwnIt && id !== myId && (
                    <button
                      type="button"
                      className="button subtle small"
                      aria-label={t('groups.removeMember', { name })}
                      disabled={pending !== null}
                      onClick={() =>
                        // The button goes with the member: the list's heading keeps the focus.
                        void run(`remove:${id}`, { removeMemberIds: [id] }, () =>
                          membersHeading.current?.focus(),
                        )
                      }
                      data-testid="group-member-remove"
                    >
                      {t('groups.remove')}
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        </section>
      )}

      {!left && step !== 'adding' && (
        <footer className="group-leave">
          {step === 'leaving' ? (
            <div role="group" aria-labelledby="group-leave-question">
              <p id="group-leave-question" role="alert">
                {t('groups.leaveConfirm', { title: conversation.title })}
              </p>
              <div className="dialog-actions">
                <button
                  type="button"
                  className="button subtle"
                  onClick={() => setStep('view')}
                  autoFocus
                >
                  {t('groups.cancel')}
                </button>
                <button
                  type="button"
                  className="button danger"
                  disabled={pending !== null}
                  onClick={() =>
                    void run('leave', { removeMemberIds: [myId!] }, () => {
                      setStep('view')
                      requestAnimationFrame(() => closeButton.current?.focus())
                    })
                  }
                  data-testid="group-leave-confirm"
                >
                  {pending === 'leave' ? t('groups.leaving') : t('groups.leaveYes')}
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              className="button danger subtle"
              onClick={() => setStep('leaving')}
              data-testid="group-leave"
            >
              {t('groups.leave')}
            </button>
          )}
        </footer>
      )}
    </ModalDialog>
  )
}

/**
 * When the member picker closes (Cancel, or members added), the focus would be left on the page
 * behind, where Escape no longer reaches the dialog: it goes to the Add members button that opened
 * the picker, or to the member list's heading should that button be gone.
 */
function useFocusAfterPicker(
  step: Step,
  addButton: RefObject<HTMLButtonElement | null>,
  membersHeading: RefObject<HTMLHeadingElement | null>,
): void {
  const previous = useRef(step)
  useEffect(() => {
    const closed = previous.current === 'adding' && step !== 'adding'
    previous.current = step
    if (closed) (addButton.current ?? membersHeading.current)?.focus()
  }, [step, addButton, membersHeading])
}
