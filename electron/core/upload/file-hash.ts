// SHA-256 of a file, streamed from disk in 256 KiB reads: memory stays flat for any size.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { UploadError } from './upload-state'

export async function hashFile(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, signal })
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer)
  } catch (error) {
    if (signal.aborted) throw signal.reason as Error
    throw unreadable(path, error)
  }
  return hash.digest('hex')
}

/** The file's size and modification time, or FILE_UNREADABLE saying why not. */
export async function fileIdentity(path: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new UploadError('FILE_UNREADABLE', `${path} is not a file`)
    return { size: info.size, mtimeMs: info.mtimeMs }
  } catch (error) {
    if (error instanceof UploadError) throw error
    throw unreadable(path, error)
  }
}

export function unreadable(path: string, error: unknown): UploadError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT' ? 'it is gone' : code === 'EACCES' ? 'permission denied' : String(error)
  return new UploadError('FILE_UNREADABLE', `cannot read ${path}: ${why}`)
}
