// The org tree drawn as a WAI-ARIA tree: departments open and close (click, Enter, Space, Right,
// Left), Up and Down move, typing a name's start (or its pinyin) jumps to it, one row at a time
// takes Tab (a roving tabindex). Contacts shows a person's card on activation; the member picker
// ticks people (aria-checked), and a department's tick takes everyone in it. The logic lives in
// org-tree.ts.
import {
  useId,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react'
import { useTranslation } from 'react-i18next'
import type { Person } from '../../../shared/host-api'
import { formatCount } from '../format/number'
import { Avatar } from './avatar'
import type { OrgTreeState } from './use-org-tree'
import {
  departmentName,
  peopleIn,
  personRowId,
  treeKeyAction,
  typeAheadTarget,
  visibleRows,
  type DepartmentNode,
} from './org-tree'

export interface OrgTreeProps {
  label: string
  /** The tree, its search and its open departments (useOrgTree). */
  org: OrgTreeState
  onActivate(person: Person): void
  /** Contacts: the person whose card shows (aria-selected). */
  selectedId?: string | null
  /** The picker: who is ticked; with it, rows carry aria-checked. */
  checked?: ReadonlySet<string>
  /** The picker: people shown but not to be ticked (already members, me). */
  fixed?: ReadonlySet<string>
  onCheckMany?(people: Person[], checked: boolean): void
  /** data-testid of person rows. */
  personTestId: string
  myId?: string
}

export function OrgTree(props: OrgTreeProps) {
  const { label } = props
  const { tree, expanded, setExpanded: onExpandedChange } = props.org
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded])
  const [focusedRowId, setFocusedRowId] = useState<string | null>(null)
  const treeRef = useRef<HTMLUListElement>(null)
  // Two trees can be on the page at once (Contacts and a picker over it): ids stay apart.
  const idPrefix = useId()
  // A row that left the tree (a search, a closed department) hands the tab stop to the first.
  const tabStop = rows.some((row) => row.rowId === focusedRowId) ? focusedRowId : rows[0]?.rowId
  const byRowId = useMemo(() => indexTree(tree), [tree])
  const typed = useRef({ text: '', at: 0 })

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    const rowId = (event.target as HTMLElement).closest<HTMLElement>('[data-row-id]')?.dataset.rowId
    if (!rowId || (event.target as HTMLElement).dataset.rowId !== rowId) return
    const department = byRowId.get(rowId)
    if (props.checked && event.key === ' ' && department && 'rowId' in department) {
      // In the picker, Space ticks a whole department (Enter still opens it).
      event.preventDefault()
      const people = peopleIn(department).filter((person) => !props.fixed?.has(person.id))
      props.onCheckMany?.(people, !people.every((person) => props.checked?.has(person.id)))
      return
    }
    if (isTypeAhead(event)) {
      // Letters typed within a moment of each other make one word to find.
      const now = Date.now()
      const text =
        now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text + event.key : event.key
      typed.current = { text, at: now }
      const target = typeAheadTarget(rows, rowId, text)
      if (!target) return
      event.preventDefault()
      setFocusedRowId(target)
      rowElement(treeRef.current, target)?.focus()
      return
    }
    const action = treeKeyAction(rows, rowId, event.key)
    if (!action) return
    event.preventDefault()
    event.stopPropagation()
    if (action.kind === 'focus') {
      setFocusedRowId(action.rowId)
      rowElement(treeRef.current, action.rowId)?.focus()
    } else if (action.kind === 'expand' || action.kind === 'collapse') {
      onExpandedChange(action.rowId, action.kind === 'expand')
    } else {
      const target = byRowId.get(action.rowId)
      if (target && 'username' in target) activatePerson(target)
    }
  }

  function activatePerson(person: Person): void {
    setFocusedRowId(personRowId(person))
    if (props.checked) {
      if (!props.fixed?.has(person.id)) props.onCheckMany?.([person], !props.checked.has(person.id))
      return
    }
    props.onActivate(person)
  }

  const context: RowContext = {
    ...props,
    matches: props.org.matches,
    expanded,
    onExpandedChange,
    idPrefix,
    tabStop: tabStop ?? null,
    onFocusRow: setFocusedRowId,
    activatePerson,
  }
  return (
    <ul
      role="tree"
      aria-label={label}
      aria-multiselectable={props.checked ? true : undefined}
      className="org-tree"
      ref={treeRef}
      onKeyDown={onKeyDown}
    >
      {tree.map((node, index) => (
        <DepartmentItem
          key={node.rowId}
          node={node}
          level={1}
          position={index + 1}
          siblings={tree.length}
          context={context}
        />
      ))}
    </ul>
  )
}

