// The org tree as data: departments nested under their parents with their people, finding people
// by name, English name, username, full pinyin or pinyin initials (with the part that matched, to
// highlight), and the tree's rows and keys as the WAI-ARIA tree pattern wants them. No React here:
// contacts-view.tsx and the member picker draw it; org-tree.test.ts checks it.
import { MICRO_APPS_DEPARTMENT_ID } from '../../../shared/directory'
import type { DepartmentView, Person } from '../../../shared/host-api'

export interface DepartmentNode {
  /** The row id: `d:` and the department id (OTHER_DEPARTMENT for people of no listed one). */
  rowId: string
  /** null for the "Other" node. */
  department: DepartmentView | null
  departments: DepartmentNode[]
  people: Person[]
  /** People in it and in every department under it. */
  total: number
}

export const OTHER_DEPARTMENT = 'd:(other)'

/** A person's row id in the tree. */
export function personRowId(person: Person): string {
  return `p:${person.id}`
}

export function departmentRowId(departmentId: string): string {
  return `d:${departmentId}`
}

/**
 * Departments under their parents, in the directory's order, each with its people. A department
 * whose parent is not listed (or that sits in a loop of parents) is shown at the top; people of
 * a department that is not listed go to a last "Other" node.
 */
export function buildOrgTree(
  departments: readonly DepartmentView[],
  people: readonly Person[],
): DepartmentNode[] {
  const known = new Map(departments.map((department) => [department.id, department]))
  const children = new Map<string, DepartmentView[]>()
  for (const department of departments) {
    const parent = department.parentId
    if (parent === null || parent === department.id || !known.has(parent)) continue
    children.set(parent, [...(children.get(parent) ?? []), department])
  }
  const peopleOf = new Map<string, Person[]>()
  for (const person of people) {
    const key = known.has(person.departmentId) ? person.departmentId : OTHER_DEPARTMENT
    peopleOf.set(key, [...(peopleOf.get(key) ?? []), person])
  }

  const placed = new Set<string>()
  const nodeOf = (department: DepartmentView): DepartmentNode => {
    placed.add(department.id)
    const below = (children.get(department.id) ?? [])
      .filter((child) => !placed.has(child.id))
      .map(nodeOf)
    const own = peopleOf.get(department.id) ?? []
    return {
      rowId: departmentRowId(department.id),
      department,
      departments: below,
      people: own,
      total: own.length + below.reduce((sum, node) => sum + node.total, 0),
    }
  }
  const isRoot = (department: DepartmentView) =>
    department.parentId === null ||
    department.parentId === department.id ||
    !known.has(department.parentId)
  const roots = departments.filter(isRoot).map(nodeOf)
  // What is left sits in a loop of parents: each such loop starts at its first department.
  for (const department of departments)
    if (!placed.has(department.id)) roots.push(nodeOf(department))

  const others = peopleOf.get(OTHER_DEPARTMENT)
  if (others?.length) {
    roots.push({
      rowId: OTHER_DEPARTMENT,
      department: null,
      departments: [],
      people: others,
      total: others.length,
    })
  }
  return roots
}

/**
 * The directory without micro-apps' bot users and their department: who can be picked as a
 * group member. Both go, so no bot lands in "Other" instead.
 */
export function withoutMicroAppBots(
  departments: readonly DepartmentView[],
  people: readonly Person[],
): { departments: DepartmentView[]; people: Person[] } {
  return {
    departments: departments.filter((department) => department.id !== MICRO_APPS_DEPARTMENT_ID),
    people: people.filter((person) => person.departmentId !== MICRO_APPS_DEPARTMENT_ID),
  }
}

/** The department's name in the UI's language: English for English, the own name otherwise. */
export function departmentName(department: DepartmentView, language: string): string {
  return language.startsWith('en') && department.nameEn ? department.nameEn : department.name
}

/** Names from the top of the tree down to the department, e.g. ["Engineering", "Front-end"]. */
export function departmentPath(
  departments: readonly DepartmentView[],
  departmentId: string,
  language: string,
): string[] {
  const byId = new Map(departments.map((department) => [department.id, department]))
  const path: string[] = []
  const seen = new Set<string>()
  let current = byId.get(departmentId)
  while (current && !seen.has(current.id)) {
    seen.add(current.id)
    path.unshift(departmentName(current, language))
    current = current.parentId === null ? undefined : byId.get(current.parentId)
  }
  return path
}

// ---- Finding people ----

export type MatchedField = 'name' | 'nameEn' | 'username'

export interface PersonMatch {
  field: MatchedField
  /** The matched characters of that field, in code points: [start, end). */
  start: number
  end: number
  /** How it matched, for ordering: the name itself before its pinyin before the rest. */
  by: 'name' | 'pinyin' | 'nameEn' | 'username'
}

/** Lower case, full-width letters and digits as plain ones, outer spaces gone. */
export function normalizeQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().trim()
}

