// The org tree of the signed-in account with a search over it and which departments are open
// (with `peopleOnly`, without micro-apps' bot users: for picking group members).
// Top-level departments start open; while a search is typed, every department holding a match
// is open (the reader may still close one), and the old state returns when the search is cleared.
import { useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useTack } from '../store/store-context'
import {
  allDepartmentRowIds,
  buildOrgTree,
  filterOrgTree,
  normalizeQuery,
  type DepartmentNode,
  type PersonMatch,
  withoutMicroAppBots,
} from './org-tree'

export interface OrgTreeState {
  query: string
  setQuery(query: string): void
  searching: boolean
  tree: DepartmentNode[]
  matches: ReadonlyMap<string, PersonMatch>
  expanded: ReadonlySet<string>
  setExpanded(rowId: string, open: boolean): void
}

export function useOrgTree(options: { peopleOnly?: boolean } = {}): OrgTreeState {
  const { i18n } = useTranslation()
  const departments = useTack((state) => state.departments)
  const people = useTack((state) => state.people)
  const [query, setQuery] = useState('')
  const [opened, setOpened] = useState<ReadonlySet<string> | null>(null)
  const [closedWhileSearching, setClosedWhileSearching] = useState<ReadonlySet<string>>(new Set())

  const peopleOnly = options.peopleOnly ?? false
  const full = useMemo(() => {
    if (!peopleOnly) return buildOrgTree(departments, people)
    const pickable = withoutMicroAppBots(departments, people)
    return buildOrgTree(pickable.departments, pickable.people)
  }, [departments, people, peopleOnly])
  const searching = normalizeQuery(query) !== ''
  const { tree, matches } = useMemo(
    () => filterOrgTree(full, query, i18n.language),
    [full, query, i18n.language],
  )

  const expanded = useMemo(() => {
    if (searching) {
      return new Set(allDepartmentRowIds(tree).filter((id) => !closedWhileSearching.has(id)))
    }
    return opened ?? new Set(full.map((node) => node.rowId))
  }, [searching, tree, closedWhileSearching, opened, full])

  const setExpanded = useCallback(
    (rowId: string, open: boolean) => {
      if (searching) {
        setClosedWhileSearching((current) => toggled(current, rowId, !open))
        return
      }
      setOpened((current) =>
        toggled(current ?? new Set(full.map((node) => node.rowId)), rowId, open),
      )
    },
    [searching, full],
  )

  const changeQuery = useCallback((next: string) => {
    setQuery(next)
    setClosedWhileSearching(new Set())
  }, [])

  return { query, setQuery: changeQuery, searching, tree, matches, expanded, setExpanded }
}

function toggled(set: ReadonlySet<string>, id: string, present: boolean): ReadonlySet<string> {
  const next = new Set(set)
  if (present) next.add(id)
  else next.delete(id)
  return next
}
