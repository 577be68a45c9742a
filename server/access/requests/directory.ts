// The organisation's directory: every department and person.
import { z } from 'zod'
import { sessionRequest } from '../request-handler'

export const directory = sessionRequest(z.object({}), (_request, { storage }) => ({
  case: 'directoryReply',
  value: { departments: storage.listDepartments(), users: storage.listUsers() },
}))
