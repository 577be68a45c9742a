// How a file the person picked, dropped or pasted reaches the core without being read whole into
// memory: under Electron the preload names its path; in browser mode the page streams it to its
// host's staging endpoint; bytes with no path under Electron (a pasted image) go in pieces
// through the HostApi. The core then uploads from that file.
import type { HostApi, HostParams } from '../../../shared/host-api'
import { HostError } from '../../../shared/errors'
import { readLaunchToken } from '../host/launch-token'

declare global {
  interface Window {
    /** Set by Electron's preload: the path of a File the person picked or dropped. */
    tackFiles?: { pathForFile(file: File): string }
  }
}

export type FileSource = HostParams<'sendFile'>['source']

/** Browser mode's staging endpoint on its own host (electron/browser-host/attachment-routes.ts). */
export const STAGING_URL = '/attachments/staging'

/** Bytes per piece sent through the HostApi (base64 stays under the request limit). */
const PIECE_BYTES = 144 * 1024

export async function fileSource(
  file: Blob,
  host: HostApi,
  page: Window = window,
): Promise<FileSource> {
  const path = file instanceof File ? page.tackFiles?.pathForFile(file) : undefined
  if (path) return { path }
  if (!page.tackHost) return { stagedId: await postToStaging(file, page) }
  return { stagedId: await stageInPieces(file, host) }
}

async function postToStaging(file: Blob, page: Window): Promise<string> {
  const token = readLaunchToken(page.location.hash, safeSessionStorage(page))
  if (!token) throw new HostError('UNREACHABLE', 'no launch token to send the file with')
  const response = await fetch(STAGING_URL, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
    body: file,
  })
  const answer = (await response.json().catch(() => ({}))) as { stagedId?: string; error?: string }
  if (!response.ok || !answer.stagedId) {
    throw new HostError(
      'BAD_PARAMS',
      answer.error ?? `the file could not be handed over (${response.status})`,
    )
  }
  return answer.stagedId
}

async function stageInPieces(file: Blob, host: HostApi): Promise<string> {
  if (!host.stageChunk) throw new HostError('UNKNOWN_METHOD', 'this host cannot take files')
  let stagedId: string | undefined
  for (let start = 0; start < file.size || stagedId === undefined; start += PIECE_BYTES) {
    const piece = await file.slice(start, start + PIECE_BYTES).arrayBuffer()
    const staged = await host.stageChunk({ stagedId, chunkBase64: toBase64(new Uint8Array(piece)) })
    stagedId = staged.stagedId
  }
  return stagedId
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

function safeSessionStorage(page: Window): Storage | null {
  try {
    return page.sessionStorage
  } catch {
    return null
  }
}
