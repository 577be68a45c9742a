// Staged files: bytes the page handed over without a path (browser mode's POST, or pieces sent
// through the HostApi), kept in the account's staging folder until sendFile uploads them. Once
// the upload is done the copy moves to the account's kept files; a cancelled one is deleted; at
// start, what no message waits for is swept away (attachment-service.ts).
import { randomUUID } from 'node:crypto'
import { appendFile, mkdir, readdir, rm, stat } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import { HostError } from '../../../shared/errors'
import { createLogger } from '../../../shared/logger'

const log = createLogger('attachments')

/** Appends one piece to a staged file, starting a new one without an id. */
export async function stageChunk(
  stagingDir: string,
  stagedId: string | undefined,
  chunk: Buffer,
): Promise<{ stagedId: string; size: number }> {
  await mkdir(stagingDir, { recursive: true, mode: 0o700 })
  const id = stagedId ?? randomUUID()
  const path = join(stagingDir, id)
  if (stagedId && !(await stat(path).catch(() => null))) {
    throw new HostError('NOT_FOUND', `stageChunk: no staged file ${stagedId}`)
  }
  await appendFile(path, chunk, { mode: 0o600 })
  return { stagedId: id, size: (await stat(path)).size }
}

/** Whether `path` lies inside `dir` (not `dir` itself). */
export function isInside(dir: string, path: string): boolean {
  const rest = relative(dir, path)
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest)
}

/**
 * Deletes the staged files that `claimed` does not keep (it gets every staged path and answers
 * those a message still owns) and that were last written before `startedAt`, so a file being
 * posted while this runs stays.
 */
export async function sweepStaging(
  stagingDir: string,
  startedAt: number,
  claimed: (paths: string[]) => Promise<Set<string>>,
): Promise<void> {
  const entries = await readdir(stagingDir, { withFileTypes: true }).catch(() => [])
  const paths = entries.filter((entry) => entry.isFile()).map((e) => join(stagingDir, e.name))
  if (paths.length === 0) return
  const owned = await claimed(paths)
  let removed = 0
  for (const path of paths) {
    if (owned.has(path)) continue
    const info = await stat(path).catch(() => null)
    if (!info || info.mtimeMs >= startedAt) continue
    await rm(path, { force: true })
    removed += 1
  }
  if (removed > 0) log.info({ removed }, 'staged files no message waits for deleted')
}
