// How much disk an account takes: its encrypted database with the WAL and shared-memory files
// beside it, and the folders its files live in: the files kept on this device (downloads and
// sent voice) and the staged copies of files still being sent.
import type { Dirent } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { StorageUsageView } from '../../../shared/host-api'

/** SQLite's companions of a WAL-mode database. */
const DATABASE_SUFFIXES = ['', '-wal', '-shm']

/** The folder for an account's files on this device: downloads and the voice it recorded. */
export function accountFilesDir(profileDir: string, userId: string): string {
  return join(profileDir, 'files', userId)
}

/**
 * Where files the page handed over without a path wait until they are sent: the account's own
 * folder, so one account's sweep never touches another's; the shared one while signed out.
 */
export function stagingDir(profileDir: string, userId?: string): string {
  return userId ? join(profileDir, 'staging', userId) : join(profileDir, 'staging')
}

export async function measureStorage(
  databasePath: string,
  fileDirs: readonly string[],
): Promise<StorageUsageView> {
  const [databaseSizes, folderSizes] = await Promise.all([
    Promise.all(DATABASE_SUFFIXES.map((suffix) => fileSize(databasePath + suffix))),
    Promise.all(fileDirs.map(folderSize)),
  ])
  return { databaseBytes: sum(databaseSizes), filesBytes: sum(folderSizes) }
}

/** A regular file's size; 0 when it is missing (no WAL yet, no files yet). */
async function fileSize(path: string): Promise<number> {
  try {
    const stats = await lstat(path)
    return stats.isFile() ? stats.size : 0
  } catch (error) {
    if (isMissing(error)) return 0
    throw error
  }
}

/** The regular files under a folder, every level; links are not followed. */
async function folderSize(dir: string): Promise<number> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch (error) {
    if (isMissing(error)) return 0
    throw error
  }
  const files = entries.filter((entry) => entry.isFile())
  const sizes = await Promise.all(
    files.map((entry) => fileSize(join(entry.parentPath, entry.name))),
  )
  return sum(sizes)
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
}
