// The company directory: departments and people, and people by id for naming message senders.
import type { DepartmentView, HostApi, Person } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { coalesce } from './coalesce'
import type { TackSlice } from './store'

const log = createLogger('contacts')

export interface ContactsState {
  departments: DepartmentView[]
  people: Person[]
  peopleById: Record<string, Person>
  contactsLoaded: boolean
}

export interface ContactsActions {
  refreshContacts(): Promise<void>
}

export type ContactsSlice = ContactsState & ContactsActions

export const initialContactsState: ContactsState = {
  departments: [],
  people: [],
  peopleById: {},
  contactsLoaded: false,
}

export function createContactsSlice(host: HostApi): TackSlice<ContactsSlice> {
  return (set, get) => ({
    ...initialContactsState,

    refreshContacts: coalesce(async () => {
      const account = get().session?.me.id
      try {
        const { departments, people } = await host.listContacts({})
        if (get().session?.me.id !== account) return
        const peopleById = Object.fromEntries(people.map((person) => [person.id, person]))
        set({ departments, people, peopleById, contactsLoaded: true })
      } catch (error) {
        log.warn({ err: error }, 'listContacts failed')
      }
    }),
  })
}
