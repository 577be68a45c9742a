// Builds the request half of a HostApi from one send function, one method per request the
// contract names, so no transport writes the method list (or its types) out again.
import { hostRequestSchemas, type HostApi, type HostMethod } from '../../../shared/host-api'

export type HostRequests = Omit<HostApi, 'onEvent'>

export type SendRequest = (method: HostMethod, params: unknown) => Promise<unknown>

export function bindRequests(send: SendRequest): HostRequests {
  const methods = Object.keys(hostRequestSchemas) as HostMethod[]
  const entries = methods.map((method) => [method, (params: unknown) => send(method, params)])
  // Each function sends its own method, so its result is that method's result in the contract.
  return Object.fromEntries(entries) as HostRequests
}