/** What pinyin is compared with: letters and digits only ("wang ai'li" → "wangaili"). */
function compact(text: string): string {
  return text.replace(/[\s'’.·-]+/g, '')
}

export interface NameMatch {
  /** The matched characters of the name, in code points: [start, end). */
  start: number
  end: number
  by: 'name' | 'pinyin'
}

/**
 * How a Chinese name (a person's, a conversation's title) matches a query, or null: the name as
 * typed ("爱丽"), else its pinyin (one syllable per character), where each character is matched
 * by its whole syllable or the syllable's start, so full pinyin ("wangaili"), initials ("wal")
 * and a mix ("wangal") all find 王爱丽.
 */
export function matchName(
  name: string,
  pinyin: readonly string[] | undefined,
  query: string,
): NameMatch | null {
  const q = normalizeQuery(query)
  if (!q) return null

  const inName = findIn(name, q)
  if (inName) return { ...inName, by: 'name' }

  const typed = compact(q)
  if (!typed || !pinyin) return null
  const range = matchSyllables(Array.from(name), pinyin, typed)
  return range ? { start: range[0], end: range[1], by: 'pinyin' } : null
}

/**
 * How a person matches a query, or null. Tried in order: the name, as typed or by its pinyin
 * (matchName); the English name; the username.
 */
export function matchPerson(person: Person, query: string): PersonMatch | null {
  const q = normalizeQuery(query)
  if (!q) return null

  const inName = matchName(person.name, person.pinyin, q)
  if (inName) return { field: 'name', ...inName }

  const inEnglish = findIn(person.nameEn, q)
  if (inEnglish) return { field: 'nameEn', ...inEnglish, by: 'nameEn' }

  const inUsername = findIn(person.username, q)
  if (inUsername) return { field: 'username', ...inUsername, by: 'username' }
  return null
}

/** Where `q` (already normalized) occurs in `text`, ignoring case, in code points. */
function findIn(text: string, q: string): { start: number; end: number } | null {
  const lower = text.normalize('NFKC').toLowerCase()
  const at = lower.indexOf(q)
  if (at < 0) return null
  const start = Array.from(lower.slice(0, at)).length
  return { start, end: start + Array.from(q).length }
}

/** The first run of characters whose syllables spell `typed`; [start, end) in characters. */
function matchSyllables(
  characters: string[],
  syllables: readonly string[],
  typed: string,
): [number, number] | null {
  if (syllables.length !== characters.length) return null
  const keys = syllables.map((syllable) => compact(syllable.toLowerCase()))
  for (let start = 0; start < keys.length; start++) {
    if (!keys[start]) continue
    const end = consume(characters, keys, start, typed)
    if (end !== null) return [start, end]
  }
  return null
}

/**
 * Matches the rest of the query from character `i` on: each character takes its whole syllable,
 * a start of it, or itself as typed. Returns where the match ends, or null. Names are short, so
 * trying the longer takes first and backing off is cheap.
 */
function consume(characters: string[], keys: string[], i: number, rest: string): number | null {
  if (rest === '') return i
  if (i >= keys.length) return null
  const key = keys[i]!
  // A space or a mark between the parts of a name is passed over.
  if (key === '') return consume(characters, keys, i + 1, rest)

  const character = characters[i]!.toLowerCase()
  if (character !== key && rest.startsWith(character)) {
    const end = consume(characters, keys, i + 1, rest.slice(character.length))
    if (end !== null) return end
  }
  for (let take = Math.min(key.length, rest.length); take >= 1; take--) {
    if (key.slice(0, take) !== rest.slice(0, take)) continue
    const end = consume(characters, keys, i + 1, rest.slice(take))
    if (end !== null) return end
  }
  return null
}

export interface FilteredTree {
  tree: DepartmentNode[]
  /** The matching people by id, with what matched. */
  matches: Map<string, PersonMatch>
}

/**
 * The tree cut down to the people a query finds, in their departments; a department whose own
 * name matches keeps everyone in it.
 */
export function filterOrgTree(
  tree: readonly DepartmentNode[],
  query: string,
  language: string,
): FilteredTree {
  const q = normalizeQuery(query)
  const matches = new Map<string, PersonMatch>()
  const departmentMatches = (node: DepartmentNode): boolean =>
    node.department !== null &&
    [node.department.name, node.department.nameEn, departmentName(node.department, language)].some(
      (name) => name.normalize('NFKC').toLowerCase().includes(q),
    )

  const keep = (node: DepartmentNode, wholly: boolean): DepartmentNode | null => {
    const everyone = wholly || departmentMatches(node)
    const people = node.people.filter((person) => {
      const match = matchPerson(person, q)
      if (match) matches.set(person.id, match)
      return everyone || match !== null
    })
    const departments = node.departments.flatMap((child) => keep(child, everyone) ?? [])
    if (people.length === 0 && departments.length === 0) return null
    const total = people.length + departments.reduce((sum, child) => sum + child.total, 0)
    return { ...node, people, departments, total }
  }
  if (!q) return { tree: [...tree], matches }
  return { tree: tree.flatMap((node) => keep(node, false) ?? []), matches }
}

/** Every department row id in a tree (to open them all while searching). */
export function allDepartmentRowIds(tree: readonly DepartmentNode[]): string[] {
  return tree.flatMap((node) => [node.rowId, ...allDepartmentRowIds(node.departments)])
}

/** Every person in a tree, depth first. */
export function peopleIn(node: DepartmentNode): Person[] {
  return [...node.people, ...node.departments.flatMap(peopleIn)]
}

// ---- Rows and keys (WAI-ARIA tree) ----

export interface TreeRow {
  rowId: string
  kind: 'department' | 'person'
  /** 1 at the top. */
  level: number
  parentRowId: string | null
  /** Only departments expand. */
  expanded: boolean
  /** What type-ahead matches the start of, lower case: names, username, whole pinyin. */
  keys: string[]
}

/** The rows a reader can see, top to bottom: open departments show what is in them. */
export function visibleRows(
  tree: readonly DepartmentNode[],
  expanded: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = []
  const walk = (node: DepartmentNode, level: number, parentRowId: string | null): void => {
    const open = expanded.has(node.rowId)
    const keys = node.department ? [node.department.name, node.department.nameEn] : []
    rows.push({
      rowId: node.rowId,
      kind: 'department',
      level,
      parentRowId,
      expanded: open,
      keys: keys.map((key) => key.toLowerCase()),
    })
    if (!open) return
    for (const child of node.departments) walk(child, level + 1, node.rowId)
    for (const person of node.people) {
      rows.push({
        rowId: personRowId(person),
        kind: 'person',
        level: level + 1,
        parentRowId: node.rowId,
        expanded: false,
        keys: [person.name, person.nameEn, person.username, (person.pinyin ?? []).join('')].map(
          (key) => key.toLowerCase(),
        ),
      })
    }
  }
  for (const node of tree) walk(node, 1, null)
  return rows
}

export type TreeAction =
  | { kind: 'focus'; rowId: string }
  | { kind: 'expand'; rowId: string }
  | { kind: 'collapse'; rowId: string }
  | { kind: 'activate'; rowId: string }

/**
 * What a key does on the focused row: Down and Up move, Home and End go to the ends, Right opens
 * a closed department or enters an open one, Left closes an open department or goes to the
 * parent, Enter and Space open or close a department and activate a person. null: not ours.
 */
export function treeKeyAction(
  rows: readonly TreeRow[],
  focusedRowId: string,
  key: string,
): TreeAction | null {
  const index = rows.findIndex((row) => row.rowId === focusedRowId)
  const row = rows[index]
  if (!row) return rows[0] ? { kind: 'focus', rowId: rows[0].rowId } : null
  const focus = (target: TreeRow | undefined): TreeAction | null =>
    target ? { kind: 'focus', rowId: target.rowId } : null

  switch (key) {
    case 'ArrowDown':
      return focus(rows[index + 1])
    case 'ArrowUp':
      return focus(rows[index - 1])
    case 'Home':
      return focus(rows[0])
    case 'End':
      return focus(rows[rows.length - 1])
    case 'ArrowRight':
      if (row.kind !== 'department') return null
      if (!row.expanded) return { kind: 'expand', rowId: row.rowId }
      return rows[index + 1]?.parentRowId === row.rowId ? focus(rows[index + 1]) : null
    case 'ArrowLeft':
      if (row.kind === 'department' && row.expanded) return { kind: 'collapse', rowId: row.rowId }
      return row.parentRowId ? { kind: 'focus', rowId: row.parentRowId } : null
    case 'Enter':
    case ' ':
      if (row.kind === 'person') return { kind: 'activate', rowId: row.rowId }
      return { kind: row.expanded ? 'collapse' : 'expand', rowId: row.rowId }
    default:
      return null
  }
}

/**
 * Type-ahead: the next visible row after the focused one (wrapping round) with a name, username
 * or pinyin that starts with what was typed, so "w" finds 王爱丽 and "王" too. null: none.
 */
export function typeAheadTarget(
  rows: readonly TreeRow[],
  focusedRowId: string,
  typed: string,
): string | null {
  const q = typed.toLowerCase()
  if (!q) return null
  const from = rows.findIndex((row) => row.rowId === focusedRowId)
  // A longer run of typing first tries to stay on the row it has already found.
  const start = q.length > 1 ? Math.max(from, 0) : from + 1
  for (let step = 0; step < rows.length; step++) {
    const row = rows[(start + step) % rows.length]!
    if (row.keys.some((key) => key.startsWith(q))) return row.rowId
  }
  return null
}
