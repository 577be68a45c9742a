import { describe, expect, it } from 'vitest'
import { MICRO_APPS_DEPARTMENT_ID } from '../../../shared/directory'
import type { DepartmentView, Person } from '../../../shared/host-api'
import {
  OTHER_DEPARTMENT,
  allDepartmentRowIds,
  buildOrgTree,
  departmentPath,
  filterOrgTree,
  matchPerson,
  treeKeyAction,
  typeAheadTarget,
  visibleRows,
  withoutMicroAppBots,
  type DepartmentNode,
} from './org-tree'

function person(
  id: string,
  name: string,
  nameEn: string,
  departmentId: string,
  pinyin?: string[],
): Person {
  return {
    id,
    username: id,
    name,
    nameEn,
    departmentId,
    title: '',
    avatarColor: '#123456',
    ...(pinyin ? { pinyin } : {}),
  }
}

const departments: DepartmentView[] = [
  { id: 'eng', name: '研发部', nameEn: 'Engineering', parentId: null },
  { id: 'fe', name: '前端组', nameEn: 'Front-end', parentId: 'eng' },
  { id: 'product', name: '产品部', nameEn: 'Product', parentId: null },
]
// Syllables as the core's listContacts gives them (pinyin-pro, one per character).
const alice = person('alice', '王爱丽', 'Alice Wang', 'eng', ['wang', 'ai', 'li'])
const oscar = person('oscar', '沈涛', 'Oscar Shen', 'fe', ['shen', 'tao'])
const quinn = person('quinn', '杨倩', 'Quinn Yang', 'fe', ['yang', 'qian'])
const bob = person('bob', '李博', 'Bob Li', 'product', ['li', 'bo'])
const xian = person('xian', '西安', 'Xi An', 'product', ['xi', 'an'])
const stray = person('stray', 'Amy 曹', 'Amy Cao', 'gone', ['a', 'm', 'y', ' ', 'cao'])
const people = [alice, oscar, quinn, bob, xian, stray]

function ids(tree: DepartmentNode[]): unknown {
  return tree.map((node) => ({
    [node.rowId]: [...node.people.map((p) => p.id), ...((ids(node.departments) as []) ?? [])],
  }))
}

describe('buildOrgTree', () => {
  it('nests departments under their parents, counts everyone below, and keeps strays in Other', () => {
    const tree = buildOrgTree(departments, people)
    expect(ids(tree)).toEqual([
      { 'd:eng': ['alice', { 'd:fe': ['oscar', 'quinn'] }] },
      { 'd:product': ['bob', 'xian'] },
      { [OTHER_DEPARTMENT]: ['stray'] },
    ])
    expect(tree.map((node) => node.total)).toEqual([3, 2, 1])
  })

  it("leaves micro-apps' bot users and their department out of a tree for picking people", () => {
    const apps = {
      id: MICRO_APPS_DEPARTMENT_ID,
      name: '应用',
      nameEn: 'Micro-apps',
      parentId: null,
    }
    const tasks = person('app-demo-tasks', '任务', 'Tasks', MICRO_APPS_DEPARTMENT_ID, ['ren', 'wu'])
    const pickable = withoutMicroAppBots([...departments, apps], [...people, tasks])

    const tree = buildOrgTree(pickable.departments, pickable.people)
    expect(ids(tree)).toEqual(ids(buildOrgTree(departments, people)))
    expect(filterOrgTree(tree, 'tasks', 'zh-CN').matches.size).toBe(0)
    expect(filterOrgTree(tree, 'renwu', 'zh-CN').matches.size).toBe(0)
  })

  it('puts a department of an unknown parent, or in a loop of parents, at the top', () => {
    const looped: DepartmentView[] = [
      { id: 'a', name: 'A', nameEn: 'A', parentId: 'b' },
      { id: 'b', name: 'B', nameEn: 'B', parentId: 'a' },
      { id: 'c', name: 'C', nameEn: 'C', parentId: 'missing' },
      { id: 'd', name: 'D', nameEn: 'D', parentId: 'd' },
    ]
    const tree = buildOrgTree(looped, [])
    expect(allDepartmentRowIds(tree).sort()).toEqual(['d:a', 'd:b', 'd:c', 'd:d'])
    expect(tree.map((node) => node.rowId)).toEqual(['d:c', 'd:d', 'd:a'])
  })

  it('names the path from the top in the UI language', () => {
    expect(departmentPath(departments, 'fe', 'en')).toEqual(['Engineering', 'Front-end'])
    expect(departmentPath(departments, 'fe', 'zh-CN')).toEqual(['研发部', '前端组'])
    expect(departmentPath(departments, 'nowhere', 'en')).toEqual([])
  })
})

