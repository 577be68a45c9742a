// Staged files: bytes the page handed over without a path (browser mode's POST, or pieces sent
// through the HostApi), kept in the profile's staging folder until sendFile uploads them.
import { randomUUID } from 'node:crypto'
import { appendFile, mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { HostError } from '../../../shared/errors'

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
