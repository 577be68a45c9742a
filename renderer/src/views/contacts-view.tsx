// Contacts: the org tree on the left (departments open and close; search by name, full pinyin or
// initials, the matched part marked) and the chosen person's card on the right, whose "Message"
// opens the direct conversation. "New group" picks people from the same tree.
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { useTack } from '../store/store-context'
import '../styles/contacts.css'
import { NewGroupDialog } from './new-group-dialog'
import { OrgTree, TreeSearch } from './org-tree-view'
import { ProfileCard } from './profile-card'
import { useOrgTree } from './use-org-tree'

export function ContactsView() {
  const { t } = useTranslation()
  const people = useTack((state) => state.people)
  const contactsLoaded = useTack((state) => state.contactsLoaded)
  const myId = useTack((state) => state.session?.me.id)
  const org = useOrgTree()
  const [chosenId, setChosenId] = useState<string | null>(null)
  const [creatingGroup, setCreatingGroup] = useState(false)
  const cardHeading = useRef<HTMLHeadingElement>(null)
  const chosen = people.find((person) => person.id === chosenId) ?? null

  function choose(person: Person): void {
    setChosenId(person.id)
    // The card is where the reader goes next; Escape there comes back to the tree.
    requestAnimationFrame(() => cardHeading.current?.focus())
  }

  function backToTree(): void {
    document
      .querySelector<HTMLElement>(`.contacts-view [data-person-id="${CSS.escape(chosenId ?? '')}"]`)
      ?.focus()
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

      <div className="contacts-body">
        <div className="contacts-tree-pane">
          <TreeSearch org={org} label={t('contacts.searchLabel')} testId="contacts-search" />
          <p className="tree-status" role="status" data-testid="contacts-found">
            {org.searching &&
              (org.matches.size > 0
                ? t('contacts.found', { total: org.matches.size })
                : org.tree.length === 0 && t('contacts.none', { query: org.query.trim() }))}
          </p>
          {!contactsLoaded && <p className="empty">{t('contacts.loading')}</p>}
          {contactsLoaded && people.length === 0 && <p className="empty">{t('contacts.empty')}</p>}
          <div className="contacts-scroller" data-testid="contacts-tree">
            <OrgTree
              label={t('contacts.tree')}
              org={org}
              onActivate={choose}
              selectedId={chosenId}
              personTestId="contact-item"
              myId={myId}
            />
          </div>
        </div>
        <ProfileCard person={chosen} headingRef={cardHeading} onEscape={backToTree} />
      </div>

      {creatingGroup && <NewGroupDialog onClose={() => setCreatingGroup(false)} />}
    </section>
  )
}