interface RowContext extends OrgTreeProps {
  matches: OrgTreeState['matches']
  expanded: ReadonlySet<string>
  onExpandedChange(rowId: string, open: boolean): void
  idPrefix: string
  tabStop: string | null
  onFocusRow(rowId: string): void
  activatePerson(person: Person): void
}

function DepartmentItem({
  node,
  level,
  position,
  siblings,
  context,
}: {
  node: DepartmentNode
  level: number
  position: number
  siblings: number
  context: RowContext
}) {
  const { t, i18n } = useTranslation()
  const open = context.expanded.has(node.rowId)
  const name = node.department
    ? departmentName(node.department, i18n.language)
    : t('contacts.otherDepartment')
  const labelId = `${context.idPrefix}${node.rowId}`
  const childCount = node.departments.length + node.people.length
  const ticks = context.checked ? departmentTicks(node, context) : null

  return (
    <li
      {...treeItem(context, node.rowId, { level, position, siblings })}
      aria-expanded={open}
      aria-checked={ticks ?? undefined}
      data-testid="org-department"
      data-department-id={node.department?.id ?? ''}
    >
      <div
        className="tree-row tree-department"
        style={{ paddingInlineStart: `${(level - 1) * 18 + 8}px` }}
        onClick={() => {
          context.onFocusRow(node.rowId)
          context.onExpandedChange(node.rowId, !open)
        }}
      >
        <span className={`tree-chevron${open ? ' open' : ''}`} aria-hidden="true" />
        {ticks !== null && (
          <TickBox
            state={ticks}
            onToggle={() => context.onCheckMany?.(tickable(node, context), ticks !== 'true')}
          />
        )}
        <span id={labelId} className="tree-label">
          {name}
        </span>
        <span className="tree-count" aria-hidden="true">
          {formatCount(node.total, i18n.language)}
        </span>
        <span className="visually-hidden">
          {t('contacts.departmentTotal', { count: node.total })}
        </span>
      </div>
      {open && childCount > 0 && (
        <ul role="group">
          {node.departments.map((child, index) => (
            <DepartmentItem
              key={child.rowId}
              node={child}
              level={level + 1}
              position={index + 1}
              siblings={childCount}
              context={context}
            />
          ))}
          {node.people.map((person, index) => (
            <PersonItem
              key={person.id}
              person={person}
              level={level + 1}
              position={node.departments.length + index + 1}
              siblings={childCount}
              context={context}
            />
          ))}
        </ul>
      )}
    </li>
  )
}

function PersonItem({
  person,
  level,
  position,
  siblings,
  context,
}: {
  person: Person
  level: number
  position: number
  siblings: number
  context: RowContext
}) {
  const { t } = useTranslation()
  const rowId = personRowId(person)
  const match = context.matches.get(person.id)
  const isMe = person.id === context.myId
  const fixed = context.fixed?.has(person.id) ?? false
  const checked = context.checked ? fixed || context.checked.has(person.id) : undefined
  const labelId = `${context.idPrefix}${rowId}`

  return (
    <li
      {...treeItem(context, rowId, { level, position, siblings })}
      aria-selected={context.checked ? undefined : context.selectedId === person.id}
      aria-checked={checked}
      aria-disabled={fixed || undefined}
      data-testid={context.personTestId}
      data-person-id={person.id}
      data-username={person.username}
    >
      <div
        className={`tree-row tree-person${fixed ? ' fixed' : ''}`}
        style={{ paddingInlineStart: `${(level - 1) * 18 + 8}px` }}
        onClick={() => context.activatePerson(person)}
      >
        {checked !== undefined && <TickBox state={checked ? 'true' : 'false'} />}
        <Avatar name={person.name} color={person.avatarColor} size="sm" />
        <span id={labelId} className="tree-label">
          <Marked text={person.name} match={match?.field === 'name' ? match : undefined} />
          {person.nameEn && person.nameEn !== person.name && (
            <span className="tree-secondary" lang="en">
              {' '}
              <Marked text={person.nameEn} match={match?.field === 'nameEn' ? match : undefined} />
            </span>
          )}
          {match?.field === 'username' && (
            <span className="tree-secondary">
              {' '}
              @<Marked text={person.username} match={match} />
            </span>
          )}
          {isMe && <span className="tree-secondary"> ({t('contacts.you')})</span>}
          {fixed && !isMe && <span className="tree-secondary"> · {t('groups.alreadyIn')}</span>}
        </span>
        <span className="tree-title">{person.title}</span>
      </div>
    </li>
  )
}

