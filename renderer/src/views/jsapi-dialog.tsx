// The host UI a micro-app's call waits on: alert, confirm, prompt, action sheet, the contact,
// department and conversation pickers, date and time pickers, a choice list, an image preview and
// the "open this link?" question, and the file picker of biz.util.uploadFile. One at a time, in the order the calls came; Cancel answers
// CANCELLED to the app.
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { PendingUi } from '../store/workbench-slice'
import { useTack } from '../store/store-context'

export function JsApiDialog() {
  const pending = useTack((state) => state.pendingUi[0] ?? null)
  const answerUi = useTack((state) => state.answerUi)
  if (!pending) return null
  // A fresh body per request, so inputs start from each call's own defaults.
  return (
    <div className="jsapi-backdrop">
      <div
        className="jsapi-dialog"
        role="dialog"
        aria-modal="true"
        data-testid="jsapi-dialog"
        data-method={pending.method}
      >
        <DialogBody
          key={pending.id}
          pending={pending}
          answer={(value) => answerUi(pending.id, value)}
        />
      </div>
    </div>
  )
}

type Answer = (value: unknown) => void

function DialogBody({ pending, answer }: { pending: PendingUi; answer: Answer }) {
  const { t } = useTranslation()
  const params = pending.params
  const labels = (params.buttonLabels as string[] | undefined) ?? [
    t('workbench.ok'),
    t('workbench.cancel'),
  ]

  switch (pending.method) {
    case 'device.notification.alert':
      return (
        <Frame title={params.title as string | undefined} message={params.message as string}>
          <DialogButton index={0} onClick={() => answer({})}>
            {(params.buttonName as string | undefined) ?? t('workbench.ok')}
          </DialogButton>
        </Frame>
      )
    case 'device.notification.confirm':
      return (
        <Frame title={params.title as string | undefined} message={params.message as string}>
          {labels.map((label, index) => (
            <DialogButton key={index} index={index} onClick={() => answer({ buttonIndex: index })}>
              {label}
            </DialogButton>
          ))}
        </Frame>
      )
    case 'device.notification.prompt':
      return <Prompt params={params} labels={labels} answer={answer} />
    case 'device.notification.actionSheet':
      return (
        <Frame title={params.title as string | undefined}>
          {(params.otherButtons as string[]).map((label, index) => (
            <DialogButton key={index} index={index} onClick={() => answer({ buttonIndex: index })}>
              {label}
            </DialogButton>
          ))}
          <DialogButton index={-1} onClick={() => answer({ buttonIndex: -1 })}>
            {params.cancelButton as string}
          </DialogButton>
        </Frame>
      )
    case 'biz.contact.choose':
    case 'biz.contact.complexPicker':
      return <ContactPicker pending={pending} answer={answer} />
    case 'biz.contact.departmentsPicker':
      return <DepartmentPicker answer={answer} />
    case 'biz.chat.pickConversation':
      return <ConversationPicker answer={answer} />
    case 'biz.util.openLink':
      return (
        <Frame title={t('workbench.openLinkTitle')} message={params.url as string}>
          <DialogButton index={0} onClick={() => answer({})}>
            {t('workbench.open')}
          </DialogButton>
          <DialogButton index={1} onClick={() => answer(null)}>
            {t('workbench.cancel')}
          </DialogButton>
        </Frame>
      )
    case 'biz.util.previewImage':
      return (
        <Frame title={t('workbench.preview')}>
          <img
            className="jsapi-preview"
            src={(params.current as string | undefined) ?? (params.urls as string[])[0]}
            alt=""
          />
          <DialogButton index={0} onClick={() => answer({})}>
            {t('workbench.close')}
          </DialogButton>
        </Frame>
      )
    case 'biz.util.datepicker':
    case 'biz.util.timepicker':
      return <ValuePicker pending={pending} answer={answer} />
    case 'biz.util.uploadFile':
      return <FilePicker pending={pending} answer={answer} />
    case 'biz.util.chosen':
      return (
        <Frame title={t('workbench.chosen')}>
          {(params.source as { key: string; value: string }[]).map((option, index) => (
            <DialogButton key={option.key} index={index} onClick={() => answer(option)}>
              {option.key}
            </DialogButton>
          ))}
          <CancelButton answer={answer} />
        </Frame>
      )
    default:
      return (
        <Frame title={pending.method}>
          <CancelButton answer={answer} />
        </Frame>
      )
  }
}

function Frame({
  title,
  message,
  children,
}: {
  title?: string
  message?: string
  children: ReactNode
}) {
  return (
    <>
      {title && <h3 className="jsapi-dialog-title">{title}</h3>}
      {message && (
        <p className="jsapi-dialog-message" data-testid="jsapi-dialog-message">
          {message}
        </p>
      )}
      <div className="jsapi-dialog-actions">{children}</div>
    </>
  )
}

function DialogButton({
  index,
  onClick,
  disabled,
  children,
}: {
  index: number
  onClick(): void
  disabled?: boolean
  children: ReactNode
}) {
  return (
    <button
      type="button"
      className={index === 0 ? 'button' : 'button subtle'}
      onClick={onClick}
      disabled={disabled}
      data-testid="jsapi-dialog-button"
      data-index={index}
    >
      {children}
    </button>
  )
}

function CancelButton({ answer }: { answer: Answer }) {
  const { t } = useTranslation()
  return (
    <button
      type="button"
      className="button subtle"
      onClick={() => answer(null)}
      data-testid="jsapi-dialog-cancel"
    >
      {t('workbench.cancel')}
    </button>
  )
}

