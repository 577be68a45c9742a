// Which main view is showing. Opening a conversation from anywhere switches to Chats.
import type { TackSlice } from './store'

export type MainView = 'chats' | 'contacts' | 'workbench' | 'settings'

export interface NavigationState {
  view: MainView
}

export interface NavigationActions {
  showView(view: MainView): void
}

export type NavigationSlice = NavigationState & NavigationActions

export const initialNavigationState: NavigationState = {
  view: 'chats',
}

export function createNavigationSlice(): TackSlice<NavigationSlice> {
  return (set) => ({
    ...initialNavigationState,

    showView(view) {
      set({ view })
    },
  })
}
