// Opening one account's SQLCipher file: the key first, then a read that proves the key fits, then
// WAL and the numbered migrations. Every way this can fail is a StoreOpenError saying which one;
// none of them ever makes a fresh empty database in place of the one that would not open.
import { createHmac } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { HostError } from '../../../shared/errors'
import type { StoreProblemKind } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { DATABASE_KEY_BYTES } from './key-store'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'
import { SqlDatabase } from './sql-database'

const log = createLogger('store')

export type StoreOpenFailure = StoreProblemKind | 'missing-database'

export class StoreOpenError extends HostError {
  constructor(
    readonly failure: StoreOpenFailure,
    message: string,
  ) {
    super('STORE_LOCKED', message)
    this.name = 'StoreOpenError'
  }
}

/** Beside each database: a one-way check value of its key, to tell a wrong key from a damaged file. */
export function keyCheckPath(databasePath: string): string {
  return `${databasePath}.keycheck`
}

/** Opens (or, with `create`, makes) the encrypted database at `path`, migrated to the latest schema. */
export async function openEncryptedDatabase(
  path: string,
  key: Buffer,
  options: { create: boolean; upToVersion?: number },
): Promise<SqlDatabase> {
  if (!options.create && !existsSync(path)) {
    throw new StoreOpenError('missing-database', `no database at ${path}`)
  }
  const db = await openFile(path)
  try {
    await applyKey(db, key)
    await checkReadable(db, path, key)
    await configure(db)
    await migrate(db, path, options.upToVersion ?? SCHEMA_VERSION)
    await recordKeyCheck(path, key)
  } catch (error) {
    await db.close().catch(() => undefined)
    throw error
  }
  return db
}

/**
 * Pages kept decrypted in memory (negative: KiB), 16 MiB: a page read again from the cache is
 * not decrypted again, which matters for the full-text index's merges and for big histories.
 */
export const CACHE_SIZE = -16_384

/** The statements every connection runs after the key: WAL, foreign keys, commit durability. */
export async function configure(db: SqlDatabase): Promise<void> {
  // NORMAL in WAL mode: a commit survives the process being killed (the WAL is in the OS's
  // hands); only a power cut may lose the newest commits, never corrupt the file.
  await db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL')
  await db.exec(`PRAGMA cache_size = ${CACHE_SIZE}`)
}

async function openFile(path: string): Promise<SqlDatabase> {
  try {
    return await SqlDatabase.open(path)
  } catch (error) {
    log.error({ path, detail: String(error) }, 'database file could not be opened')
    throw new StoreOpenError('unreadable', `cannot open the local database file ${path}`)
  }
}

async function applyKey(db: SqlDatabase, key: Buffer): Promise<void> {
  if (key.length !== DATABASE_KEY_BYTES) {
    throw new StoreOpenError('wrong-key', 'database key must be 256 bits')
  }
  // The key is hex we made ourselves, never user input, so inlining it is safe; PRAGMA key
  // takes no bound parameters. It must be the first statement on the connection.
  await db.exec(`PRAGMA key = "x'${key.toString('hex')}'"`)
  // SQLCipher's own log goes to stderr; our logger reports a failed open with context instead.
  await db.exec('PRAGMA cipher_log_level = NONE')
}

async function checkReadable(db: SqlDatabase, path: string, key: Buffer): Promise<void> {
  try {
    await db.get('SELECT count(*) AS n FROM sqlite_master')
    return
  } catch (error) {
    log.error({ path, detail: String(error) }, 'database could not be opened with its key')
  }
  const failure = await diagnose(path, key)
  throw new StoreOpenError(
    failure,
    failure === 'corrupt'
      ? `the local database ${path} is damaged: its key is right but the file cannot be read`
      : `cannot open the local database ${path}: the key does not match or the file is not a Tack database`,
  )
}

/** Wrong key or damaged file? The key check says; without one, only a torn file is known damaged. */
async function diagnose(path: string, key: Buffer): Promise<'wrong-key' | 'corrupt'> {
  const recorded = await readFile(keyCheckPath(path), 'utf8').catch(() => null)
  if (recorded !== null) return recorded.trim() === keyCheckOf(key) ? 'corrupt' : 'wrong-key'
  const size = statSync(path).size
  return size % 512 !== 0 ? 'corrupt' : 'wrong-key'
}

/** Runs every migration past the file's user_version up to `target`, each in a transaction. */
export async function migrate(
  db: SqlDatabase,
  path: string,
  target = SCHEMA_VERSION,
): Promise<void> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version')
  const current = row?.user_version ?? 0
  if (current > SCHEMA_VERSION) {
    throw new StoreOpenError(
      'newer-schema',
      `the local database ${path} has schema ${current}, newer than this app's ${SCHEMA_VERSION}`,
    )
  }
  for (const migration of MIGRATIONS.filter((m) => m.version > current && m.version <= target)) {
    const started = Date.now()
    await db.transaction(async (tx) => {
      await migration.up(tx)
      await tx.exec(`PRAGMA user_version = ${migration.version}`)
    })
    log.info(
      { version: migration.version, name: migration.name, durationMs: Date.now() - started },
      'migration applied',
    )
  }
}

function keyCheckOf(key: Buffer): string {
  return createHmac('sha256', key).update('tack local database key check v1').digest('hex')
}

async function recordKeyCheck(path: string, key: Buffer): Promise<void> {
  const checkPath = keyCheckPath(path)
  if (existsSync(checkPath)) return
  await writeFile(`${checkPath}.tmp`, keyCheckOf(key), { mode: 0o600 })
  await rename(`${checkPath}.tmp`, checkPath)
}
