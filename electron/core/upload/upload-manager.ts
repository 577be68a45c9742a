// The upload manager: sends files to the server's tus endpoint in chunks over several parallel
// connections, keeps every upload's state in the encrypted store so it resumes after a restart,
// and skips files the server already has (by content hash). Plain Node: no electron import.
import type { UploadErrorCode, UploadKind, UploadStateStore, UploadStatus } from './upload-state'
import { TypedEmitter } from './typed-emitter'

export type { UploadErrorCode, UploadKind, UploadStateStore, UploadStatus } from './upload-state'

/** Where uploads go, asked again before each request (the ticket or port may change). */
export interface UploadEndpoint {
  /** The tus collection URL, e.g. `https://127.0.0.1:7444/files`. */
  url: string
  /** The session ticket, sent as `Authorization: Bearer <ticket>`. */
  ticket: string
  /** PEM of the CA the server's certificate is checked against. Verification is never off. */
  ca: string
}

export interface RetryOptions {
  /** First backoff; each failed attempt doubles it, with full jitter. Default 500. */
  baseDelayMs?: number
  /** Longest backoff. Default 30000. */
  maxDelayMs?: number
  /**
   * Failed attempts in a row without progress before the upload fails as UNREACHABLE. Any
   * confirmed byte resets the count. Default 12.
   */
  maxAttempts?: number
}

export interface UploadManagerOptions {
  /** Keeps every upload's state; the encrypted Store in the app. */
  store: UploadStateStore
  /**
   * The server's upload endpoint, or null while there is none (signed out, no session yet);
   * uploads then wait and retry with backoff.
   */
  endpoint: () => UploadEndpoint | null | Promise<UploadEndpoint | null>
  /** Parallel connections per upload, each its own TLS connection. Default 4. */
  parallelStreams?: number
  /** Bytes per chunk; each chunk is one tus partial upload. Default 8 MiB. */
  chunkSize?: number
  retry?: RetryOptions
}

export interface StartUploadParams {
  /** A file on disk; read in ranges, never whole into memory. */
  path: string
  /** The name the file is shown and downloaded with. */
  name: string
  mime: string
  conversationId?: string
}

export interface StreamingUploadParams {
  name: string
  mime: string
  conversationId?: string
}

/** A recording sent while it is being made (tus deferred length). */
export interface StreamingUpload {
  uploadId: string
  /** Queues bytes to send; resolves once they are taken (waits while too much is queued). */
  write(chunk: Uint8Array): Promise<void>
  /** Declares the length and resolves when the upload is complete on the server. */
  end(): Promise<UploadResult>
}

export interface UploadResult {
  uploadId: string
  /** The server's id of the file (the last path segment of its URL). */
  fileId: string
  /** Where the file downloads from (range requests work there). */
  url: string
  /** Hex SHA-256 of the content. */
  sha256: string
  size: number
  /** The server had the file already, so no byte was sent. */
  deduplicated: boolean
}

export interface UploadInfo {
  uploadId: string
  kind: UploadKind
  name: string
  mime: string
  conversationId: string | null
  status: UploadStatus
  /** Bytes the server has confirmed. */
  sentBytes: number
  /** Null while a recording's length is unknown. */
  totalBytes: number | null
  sha256: string | null
  fileId: string | null
  url: string | null
  error: { code: UploadErrorCode; message: string } | null
}

export interface UploadEvents {
  progress: { uploadId: string; sentBytes: number; totalBytes: number | null }
  done: UploadResult
  failed: { uploadId: string; error: UploadError }
  cancelled: { uploadId: string }
  /** A chunk the server confirmed, and which worker sent it (for tests and the benchmark). */
  chunk: { uploadId: string; index: number; worker: number; bytes: number }
}

/** Why an upload failed, with a code the UI can show a sentence for. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'UploadError'
  }
}

export const DEFAULT_PARALLEL_STREAMS = 4
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024

/**
 * Usage: `const uploads = new UploadManager({ store, endpoint })`, `await uploads.restore()`
 * once (resumes what a previous run left unfinished), then `start(...)` and listen to events.
 */
export class UploadManager extends TypedEmitter<UploadEvents> {
  constructor(private readonly options: UploadManagerOptions) {
    super()
    void this.options
  }

  /**
   * Loads the uploads kept in the store and resumes every unfinished one (paused ones stay
   * paused): each partial's real offset is asked from the server first, so nothing it has is
   * sent again. A file that changed since fails with FILE_CHANGED.
   */
  async restore(): Promise<void> {
    throw new Error('not yet')
  }

  /**
   * Starts uploading a file and resolves with its upload id once the upload is kept in the
   * store. Hashes it first and skips sending when the server has the content already. Rejects
   * with FILE_UNREADABLE when the file cannot be read; later failures are `failed` events.
   */
  async start(params: StartUploadParams): Promise<string> {
    void params
    throw new Error('not yet')
  }

  /** Starts a recording's upload whose length is known only at `end()`. */
  async startStreaming(params: StreamingUploadParams): Promise<StreamingUpload> {
    void params
    throw new Error('not yet')
  }

  /** Resolves when the upload is done; rejects with its UploadError when it fails or is cancelled. */
  result(uploadId: string): Promise<UploadResult> {
    void uploadId
    throw new Error('not yet')
  }

  /** Stops sending; chunks in flight are abandoned, what the server confirmed stays. */
  async pause(uploadId: string): Promise<void> {
    void uploadId
  }

  /** Continues a paused upload, or retries a failed one. */
  async resume(uploadId: string): Promise<void> {
    void uploadId
  }

  /** Stops the upload, deletes its partial uploads on the server and forgets it. */
  async cancel(uploadId: string): Promise<void> {
    void uploadId
  }

  /** Every upload kept, oldest first. */
  list(): UploadInfo[] {
    return []
  }

  /** Stops every upload without cancelling it (sign-out, shutdown); `restore()` continues. */
  async close(): Promise<void> {}
}
