// Hands the store to the views. Views read it only through selectors: useTack((s) => s.x).
import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { TackState, TackStore } from './store'

const StoreContext = createContext<TackStore | null>(null)

export function TackStoreProvider({ store, children }: { store: TackStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
}

/** The store itself, for code that works outside render (the micro-app bridge). */
export function useTackStore(): TackStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useTackStore needs a TackStoreProvider above it')
  return store
}

export function useTack<T>(selector: (state: TackState) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useTack needs a TackStoreProvider above it')
  return useStore(store, selector)
}
