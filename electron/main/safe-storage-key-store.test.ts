import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostError } from '../../shared/errors'
import { SafeStorageKeyStore, type SafeStorageLike } from './safe-storage-key-store'

/** A stand-in keychain: XOR with a secret byte, and a header that must survive. */
function fakeKeychain(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text) =>
      Buffer.concat([Buffer.from('sealed:'), Buffer.from(text).map((byte) => byte ^ 0x5a)]),
    decryptString: (sealed) => {
      if (!sealed.subarray(0, 7).equals(Buffer.from('sealed:'))) throw new Error('bad seal')
      return Buffer.from(sealed.subarray(7).map((byte) => byte ^ 0x5a)).toString()
    },
    ...overrides,
  }
}

async function expectLocked(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(HostError)
  expect((error as HostError).code).toBe('STORE_LOCKED')
  expect((error as HostError).message).toMatch(message)
}

describe('SafeStorageKeyStore', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tack-keys-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('makes a 256-bit key once and returns the same key ever after', async () => {
    const store = new SafeStorageKeyStore({ dir, safeStorage: fakeKeychain(), platform: 'linux' })
    expect(await store.getKey('alice')).toBeNull()

    const key = await store.getOrCreateKey('alice')
    expect(key).toHaveLength(32)
    expect(await store.getOrCreateKey('alice')).toEqual(key)

    const reopened = new SafeStorageKeyStore({
      dir,
      safeStorage: fakeKeychain(),
      platform: 'linux',
    })
    expect(await reopened.getKey('alice')).toEqual(key)
  })

  it('keeps only the sealed key on disk, never the key itself', async () => {
    const store = new SafeStorageKeyStore({ dir, safeStorage: fakeKeychain(), platform: 'linux' })
    const key = await store.getOrCreateKey('bob')

    const [file] = await readdir(dir)
    const stored = await readFile(join(dir, file!))
    expect(stored.includes(key)).toBe(false)
    expect(stored.toString('latin1')).not.toContain(key.toString('hex'))
  })

  it('keeps one key per account', async () => {
    const store = new SafeStorageKeyStore({ dir, safeStorage: fakeKeychain(), platform: 'linux' })
    const alice = await store.getOrCreateKey('alice')
    const bob = await store.getOrCreateKey('bob')
    expect(alice.equals(bob)).toBe(false)
  })

  it('refuses when the keychain is unavailable, instead of storing the key in plaintext', async () => {
    const keychain = fakeKeychain({ isEncryptionAvailable: () => false })
    const store = new SafeStorageKeyStore({ dir, safeStorage: keychain, platform: 'darwin' })
    await expectLocked(store.getOrCreateKey('alice'), /keychain is not available/)
    expect(await readdir(dir)).toEqual([])
  })

  it("refuses Linux's basic_text fallback, whose password ships with Chromium", async () => {
    const keychain = fakeKeychain({ getSelectedStorageBackend: () => 'basic_text' })
    const store = new SafeStorageKeyStore({ dir, safeStorage: keychain, platform: 'linux' })
    await expectLocked(store.getOrCreateKey('alice'), /basic_text/)
  })

  it('reports a key the keychain cannot open as locked, never as a new key', async () => {
    const store = new SafeStorageKeyStore({ dir, safeStorage: fakeKeychain(), platform: 'linux' })
    await store.getOrCreateKey('alice')
    const [file] = await readdir(dir)
    await writeFile(join(dir, file!), 'sealed by another machine')

    await expectLocked(store.getKey('alice'), /cannot open the database key of alice/)
    await expectLocked(store.getOrCreateKey('alice'), /cannot open/)
  })

  it('refuses a keychain that does not give back what it sealed', async () => {
    const keychain = fakeKeychain({ decryptString: () => 'ab'.repeat(32) })
    const store = new SafeStorageKeyStore({ dir, safeStorage: keychain, platform: 'linux' })
    await expectLocked(store.getOrCreateKey('alice'), /did not return the key/)
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses an account id that would put the key outside its folder', async () => {
    const store = new SafeStorageKeyStore({ dir, safeStorage: fakeKeychain(), platform: 'linux' })
    for (const accountId of ['../alice', 'a/b', '..', '']) {
      await expect(store.getOrCreateKey(accountId), accountId).rejects.toThrow(/bad account id/)
    }
    expect(await readdir(dir)).toEqual([])
  })
})
