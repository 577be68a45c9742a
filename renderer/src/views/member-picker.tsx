// Picks people for a group from the org tree: a search (name, pinyin, initials), the picked
// people as chips that can be taken off again, and the tree with a tick on each person and on
// each department (everyone in it). People already in the group are shown ticked and fixed.
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { OrgTree, TreeSearch } from './org-tree-view'
import { useOrgTree } from './use-org-tree'

export function MemberPicker({
  picked,
  onChange,
  fixed,
  autoFocus = false,
}: {
  picked: ReadonlySet<string>
  onChange(next: ReadonlySet<string>): void
  /** Shown ticked, not to be changed: me, and the members of a group being added to. */
  fixed: ReadonlySet<string>
  /** Its search box takes the focus when it appears. */
  autoFocus?: boolean
}) {
  const { t } = useTranslation()
  const peopleById = useTack((state) => state.peopleById)
  const myId = useTack((state) => state.session?.me.id)
  // A micro-app's bot is no group member: it would never read, and count as unread forever.
  const org = useOrgTree({ peopleOnly: true })
  const chips = [...picked].flatMap((id) => peopleById[id] ?? [])

  function checkMany(people: Person[], checked: boolean): void {
    const next = new Set(picked)
    for (const person of people) {
      if (fixed.has(person.id)) continue
      if (checked) next.add(person.id)
      else next.delete(person.id)
    }
    onChange(next)
  }

  return (
    <div className="member-picker">
      <ul className="member-chips" aria-label={t('groups.selected', { total: chips.length })}>
        {chips.length === 0 && <li className="muted">{t('groups.noneSelected')}</li>}
        {chips.map((person) => (
          <li
            key={person.id}
            className="member-chip"
            data-testid="member-chip"
            data-username={person.username}
          >
            <Avatar name={person.name} color={person.avatarColor} size="sm" />
            <span>{person.name}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={t('groups.removeChip', { name: person.name })}
              onClick={() => checkMany([person], false)}
              data-testid="member-chip-remove"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <TreeSearch
        org={org}
        label={t('groups.pickerSearch')}
        testId="member-search"
        autoFocus={autoFocus}
      />
      <div className="member-tree">
        <OrgTree
          label={t('groups.pickerLabel')}
          org={org}
          onActivate={() => undefined}
          checked={picked}
          fixed={fixed}
          onCheckMany={checkMany}
          personTestId="group-member-option"
          myId={myId}
        />
      </div>
    </div>
  )
}