describe('matchPerson', () => {
  it('finds 王爱丽 by her name, full pinyin, initials and a mix, marking the characters', () => {
    expect(matchPerson(alice, '爱丽')).toMatchObject({
      field: 'name',
      start: 1,
      end: 3,
      by: 'name',
    })
    expect(matchPerson(alice, 'wangaili')).toMatchObject({ start: 0, end: 3, by: 'pinyin' })
    expect(matchPerson(alice, 'wal')).toMatchObject({ start: 0, end: 3, by: 'pinyin' })
    expect(matchPerson(alice, 'WangAL')).toMatchObject({ start: 0, end: 3, by: 'pinyin' })
    expect(matchPerson(alice, "ai'li")).toMatchObject({ start: 1, end: 3, by: 'pinyin' })
    expect(matchPerson(alice, 'wang ai')).toMatchObject({ start: 0, end: 2, by: 'pinyin' })
    expect(matchPerson(alice, '王ai')).toMatchObject({ start: 0, end: 2, by: 'pinyin' })
  })

  it('backs off a long syllable when a shorter take lets the rest match', () => {
    // "xian" is one syllable elsewhere, but here 西 (xi) + 安 (an).
    expect(matchPerson(xian, 'xian')).toMatchObject({ start: 0, end: 2, by: 'pinyin' })
    expect(matchPerson(xian, 'xa')).toMatchObject({ start: 0, end: 2 })
  })

  it('falls back to the English name, then the username; misses are null', () => {
    expect(matchPerson(alice, 'ALICE w')).toMatchObject({ field: 'nameEn', start: 0, end: 7 })
    expect(matchPerson({ ...bob, username: 'bli2' }, 'bli2')).toMatchObject({
      field: 'username',
    })
    expect(matchPerson(alice, 'wangx')).toBeNull()
    expect(matchPerson(alice, 'lia')).toBeNull()
    expect(matchPerson(alice, '   ')).toBeNull()
  })

  it('passes over the space inside a name and matches full-width letters', () => {
    expect(matchPerson(stray, 'amycao')).toMatchObject({ field: 'name', start: 0, end: 5 })
    expect(matchPerson(stray, 'ＡＭＹ')).toMatchObject({ field: 'name', start: 0, end: 3 })
  })

  it('without syllables from the core still finds by name and English name', () => {
    const plain = { ...alice, pinyin: undefined }
    expect(matchPerson(plain, 'wal')).toBeNull()
    expect(matchPerson(plain, 'alice')).toMatchObject({ field: 'nameEn' })
  })
})

describe('filterOrgTree', () => {
  const tree = buildOrgTree(departments, people)

  it('keeps only the people found, inside their departments, with what matched', () => {
    const { tree: found, matches } = filterOrgTree(tree, 'yq', 'en')
    expect(ids(found)).toEqual([{ 'd:eng': [{ 'd:fe': ['quinn'] }] }])
    expect(found[0]?.total).toBe(1)
    expect(matches.get('quinn')).toMatchObject({ by: 'pinyin', start: 0, end: 2 })
  })

  it('keeps everyone of a department whose name matches, in either language', () => {
    expect(ids(filterOrgTree(tree, 'front', 'en').tree)).toEqual([
      { 'd:eng': [{ 'd:fe': ['oscar', 'quinn'] }] },
    ])
    expect(ids(filterOrgTree(tree, '产品', 'en').tree)).toEqual([{ 'd:product': ['bob', 'xian'] }])
  })

  it('finds "li" in 王爱丽 (initial of 丽) and 李博, and nothing for a miss', () => {
    const { matches } = filterOrgTree(tree, 'li', 'en')
    expect([...matches.keys()].sort()).toEqual(['alice', 'bob'])
    expect(filterOrgTree(tree, 'zzz', 'en').tree).toEqual([])
    expect(filterOrgTree(tree, '', 'en').tree).toHaveLength(3)
  })
})

