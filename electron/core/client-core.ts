// ClientCore: the client engine (store, connection, sync, outbox) behind the HostApi contract.
// Being written; the public surface below is fixed.
import type { HostEventListener, HostHandlers } from '../../shared/host-api'
import type { KeyStore } from './store/key-store'

export interface ClientCoreOptions {
  /** The install's own folder: one encrypted database per account, and profile.json. */
  profileDir: string
  keyStore: KeyStore
  /** host:port of the access layer to fill in on the login screen. */
  defaultServerAddress: string
  /** PEM of the CA the client trusts for the server's certificate. Verification is never off. */
  trustedCaPem: string
  device: { name: string; platform: string }
}

export declare class ClientCore implements HostHandlers {
  constructor(options: ClientCoreOptions)
  /** Restores the last signed-in account, if any, and starts connecting. */
  start(): Promise<void>
  onEvent(listener: HostEventListener): () => void
  close(): Promise<void>
  getState: HostHandlers['getState']
  login: HostHandlers['login']
  logout: HostHandlers['logout']
  retryNow: HostHandlers['retryNow']
  listConversations: HostHandlers['listConversations']
  loadMessages: HostHandlers['loadMessages']
  sendMessage: HostHandlers['sendMessage']
  markRead: HostHandlers['markRead']
  listContacts: HostHandlers['listContacts']
  openDirectConversation: HostHandlers['openDirectConversation']
  createGroup: HostHandlers['createGroup']
}
