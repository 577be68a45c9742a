// Arranging the directory for display: people by department, in the directory's department order.
import type { DepartmentView, Person } from '../../../shared/host-api'

export interface DepartmentGroup {
  /** null for people whose department the directory does not list. */
  department: DepartmentView | null
  members: Person[]
}

export function groupByDepartment(
  departments: DepartmentView[],
  people: Person[],
): DepartmentGroup[] {
  const byDepartment = new Map<string, Person[]>()
  for (const person of people) {
    const members = byDepartment.get(person.departmentId) ?? []
    members.push(person)
    byDepartment.set(person.departmentId, members)
  }
  const groups: DepartmentGroup[] = []
  for (const department of departments) {
    const members = byDepartment.get(department.id)
    if (members?.length) groups.push({ department, members })
    byDepartment.delete(department.id)
  }
  const unlisted = [...byDepartment.values()].flat()
  if (unlisted.length) groups.push({ department: null, members: unlisted })
  return groups
}

/** The department's name in the UI's language: English for English, the own name otherwise. */
export function departmentName(department: DepartmentView, language: string): string {
  return language.startsWith('en') && department.nameEn ? department.nameEn : department.name
}
