import { describe, expect, it } from 'vitest'
import { readLaunchToken, type TokenStorage } from './launch-token'

function memoryStorage(): TokenStorage & { items: Map<string, string> } {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  }
}

describe('readLaunchToken', () => {
  it('reads the token from the fragment and keeps it for a reload', () => {
    const storage = memoryStorage()

    expect(readLaunchToken('#token=abc%2B123', storage)).toBe('abc+123')
    expect(readLaunchToken('', storage)).toBe('abc+123')
  })

  it('prefers a new token in the fragment over the kept one', () => {
    const storage = memoryStorage()
    readLaunchToken('#token=old', storage)

    expect(readLaunchToken('#token=new', storage)).toBe('new')
  })

  it('finds no token without a fragment or a kept one', () => {
    expect(readLaunchToken('', memoryStorage())).toBeNull()
    expect(readLaunchToken('#other=1', null)).toBeNull()
  })

  it('still returns the fragment token when storage refuses to keep it', () => {
    const refusing: TokenStorage = {
      getItem: () => {
        throw new Error('blocked')
      },
      setItem: () => {
        throw new Error('blocked')
      },
    }

    expect(readLaunchToken('#token=abc', refusing)).toBe('abc')
    expect(readLaunchToken('', refusing)).toBeNull()
  })
})
