// The database keys under Electron: made random once, sealed by the OS keychain through
// safeStorage, and kept sealed in <userData>/keys. There is no plaintext fallback: without a
// working keychain, or when a sealed key no longer opens, the store refuses with a clear error.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import { HostError } from '../../shared/errors'
import { createLogger } from '../../shared/logger'
import { DATABASE_KEY_BYTES, type KeyStore } from '../core/store/key-store'

const log = createLogger('key-store')

/** The part of Electron's safeStorage used here; the real module in the app, a fake in tests. */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>

export interface SafeStorageKeyStoreOptions {
  /** Folder of the sealed key files, e.g. <userData>/keys. */
  dir: string
  safeStorage: SafeStorageLike
  platform?: NodeJS.Platform
}

export class SafeStorageKeyStore implements KeyStore {
  readonly description = 'OS keychain (safeStorage)'
  private readonly dir: string
  private readonly safeStorage: SafeStorageLike
  private readonly platform: NodeJS.Platform

  constructor(options: SafeStorageKeyStoreOptions) {
    this.dir = options.dir
    this.safeStorage = options.safeStorage
    this.platform = options.platform ?? process.platform
  }

  async getKey(accountId: string): Promise<Buffer | null> {
    const path = this.pathFor(accountId)
    this.assertKeychain()

    let sealed: Buffer
    try {
      sealed = await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new HostError('STORE_LOCKED', `cannot read the sealed database key ${path}`)
    }
    return this.unseal(accountId, sealed)
  }

  async getOrCreateKey(accountId: string): Promise<Buffer> {
    const existing = await this.getKey(accountId)
    if (existing) return existing

    const key = randomBytes(DATABASE_KEY_BYTES)
    const sealed = this.seal(accountId, key)
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    try {
      // 'wx' fails if another process sealed a key meanwhile: never overwrite a key.
      await writeFile(this.pathFor(accountId), sealed, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new HostError('STORE_LOCKED', `cannot write the sealed database key in ${this.dir}`)
      }
      const winner = await this.getKey(accountId)
      if (winner) return winner
      throw new HostError('STORE_LOCKED', `the sealed database key of ${accountId} vanished`)
    }
    log.info({ accountId }, 'database key created and sealed by the OS keychain')
    return key
  }

  /**
   * Moves a sealed key that no longer opens aside (never deletes it: the keychain that sealed it
   * may come back), so recovery can seal a new key for a fresh database.
   */
  async retireKey(accountId: string, stamp: string): Promise<void> {
    const path = this.pathFor(accountId)
    try {
      await rename(path, `${path}.retired-${stamp}`)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    log.warn({ accountId }, 'unreadable sealed database key retired')
  }

  /** Refuses unless the keychain really encrypts: never a readable key on disk. */
  private assertKeychain(): void {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new HostError(
        'STORE_LOCKED',
        'the OS keychain is not available, so Tack cannot protect its database key',
      )
    }
    // On Linux without a Secret Service or KWallet, safeStorage "encrypts" with a fixed password
    // that ships in Chromium: as good as plaintext, so it counts as no keychain.
    if (
      this.platform === 'linux' &&
      this.safeStorage.getSelectedStorageBackend() === 'basic_text'
    ) {
      throw new HostError(
        'STORE_LOCKED',
        'no OS keychain found (safeStorage fell back to basic_text): run a Secret Service ' +
          'keyring such as GNOME Keyring, or KWallet, and start Tack again',
      )
    }
  }

  private seal(accountId: string, key: Buffer): Buffer {
    const sealed = this.safeStorage.encryptString(key.toString('hex'))
    // Prove the keychain opens what it sealed before a database is made with this key.
    if (!this.unseal(accountId, sealed).equals(key)) {
      throw new HostError('STORE_LOCKED', 'the OS keychain did not return the key it sealed')
    }
    return sealed
  }

  private unseal(accountId: string, sealed: Buffer): Buffer {
    let hex: string
    try {
      hex = this.safeStorage.decryptString(sealed)
    } catch {
      throw new HostError(
        'STORE_LOCKED',
        `the OS keychain cannot open the database key of ${accountId} ` +
          '(was this profile copied from another user or machine?)',
      )
    }
    const key = Buffer.from(hex, 'hex')
    if (key.length !== DATABASE_KEY_BYTES || hex.length !== DATABASE_KEY_BYTES * 2) {
      throw new HostError('STORE_LOCKED', `the sealed database key of ${accountId} is damaged`)
    }
    return key
  }

  private pathFor(accountId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(accountId)) throw new Error(`bad account id ${accountId}`)
    return join(this.dir, `${accountId}.key.sealed`)
  }
}
