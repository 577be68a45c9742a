// Who is signed in, and the start-up and sign-in flow. Signing in or out swaps the whole account:
// the other slices' data is cleared and fetched again for the new account.
import type {
  HostApi,
  HostParams,
  SessionView,
  StoreProblemView,
  StoreRecoveryView,
} from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { SignedOutCode } from '../../../shared/signed-out'
import { initialComposeState } from './compose-slice'
import { initialContactsState } from './contacts-slice'
import { initialConversationsState } from './conversations-slice'
import { initialDevicesState } from './devices-slice'
import { initialDraftsState } from './drafts-slice'
import { describeError, type ErrorInfo } from './errors'
import { initialMessagesState } from './messages-slice'
import { initialNavigationState } from './navigation-slice'
import { initialWorkbenchState } from './workbench-slice'
import type { TackSlice } from './store'

const log = createLogger('session')

/**
 * starting: asking the host for its state; unreachable: the host did not answer at start;
 * storeProblem: the account's local database would not open (the recovery screen).
 */
export type SessionPhase = 'starting' | 'unreachable' | 'storeProblem' | 'signedOut' | 'signedIn'

export interface SessionState {
  phase: SessionPhase
  session: SessionView | null
  defaultServerAddress: string
  /** Why the session ended, when the server ended it; shown on the sign-in page. */
  /** Why the server ended the last session: English detail; the UI words signedOutCode. */
  signedOutReason: string | null
  signedOutCode: SignedOutCode | null
  loginPending: boolean
  loginError: ErrorInfo | null
  /** Why the host could not be reached at start. */
  startError: ErrorInfo | null
  /** Why the local database would not open, while the recovery screen shows. */
  storeProblem: StoreProblemView | null
  /** What the last recovery moved aside, told on the sign-in page. */
  recovered: StoreRecoveryView | null
  recoverPending: boolean
  recoverError: ErrorInfo | null
}

export interface SessionActions {
  /** Fetches the host's state and everything the signed-in account shows. */
  loadState(): Promise<void>
  login(params: HostParams<'login'>): Promise<void>
  logout(): Promise<void>
  /** Moves the unopenable database aside (kept, not deleted) and goes to the sign-in page. */
  recoverStore(): Promise<void>
  applySession(
    session: SessionView | null,
    reason: string | null,
    code?: SignedOutCode | null,
  ): void
  /** Re-fetches conversations, contacts and the open conversation's messages. */
  refreshAccountData(): void
}

export type SessionSlice = SessionState & SessionActions

export const initialSessionState: SessionState = {
  phase: 'starting',
  session: null,
  defaultServerAddress: '',
  signedOutReason: null,
  signedOutCode: null,
  loginPending: false,
  loginError: null,
  startError: null,
  storeProblem: null,
  recovered: null,
  recoverPending: false,
  recoverError: null,
}

const emptyAccountData = {
  ...initialConversationsState,
  ...initialMessagesState,
  ...initialContactsState,
  ...initialDevicesState,
  ...initialNavigationState,
  ...initialWorkbenchState,
  ...initialDraftsState,
  ...initialComposeState,
}

export function createSessionSlice(host: HostApi): TackSlice<SessionSlice> {
  return (set, get) => ({
    ...initialSessionState,

    async loadState() {
      let state
      try {
        state = await host.getState({})
      } catch (error) {
        log.warn({ err: error }, 'getState failed')
        if (get().phase === 'starting') {
          set({ phase: 'unreachable', startError: describeError(error) })
        }
        return
      }
      // A new account is fetched by applySession; the same one (after the host came back) here.
      const sameAccount = state.session !== null && get().session?.me.id === state.session.me.id
      get().setConnection(state.connection)
      set({ defaultServerAddress: state.defaultServerAddress, startError: null })
      get().applySession(state.session, state.signedOutReason, state.signedOutCode)
      const storeProblem = state.session ? null : (state.storeProblem ?? null)
      set(storeProblem ? { phase: 'storeProblem', storeProblem } : { storeProblem: null })
      if (sameAccount) get().refreshAccountData()
    },

    async login(params) {
      set({ loginPending: true, loginError: null })
      try {
        const session = await host.login(params)
        set({ loginPending: false })
        get().applySession(session, null)
      } catch (error) {
        const loginError = describeError(error)
        set({ loginPending: false, loginError })
        // The account's database would not open: the host now reports it for the recovery screen.
        if (loginError.code === 'STORE_LOCKED') await get().loadState()
      }
    },

    async logout() {
      // What I was writing is kept for the next sign-in of this account on this device.
      await get().flushDrafts()
      try {
        await host.logout({})
        get().applySession(null, null)
      } catch (error) {
        log.warn({ err: error }, 'logout failed')
      }
    },

    async recoverStore() {
      set({ recoverPending: true, recoverError: null })
      try {
        const recovered = await host.recoverStore({})
        set({ phase: 'signedOut', storeProblem: null, recovered, recoverPending: false })
      } catch (error) {
        set({ recoverPending: false, recoverError: describeError(error) })
      }
    },

    applySession(session, reason, code = null) {
      const previous = get().session
      if (!session) {
        set({
          ...emptyAccountData,
          phase: 'signedOut',
          session: null,
          signedOutReason: reason,
          // A reason from an older host without a code still reads as "the session ended".
          signedOutCode: reason === null ? null : (code ?? 'SESSION_ENDED'),
        })
        return
      }
      const sameAccount = previous?.me.id === session.me.id
      set({
        ...(sameAccount ? {} : emptyAccountData),
        phase: 'signedIn',
        session,
        signedOutReason: null,
        signedOutCode: null,
        loginError: null,
      })
      if (!sameAccount) get().refreshAccountData()
    },

    refreshAccountData() {
      const state = get()
      void state.refreshConversations()
      void state.refreshContacts()
      if (state.openConversationId) void state.loadMessages(state.openConversationId)
    },
  })
}
