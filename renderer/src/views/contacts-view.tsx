// The company directory by department. Clicking a person opens the direct conversation with them;
// "New group" picks people for a group conversation.
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { NewGroupDialog } from './new-group-dialog'
import { departmentName, groupByDepartment } from './directory'

// TODO(#7): the org tree with nested departments, search by name and pinyin, a person's card.
export function ContactsView() {
  const { t, i18n } = useTranslation()
  const departments = useTack((state) => state.departments)
  const people = useTack((state) => state.people)
  const contactsLoaded = useTack((state) => state.contactsLoaded)
  const myId = useTack((state) => state.session?.me.id)
  const openDirectConversation = useTack((state) => state.openDirectConversation)
  const [error, setError] = useState<string | null>(null)
  const [creatingGroup, setCreatingGroup] = useState(false)
  const groups = useMemo(() => groupByDepartment(departments, people), [departments, people])

  function openChat(person: Person): void {
    setError(null)
    openDirectConversation(person.id).catch((reason: unknown) =>
      setError(describeError(reason).message),
    )
  }

  return (
    <section className="contacts-view" aria-labelledby="contacts-title">
      <header className="contacts-header">
        <h2 id="contacts-title" tabIndex={-1} data-view-heading>
          {t('contacts.title')}
        </h2>
        <button
          type="button"
          className="button primary"
          onClick={() => setCreatingGroup(true)}
          data-testid="new-group"
        >
          {t('contacts.newGroup')}
        </button>
      </header>

      {error && (
        <p className="error" role="alert">
          {t('contacts.openFailed', { message: error })}
        </p>
      )}

      {!contactsLoaded && <p className="empty">{t('contacts.loading')}</p>}
      {contactsLoaded && people.length === 0 && <p className="empty">{t('contacts.empty')}</p>}

      <div className="contacts-scroller">
        {groups.map(({ department, members }) => (
          <DepartmentSection
            key={department?.id ?? 'other'}
            title={
              department ? departmentName(department, i18n.language) : t('contacts.otherDepartment')
            }
            people={members}
            myId={myId}
            onOpen={openChat}
          />
        ))}
      </div>

      {creatingGroup && <NewGroupDialog onClose={() => setCreatingGroup(false)} />}
    </section>
  )
}

function DepartmentSection({
  title,
  people,
  myId,
  onOpen,
}: {
  title: string
  people: Person[]
  myId: string | undefined
  onOpen: (person: Person) => void
}) {
  const { t } = useTranslation()
  return (
    <section className="department">
      <h3 className="department-title">{title}</h3>
      <ul className="contact-list" aria-label={title}>
        {people.map((person) => (
          <li key={person.id}>
            <button
              type="button"
              className="contact-item"
              onClick={() => onOpen(person)}
              disabled={person.id === myId}
              data-testid="contact-item"
              data-person-id={person.id}
              data-username={person.username}
            >
              <Avatar name={person.name} color={person.avatarColor} />
              <span className="contact-names">
                <span className="contact-name">
                  {person.name}
                  {person.nameEn && person.nameEn !== person.name && (
                    <span className="contact-name-en"> {person.nameEn}</span>
                  )}
                  {person.id === myId && <span className="muted"> ({t('contacts.you')})</span>}
                </span>
                <span className="contact-title">{person.title}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