function Prompt({
  params,
  labels,
  answer,
}: {
  params: Record<string, unknown>
  labels: string[]
  answer: Answer
}) {
  const [value, setValue] = useState((params.defaultText as string | undefined) ?? '')
  return (
    <Frame title={params.title as string | undefined} message={params.message as string}>
      <input
        className="jsapi-input"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        data-testid="jsapi-dialog-input"
        autoFocus
      />
      {labels.map((label, index) => (
        <DialogButton
          key={index}
          index={index}
          onClick={() => answer({ buttonIndex: index, value })}
        >
          {label}
        </DialogButton>
      ))}
    </Frame>
  )
}

/** biz.util.uploadFile: the person picks the files here (a click on the page is needed). */
function FilePicker({ pending, answer }: { pending: PendingUi; answer: Answer }) {
  const { t } = useTranslation()
  const [files, setFiles] = useState<File[]>([])
  return (
    <Frame title={t('attachments.microAppPick')}>
      <input
        type="file"
        className="jsapi-input"
        multiple={pending.params.multiple === true}
        aria-label={t('attachments.microAppPick')}
        onChange={(event) => setFiles([...(event.target.files ?? [])])}
        data-testid="jsapi-dialog-input"
      />
      <DialogButton index={0} disabled={files.length === 0} onClick={() => answer({ files })}>
        {t('attachments.microAppUpload')}
      </DialogButton>
      <CancelButton answer={answer} />
    </Frame>
  )
}

function ValuePicker({ pending, answer }: { pending: PendingUi; answer: Answer }) {
  const { t } = useTranslation()
  const isDate = pending.method === 'biz.util.datepicker'
  const [value, setValue] = useState((pending.params.value as string | undefined) ?? '')
  return (
    <Frame title={isDate ? t('workbench.datePicker') : t('workbench.timePicker')}>
      <input
        type={isDate ? 'date' : 'time'}
        className="jsapi-input"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        data-testid="jsapi-dialog-input"
      />
      <DialogButton index={0} disabled={!value} onClick={() => answer({ value })}>
        {t('workbench.ok')}
      </DialogButton>
      <CancelButton answer={answer} />
    </Frame>
  )
}

function ContactPicker({ pending, answer }: { pending: PendingUi; answer: Answer }) {
  const { t } = useTranslation()
  const people = useTack((state) => state.people)
  const multiple = pending.params.multiple !== false
  const max = (pending.params.max as number | undefined) ?? 500
  const [picked, setPicked] = useState<string[]>(
    (pending.params.users as string[] | undefined) ?? [],
  )
  const [query, setQuery] = useState('')
  const shown = people.filter(
    (person) =>
      person.departmentId !== 'dept-apps' &&
      `${person.name} ${person.nameEn} ${person.username}`
        .toLowerCase()
        .includes(query.toLowerCase()),
  )
  const toggle = (id: string) =>
    setPicked((current) =>
      current.includes(id)
        ? current.filter((other) => other !== id)
        : multiple
          ? [...current, id].slice(0, max)
          : [id],
    )
  const done = () => {
    const users = people
      .filter((person) => picked.includes(person.id))
      .map((person) => ({ emplId: person.id, name: person.name, avatar: '' }))
    answer(pending.method === 'biz.contact.complexPicker' ? { users, departments: [] } : users)
  }
  return (
    <Frame title={(pending.params.title as string | undefined) ?? t('workbench.assignPicker')}>
      <input
        className="jsapi-input"
        placeholder={t('workbench.search')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="contact-picker-search"
      />
      <ul className="jsapi-options">
        {shown.map((person) => (
          <li key={person.id}>
            <label>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name="contact-picker"
                checked={picked.includes(person.id)}
                onChange={() => toggle(person.id)}
                data-testid="contact-picker-option"
                data-username={person.username}
              />
              {person.name} <span className="muted">{person.nameEn}</span>
            </label>
          </li>
        ))}
      </ul>
      <DialogButton index={0} disabled={picked.length === 0} onClick={done}>
        {t('workbench.pick')}
      </DialogButton>
      <CancelButton answer={answer} />
    </Frame>
  )
}

function DepartmentPicker({ answer }: { answer: Answer }) {
  const { t } = useTranslation()
  const departments = useTack((state) => state.departments)
  return (
    <Frame title={t('workbench.departmentsPicker')}>
      <ul className="jsapi-options">
        {departments.map((department) => (
          <li key={department.id}>
            <button
              type="button"
              className="button subtle"
              onClick={() =>
                answer({ departments: [{ id: department.id, name: department.name }] })
              }
            >
              {department.name}
            </button>
          </li>
        ))}
      </ul>
      <CancelButton answer={answer} />
    </Frame>
  )
}

function ConversationPicker({ answer }: { answer: Answer }) {
  const { t } = useTranslation()
  const conversations = useTack((state) => state.conversations)
  const peopleById = useTack((state) => state.peopleById)
  const titleOf = (id: string, title: string, peerId: string | null) =>
    title || (peerId ? (peopleById[peerId]?.name ?? peerId) : id)
  return (
    <Frame title={t('workbench.conversationPicker')}>
      <ul className="jsapi-options">
        {conversations.map((conversation) => {
          const title = titleOf(conversation.id, conversation.title, conversation.peerId)
          return (
            <li key={conversation.id}>
              <button
                type="button"
                className="button subtle"
                onClick={() => answer({ cid: conversation.id, title })}
                data-testid="conversation-picker-option"
              >
                {title}
              </button>
            </li>
          )
        })}
      </ul>
      <CancelButton answer={answer} />
    </Frame>
  )
}