describe('tree rows and keys', () => {
  const tree = buildOrgTree(departments, people)
  const rowIds = (expanded: string[]) =>
    visibleRows(tree, new Set(expanded)).map((row) => `${row.level}:${row.rowId}`)

  it('shows what open departments hold, sub-departments before people', () => {
    expect(rowIds([])).toEqual(['1:d:eng', '1:d:product', `1:${OTHER_DEPARTMENT}`])
    expect(rowIds(['d:eng'])).toEqual([
      '1:d:eng',
      '2:d:fe',
      '2:p:alice',
      '1:d:product',
      `1:${OTHER_DEPARTMENT}`,
    ])
    // A closed parent hides an open child.
    expect(rowIds(['d:fe'])).toHaveLength(3)
  })

  it('Right opens a closed department, then steps into it; Left closes it, then goes up', () => {
    const closed = visibleRows(tree, new Set())
    expect(treeKeyAction(closed, 'd:eng', 'ArrowRight')).toEqual({ kind: 'expand', rowId: 'd:eng' })
    const open = visibleRows(tree, new Set(['d:eng', 'd:fe']))
    expect(treeKeyAction(open, 'd:eng', 'ArrowRight')).toEqual({ kind: 'focus', rowId: 'd:fe' })
    expect(treeKeyAction(open, 'p:oscar', 'ArrowRight')).toBeNull()
    expect(treeKeyAction(open, 'p:oscar', 'ArrowLeft')).toEqual({ kind: 'focus', rowId: 'd:fe' })
    expect(treeKeyAction(open, 'd:fe', 'ArrowLeft')).toEqual({ kind: 'collapse', rowId: 'd:fe' })
    expect(treeKeyAction(closed, 'd:eng', 'ArrowLeft')).toBeNull()
  })

  it('Up and Down move through visible rows only and stop at the ends; Home and End jump', () => {
    const open = visibleRows(tree, new Set(['d:eng']))
    expect(treeKeyAction(open, 'd:eng', 'ArrowDown')).toEqual({ kind: 'focus', rowId: 'd:fe' })
    expect(treeKeyAction(open, 'p:alice', 'ArrowDown')).toEqual({
      kind: 'focus',
      rowId: 'd:product',
    })
    expect(treeKeyAction(open, 'd:product', 'ArrowUp')).toEqual({ kind: 'focus', rowId: 'p:alice' })
    expect(treeKeyAction(open, 'd:eng', 'ArrowUp')).toBeNull()
    expect(treeKeyAction(open, OTHER_DEPARTMENT, 'ArrowDown')).toBeNull()
    expect(treeKeyAction(open, 'p:alice', 'Home')).toEqual({ kind: 'focus', rowId: 'd:eng' })
    expect(treeKeyAction(open, 'd:eng', 'End')).toEqual({ kind: 'focus', rowId: OTHER_DEPARTMENT })
  })

  it('Enter and Space toggle a department and activate a person; a lost focus goes to the top', () => {
    const open = visibleRows(tree, new Set(['d:eng']))
    expect(treeKeyAction(open, 'd:eng', 'Enter')).toEqual({ kind: 'collapse', rowId: 'd:eng' })
    expect(treeKeyAction(open, 'd:fe', ' ')).toEqual({ kind: 'expand', rowId: 'd:fe' })
    expect(treeKeyAction(open, 'p:alice', 'Enter')).toEqual({ kind: 'activate', rowId: 'p:alice' })
    expect(treeKeyAction(open, 'p:alice', 'a')).toBeNull()
    expect(treeKeyAction(open, 'p:gone', 'ArrowDown')).toEqual({ kind: 'focus', rowId: 'd:eng' })
  })
})

describe('typeAheadTarget', () => {
  const tree = buildOrgTree(departments, people)
  const rows = visibleRows(tree, new Set(['d:eng', 'd:fe', 'd:product']))

  it('finds the next row by the start of a name, English name, username or pinyin', () => {
    expect(typeAheadTarget(rows, 'd:eng', 'w')).toBe('p:alice')
    expect(typeAheadTarget(rows, 'd:eng', '王')).toBe('p:alice')
    expect(typeAheadTarget(rows, 'd:eng', 'q')).toBe('p:quinn')
    expect(typeAheadTarget(rows, 'd:eng', 'Prod')).toBe('d:product')
  })

  it('moves on to the next match for a single letter, wrapping round, and stays for more', () => {
    // Bob is the only row starting with "b": typed again from him, it wraps round to him.
    expect(typeAheadTarget(rows, 'd:eng', 'b')).toBe('p:bob')
    expect(typeAheadTarget(rows, 'p:bob', 'b')).toBe('p:bob')
    expect(typeAheadTarget(rows, 'p:xian', 'e')).toBe('d:eng')
    expect(typeAheadTarget(rows, 'p:bob', 'bo')).toBe('p:bob')
    expect(typeAheadTarget(rows, 'd:eng', 'zzz')).toBeNull()
  })
})
