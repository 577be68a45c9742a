// What the upload manager keeps of each upload in the encrypted store, so an upload resumes after
// a restart without sending again what the server already has. The Store implements
// UploadStateStore over the `uploads` and `upload_chunks` tables (client store migration 6).
import type { ErrorParams } from '../../../shared/errors'

export type UploadKind = 'file' | 'stream'

/**
 * hashing: reading the file for its SHA-256; uploading: chunks in flight; paused: by the person;
 * done, failed, cancelled: final (a failed upload can be resumed, which retries it).
 */
export type UploadStatus = 'hashing' | 'uploading' | 'paused' | 'done' | 'failed' | 'cancelled'

export type UploadErrorCode =
  /** Larger than the server accepts; known before any byte is sent. */
  | 'FILE_TOO_LARGE'
  /** The file's size or modification time changed since the upload started. */
  | 'FILE_CHANGED'
  /** The file cannot be opened or read. */
  | 'FILE_UNREADABLE'
  /** The server refused the upload (a 4xx other than an offset mismatch); the message says why. */
  | 'REFUSED'
  /** Network errors and 5xx answers went on past the retry limit. */
  | 'UNREACHABLE'
  /** A recording was cut off by a restart: its bytes were never on disk, so it cannot resume. */
  | 'INTERRUPTED'
  /** The person cancelled it (what `result()` rejects with). */
  | 'CANCELLED'

/** Why an upload failed, with a code the UI can show a sentence for. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** What the UI words the failure with (FILE_TOO_LARGE: name, size, limit in bytes). */
    readonly params?: ErrorParams,
  ) {
    super(message)
    this.name = 'UploadError'
  }
}

/** One range of the file, sent as one tus partial upload (`Upload-Concat: partial`). */
export interface ChunkRecord {
  index: number
  /** Byte offset in the file. */
  start: number
  length: number
  /** The partial upload's URL once created; null before. */
  url: string | null
  /** Bytes of this chunk the server confirmed. */
  offset: number
}

export interface UploadRecord {
  id: string
  kind: UploadKind
  name: string
  mime: string
  conversationId: string | null
  /** The file on disk; null for a recording. */
  path: string | null
  /** Null while a recording's length is still unknown. */
  size: number | null
  /** The file's mtime when the upload started, to notice a changed file on resume. */
  mtimeMs: number | null
  /** Hex SHA-256 of the content, once known. */
  sha256: string | null
  chunkSize: number
  chunks: ChunkRecord[]
  /** The final (concatenated) upload's URL, once made. */
  finalUrl: string | null
  fileId: string | null
  status: UploadStatus
  error: { code: UploadErrorCode; message: string } | null
  createdAt: number
  updatedAt: number
}

/** Where the upload manager keeps its state; the encrypted Store is the real one. */
export interface UploadStateStore {
  /** Every upload kept, oldest first, with its chunks in order. */
  loadUploads(): Promise<UploadRecord[]>
  /** Writes the upload and all its chunks, in one transaction. */
  saveUpload(record: UploadRecord): Promise<void>
  /** Writes one chunk's URL and confirmed offset. */
  saveChunk(uploadId: string, chunk: ChunkRecord): Promise<void>
  deleteUpload(uploadId: string): Promise<void>
}
