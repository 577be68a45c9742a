// Where the database key of each account lives. Under Electron the OS keychain holds it through
// safeStorage (electron/main/safe-storage-key-store.ts); browser mode keeps it in a key file with
// owner-only permissions (FileKeyStore). The core only sees this interface.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HostError } from '../../../shared/errors'
import { createLogger } from '../../../shared/logger'

const log = createLogger('store')

export const DATABASE_KEY_BYTES = 32

export interface KeyStore {
  /** A human description for logs, e.g. "OS keychain (safeStorage)". */
  readonly description: string
  /** The account's key, made (random, 256-bit) on first use and the same ever after. */
  getOrCreateKey(accountId: string): Promise<Buffer>
  /** The account's key, or null where none was ever made. */
  getKey(accountId: string): Promise<Buffer | null>
  /**
   * Puts away a key that can no longer be read (renamed with `stamp`, never deleted), so the
   * next getOrCreateKey makes a new one. Used only by recovery, after the database moved aside.
   */
  retireKey?(accountId: string, stamp: string): Promise<void>
}

/** Browser mode: one key file per account, readable by the owner only. Weaker than a keychain. */
export class FileKeyStore implements KeyStore {
  readonly description = 'key file (browser mode)'
  private warned = false

  constructor(private readonly dir: string) {}

  async getKey(accountId: string): Promise<Buffer | null> {
    const path = this.pathFor(accountId)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new HostError('STORE_LOCKED', `cannot read the key file ${path}`)
    }
    const key = Buffer.from(text.trim(), 'hex')
    if (key.length !== DATABASE_KEY_BYTES) {
      throw new HostError('STORE_LOCKED', `the key file ${path} is damaged`)
    }
    await this.checkPermissions(path)
    return key
  }

  async getOrCreateKey(accountId: string): Promise<Buffer> {
    this.warnOnce()
    const existing = await this.getKey(accountId)
    if (existing) return existing
    const key = randomBytes(DATABASE_KEY_BYTES)
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    // 'wx' fails if another process made the file meanwhile: never overwrite a key.
    await writeFile(this.pathFor(accountId), key.toString('hex'), { mode: 0o600, flag: 'wx' })
    log.info({ accountId }, 'database key created in key file')
    return key
  }

  async retireKey(accountId: string, stamp: string): Promise<void> {
    const path = this.pathFor(accountId)
    try {
      await rename(path, `${path}.retired-${stamp}`)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    log.warn({ accountId }, 'unreadable database key retired')
  }

  private pathFor(accountId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(accountId)) throw new Error(`bad account id ${accountId}`)
    return join(this.dir, `${accountId}.key`)
  }

  private async checkPermissions(path: string): Promise<void> {
    if (process.platform === 'win32') return
    const info = await stat(path)
    if ((info.mode & 0o077) !== 0) {
      log.warn({ path }, 'key file readable by others; restricting to owner')
      await chmod(path, 0o600)
    }
  }

  private warnOnce(): void {
    if (this.warned) return
    this.warned = true
    log.warn(
      { dir: this.dir },
      'browser mode keeps database keys in owner-only key files: weaker than the OS keychain Electron uses',
    )
  }
}