const TYPE_AHEAD_MS = 700

function isTypeAhead(event: KeyboardEvent): boolean {
  return (
    event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey
  )
}

/** What every row carries: its place in the tree, its label, the roving tab stop. */
function treeItem(
  context: RowContext,
  rowId: string,
  place: { level: number; position: number; siblings: number },
) {
  return {
    role: 'treeitem',
    'aria-level': place.level,
    'aria-setsize': place.siblings,
    'aria-posinset': place.position,
    'aria-labelledby': `${context.idPrefix}${rowId}`,
    tabIndex: context.tabStop === rowId ? 0 : -1,
    'data-row-id': rowId,
    onFocus: (event: FocusEvent<HTMLElement>) => {
      if (event.target === event.currentTarget) context.onFocusRow(rowId)
    },
  } as const
}

/** The search above a tree. Escape empties it (and goes no further while there was a query). */
export function TreeSearch({
  org,
  label,
  testId,
  autoFocus = false,
}: {
  org: OrgTreeState
  label: string
  testId: string
  /** Takes the focus when it appears (the group panel's picker opening in place of its button). */
  autoFocus?: boolean
}) {
  const { t } = useTranslation()
  return (
    <div className="tree-search" role="search">
      <input
        type="search"
        autoFocus={autoFocus}
        value={org.query}
        onChange={(event) => org.setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || org.query === '') return
          event.stopPropagation()
          org.setQuery('')
        }}
        placeholder={t('contacts.searchPlaceholder')}
        aria-label={label}
        data-testid={testId}
      />
    </div>
  )
}

/** A drawn checkbox: the treeitem carries the state for assistive technology. */
function TickBox({ state, onToggle }: { state: 'true' | 'false' | 'mixed'; onToggle?(): void }) {
  return (
    <span
      className={`tick-box tick-${state}`}
      aria-hidden="true"
      onClick={
        onToggle &&
        ((event) => {
          event.stopPropagation()
          onToggle()
        })
      }
    />
  )
}

/** The text with the matched characters in <mark>; always text, never markup. */
export function Marked({
  text,
  match,
}: {
  text: string
  match: { start: number; end: number } | undefined
}): ReactNode {
  if (!match) return text
  const characters = Array.from(text)
  return (
    <>
      {characters.slice(0, match.start).join('')}
      <mark>{characters.slice(match.start, match.end).join('')}</mark>
      {characters.slice(match.end).join('')}
    </>
  )
}

function tickable(node: DepartmentNode, context: RowContext): Person[] {
  return peopleIn(node).filter((person) => !context.fixed?.has(person.id))
}

function departmentTicks(node: DepartmentNode, context: RowContext): 'true' | 'false' | 'mixed' {
  const people = tickable(node, context)
  const ticked = people.filter((person) => context.checked?.has(person.id)).length
  if (ticked === 0) return 'false'
  return ticked === people.length ? 'true' : 'mixed'
}

function indexTree(tree: DepartmentNode[]): Map<string, DepartmentNode | Person> {
  const index = new Map<string, DepartmentNode | Person>()
  const walk = (node: DepartmentNode): void => {
    index.set(node.rowId, node)
    node.people.forEach((person) => index.set(personRowId(person), person))
    node.departments.forEach(walk)
  }
  tree.forEach(walk)
  return index
}

function rowElement(tree: HTMLElement | null, rowId: string): HTMLElement | null {
  return tree?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(rowId)}"]`) ?? null
}
