// The one store of the renderer, made of slices. Each slice gets the HostApi it talks to, so a
// test can hand in a fake; views read it through selectors (see store-context.tsx).
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla'
import type { HostApi } from '../../../shared/host-api'
import { createAttachmentsSlice, type AttachmentsSlice } from './attachments-slice'
import { createComposeSlice, type ComposeSlice } from './compose-slice'
import { createConnectionSlice, type ConnectionSlice } from './connection-slice'
import { createContactsSlice, type ContactsSlice } from './contacts-slice'
import { createDevicesSlice, type DevicesSlice } from './devices-slice'
import { createDraftsSlice, type DraftsSlice } from './drafts-slice'
import { createConversationsSlice, type ConversationsSlice } from './conversations-slice'
import { createMessagesSlice, type MessagesSlice } from './messages-slice'
import { createNavigationSlice, type NavigationSlice } from './navigation-slice'
import {
  createPreferencesSlice,
  defaultPreferences,
  type PreferenceStorage,
  type Preferences,
  type PreferencesSlice,
} from './preferences-slice'
import { createSessionSlice, type SessionSlice } from './session-slice'
import { createShellSlice, type ShellSlice } from './shell-slice'
import { createWorkbenchSlice, type WorkbenchSlice } from './workbench-slice'

export type TackState = SessionSlice &
  ConnectionSlice &
  ConversationsSlice &
  MessagesSlice &
  ContactsSlice &
  DevicesSlice &
  NavigationSlice &
  WorkbenchSlice &
  DraftsSlice &
  ComposeSlice &
  AttachmentsSlice &
  PreferencesSlice &
  ShellSlice

/** A slice creator: sees the whole state, contributes its own part. */
export type TackSlice<Slice> = StateCreator<TackState, [], [], Slice>

export type TackStore = StoreApi<TackState>

export interface TackStoreOptions {
  /** The device's preferences at start (see loadPreferences); English defaults otherwise. */
  preferences?: Preferences
  /** Where preference changes are saved: localStorage in the app, nothing in most tests. */
  storage?: PreferenceStorage | null
}

export function createTackStore(host: HostApi, options: TackStoreOptions = {}): TackStore {
  const preferences = options.preferences ?? defaultPreferences('en')
  return createStore<TackState>()((...args) => ({
    ...createSessionSlice(host)(...args),
    ...createConnectionSlice(host)(...args),
    ...createConversationsSlice(host)(...args),
    ...createMessagesSlice(host)(...args),
    ...createContactsSlice(host)(...args),
    ...createDevicesSlice(host)(...args),
    ...createNavigationSlice()(...args),
    ...createWorkbenchSlice(host)(...args),
    ...createDraftsSlice(host)(...args),
    ...createComposeSlice(host)(...args),
    ...createAttachmentsSlice(host)(...args),
    ...createPreferencesSlice(preferences, options.storage ?? null)(...args),
    ...createShellSlice(host)(...args),
  }))
}
