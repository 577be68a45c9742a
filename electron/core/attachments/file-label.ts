// A file's name and media type as the server takes them. Names and types come from the page, a
// file picker or the file system, which allow what the server refuses (a backslash or a line
// break in a Linux file name, `text/plain;charset=utf-8` from a dropped file): those are mended
// here, before the message is queued, so they never leave a message that cannot be sent.
import { extname } from 'node:path'

const MAX_NAME_CHARS = 255
const MAX_TYPE_CHARS = 127
/** What both the upload server and the attachment check accept (lowercase). */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9_.+-]*\/[a-z0-9][a-z0-9_.+-]*$/

const MIME_BY_EXTENSION: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
  '.webm': 'audio/webm',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
}

export function mimeFromName(name: string): string {
  return MIME_BY_EXTENSION[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/** The name with path separators and control characters made `_`, at most 255 characters. */
export function wireFileName(name: string): string {
  const mended = [...name.trim()]
    .map((char) => (char === '/' || char === '\\' || isControl(char) ? '_' : char))
    .slice(0, MAX_NAME_CHARS)
    .join('')
    .trim()
  return mended || 'file'
}

/** The type without parameters, lowercase; from the name's extension when it is not a type. */
export function wireMediaType(mime: string | undefined, name: string): string {
  const type = (mime ?? '').split(';')[0]!.trim().toLowerCase()
  return type.length <= MAX_TYPE_CHARS && MEDIA_TYPE.test(type) ? type : mimeFromName(name)
}

function isControl(char: string): boolean {
  const code = char.codePointAt(0)!
  return code < 0x20 || (code >= 0x7f && code < 0xa0)
}
