import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { configureLogging } from '../../../shared/logger'
import { FileKeyStore } from './key-store'
import { SqlDatabase } from './sql-database'
import { Store } from './store'

describe('database keys', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-keys-'))
  })

  afterEach(() => {
    configureLogging({ level: 'silent' })
    vi.restoreAllMocks()
    rmSync(dir, { recursive: true, force: true })
  })

  it('makes one random 256-bit key per account, kept owner-only, the same ever after', async () => {
    const keys = new FileKeyStore(join(dir, 'keys'))
    const first = await keys.getOrCreateKey('u-alice')
    expect(first).toHaveLength(32)
    expect(await keys.getOrCreateKey('u-alice')).toEqual(first)
    expect(await keys.getOrCreateKey('u-bob')).not.toEqual(first)
    const file = join(dir, 'keys', 'u-alice.key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700)
    expect(Buffer.from(readFileSync(file, 'utf8'), 'hex')).toEqual(first)
  })

  it('says plainly in the log that browser mode is weaker, and never logs the key', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    configureLogging({ level: 'info', destination: sink })
    const key = await new FileKeyStore(join(dir, 'keys')).getOrCreateKey('u-alice')
    const log = lines.join('')
    expect(log).toMatch(/weaker than the OS keychain/)
    expect(log).not.toContain(key.toString('hex'))
  })

  it('retires an unreadable key by renaming it, so a new one can be made', async () => {
    const keys = new FileKeyStore(join(dir, 'keys'))
    const old = await keys.getOrCreateKey('u-alice')
    await keys.retireKey('u-alice', '20261203T170000Z')
    const retired = join(dir, 'keys', 'u-alice.key.retired-20261203T170000Z')
    expect(Buffer.from(readFileSync(retired, 'utf8'), 'hex')).toEqual(old)
    expect(await keys.getKey('u-alice')).toBeNull()
  })

  it('applies the key before any other statement on every open', async () => {
    const statements: string[] = []
    for (const method of ['exec', 'get', 'all', 'run'] as const) {
      const original = SqlDatabase.prototype[method] as (sql: string) => Promise<unknown>
      vi.spyOn(SqlDatabase.prototype, method).mockImplementation(function (
        this: SqlDatabase,
        ...args: [string]
      ) {
        statements.push(args[0])
        return original.apply(this, args) as never
      })
    }
    const key = Buffer.alloc(32, 7)
    const path = join(dir, 'account.db')
    for (const create of [true, false]) {
      statements.length = 0
      const store = await Store.open(path, key, { create })
      await store.close()
      expect(statements[0]).toMatch(/^PRAGMA key = "x'[0-9a-f]{64}'"$/)
    }
  })
})
