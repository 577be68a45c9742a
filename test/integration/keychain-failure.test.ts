// Under Electron the key is sealed by the OS keychain (safeStorage). When the keychain will not
// open it, or is not there at all, the account's database is reported as 'key-unreadable' with
// the keychain's own words, no file changes, and no key is ever written in plaintext. Recovery
// moves the database and the sealed key aside (never deletes them) and seals a new key.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientCore } from '../../electron/core/client-core'
import { Store } from '../../electron/core/store/store'
import {
  SafeStorageKeyStore,
  type SafeStorageLike,
} from '../../electron/main/safe-storage-key-store'

function keychain(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x5a)),
    decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString(),
    ...overrides,
  }
}

function hashes(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'profile.json') continue
    const path = join(entry.parentPath, entry.name)
    files[path] = createHash('sha256').update(readFileSync(path)).digest('hex')
  }
  return files
}

describe('an OS keychain that will not give the key back', () => {
  let dir: string
  let core: ClientCore | null = null

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-keychain-'))
    // An account signed in earlier: a sealed key, its database, and the profile naming it.
    const key = await new SafeStorageKeyStore({
      dir: join(dir, 'keys'),
      safeStorage: keychain(),
      platform: 'linux',
    }).getOrCreateKey('u-alice')
    mkdirSync(join(dir, 'accounts'))
    const store = await Store.open(join(dir, 'accounts', 'u-alice.db'), key, { create: true })
    await store.setValue('me', '{}')
    await store.close()
    writeFileSync(
      join(dir, 'profile.json'),
      JSON.stringify({ deviceId: 'd1', lastAccount: { userId: 'u-alice', serverAddress: 'h:1' } }),
    )
  })

  afterEach(async () => {
    await core?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function startWith(safeStorage: SafeStorageLike) {
    core = new ClientCore({
      profileDir: dir,
      keyStore: new SafeStorageKeyStore({ dir: join(dir, 'keys'), safeStorage, platform: 'linux' }),
      defaultServerAddress: 'h:1',
      trustedCaPem: '',
      device: { name: 'test', platform: 'test' },
    })
    await core.start()
    return core.getState()
  }

  it('reports a sealed key the keychain cannot open, and changes no file', async () => {
    const before = hashes(dir)
    const state = await startWith(
      keychain({
        decryptString: () => {
          throw new Error('Error while decrypting the ciphertext provided to safeStorage')
        },
      }),
    )
    expect(state.session).toBeNull()
    expect(state.storeProblem).toMatchObject({ userId: 'u-alice', kind: 'key-unreadable' })
    expect(state.storeProblem?.message).toMatch(/OS keychain cannot open the database key/)
    expect(hashes(dir)).toEqual(before)
  })

  it("reports Linux's basic_text fallback as no keychain, and writes no plaintext key", async () => {
    const before = hashes(dir)
    const state = await startWith(keychain({ getSelectedStorageBackend: () => 'basic_text' }))
    expect(state.storeProblem).toMatchObject({ kind: 'key-unreadable' })
    expect(state.storeProblem?.message).toMatch(/no OS keychain found/)
    expect(hashes(dir)).toEqual(before)
  })

  it('recovers from a sealed key that will not open: old key and database kept aside, a new key sealed', async () => {
    let locked = true
    const base = keychain()
    await startWith({
      ...base,
      decryptString: (sealed) => {
        if (locked) throw new Error('locked')
        return base.decryptString(sealed)
      },
    })
    const before = hashes(dir)

    const recovery = await core!.recoverStore()

    // Every file that was there is still there, byte for byte, under its new name.
    const after = hashes(dir)
    expect(Object.values(after).sort()).toEqual(
      expect.arrayContaining(Object.values(before).sort()),
    )
    expect(recovery.movedAside.some((move) => move.to.includes('u-alice.db.broken-'))).toBe(true)
    expect(
      readdirSync(join(dir, 'keys')).some((name) => name.includes('.key.sealed.retired-')),
    ).toBe(true)
    expect((await core!.getState()).storeProblem ?? null).toBeNull()

    // The next sign-in seals a fresh key; it is never written in plaintext.
    locked = false
    const keyStore = new SafeStorageKeyStore({
      dir: join(dir, 'keys'),
      safeStorage: base,
      platform: 'linux',
    })
    const fresh = await keyStore.getOrCreateKey('u-alice')
    const sealedFile = readFileSync(join(dir, 'keys', 'u-alice.key.sealed'))
    expect(sealedFile.includes(Buffer.from(fresh.toString('hex')))).toBe(false)
  })
})
