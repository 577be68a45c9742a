// Recovery from a database that will not open: its files are renamed aside with a timestamp,
// never deleted, so signing in again makes a new database and sync fills it from the server,
// while the old file stays where someone can still look at it.
import { existsSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { createLogger } from '../../../shared/logger'
import { keyCheckPath } from './open-database'

const log = createLogger('store')

/** The files of one database: the main file, its WAL and shared memory, and its key check. */
function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, keyCheckPath(path)]
}

/** A timestamp fit for a file name, e.g. 20261203T170501Z. */
export function recoveryStamp(now = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

/**
 * Renames every file of the database at `path` to `<path>.broken-<stamp>` (keeping each file's
 * own suffix, so the WAL still belongs to its database); returns what moved where.
 */
export async function moveDatabaseAside(
  path: string,
  stamp: string,
): Promise<{ from: string; to: string }[]> {
  const aside = `${path}.broken-${stamp}`
  const targets = databaseFiles(aside)
  const moved: { from: string; to: string }[] = []
  for (const [index, from] of databaseFiles(path).entries()) {
    const to = targets[index]!
    if (!existsSync(from)) continue
    if (existsSync(to)) throw new Error(`will not overwrite ${to}`)
    await rename(from, to)
    moved.push({ from, to })
  }
  log.warn({ path, aside, files: moved.length }, 'database moved aside for recovery')
  return moved
}
