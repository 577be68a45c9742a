// The upload endpoint on its own HTTPS listener: tus 1.0.0 through @tus/server and its file store
// (creation, creation-with-upload, creation-defer-length, termination, expiration), the
// concatenation extension added here, finished files with range requests, and the lookup by
// content hash. Every request but OPTIONS is signed in with the session ticket as a bearer token.
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { FileStore } from '@tus/file-store'
import { ERRORS, Server as TusServer, type Upload } from '@tus/server'
import type { User } from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import type { FileRecord, Storage } from '../storage/storage'
import { userOfRequest } from './upload-auth'
import { Concatenation } from './concatenation'
import { Downloads, FILE_ID } from './downloads'
import { BadMetadata, hashFile, labelOf } from './finished-files'
import { TUS_VERSION, overLimitSentence, refuse } from './http-answers'

const log = createLogger('upload')

export const TUS_EXTENSIONS = [
  'creation',
  'creation-with-upload',
  'creation-defer-length',
  'termination',
  'expiration',
  'concatenation',
]

/** Room for a final upload listing thousands of partial upload URLs (Node's default is 16 KiB). */
export const MAX_HEADER_BYTES = 1024 * 1024
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3
export const DEFAULT_UPLOAD_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000
const SWEEP_INTERVAL_MS = 60 * 60 * 1000
/** A connection that moves no byte for this long is closed; a slow PATCH may take hours. */
const SOCKET_IDLE_MS = 120_000

export interface UploadServerOptions {
  storage: Storage
  certPem: string
  keyPem: string
  /** Uploads in progress and finished files, each named by its id. */
  directory: string
  /** Largest upload in bytes. */
  maxSizeBytes?: number
  /** Unfinished uploads are deleted this long after their creation. */
  expiryMs?: number
  /** Whether a user other than the owner may download the file. */
  mayDownload(userId: string, file: FileRecord): boolean
  /** During a long join of partial uploads, a `102 Processing` this often. Default 5000. */
  processingIntervalMs?: number
}

/**
 * @tus/server 2.4.5 asks its store for 'concatentation' (sic) before it accepts any
 * Upload-Concat header, and answers 501 otherwise. Final uploads never reach it (Concatenation
 * serves them), so claiming this lets partial uploads through as ordinary ones. It also counts
 * the bytes written from request bodies.
 */
class ConcatenatingFileStore extends FileStore {
  bytesWritten = 0

  override hasExtension(extension: string): boolean {
    return extension === 'concatentation' || super.hasExtension(extension)
  }

  /** Counts what reaches the file, a body cut short by a dropped connection included. */
  override write(...args: Parameters<FileStore['write']>): Promise<number> {
    const writing = super.write(...args)
    // The store's pipeline is attached by now, so this listener only watches.
    args[0].on('data', (chunk: Buffer) => (this.bytesWritten += chunk.length))
    return writing
  }
}

export class UploadServer {
  private readonly server: Server
  private readonly store: ConcatenatingFileStore
  private readonly tus: TusServer
  private readonly concatenation: Concatenation
  private readonly downloads: Downloads
  /** The signed-in user of each request tus is serving, for its hooks. */
  private readonly users = new WeakMap<IncomingMessage, User>()
  private readonly maxSizeBytes: number
  private readonly expiryMs: number
  private sweepTimer: NodeJS.Timeout | undefined

  constructor(private readonly options: UploadServerOptions) {
    this.maxSizeBytes = options.maxSizeBytes ?? DEFAULT_MAX_UPLOAD_BYTES
    this.expiryMs = options.expiryMs ?? DEFAULT_UPLOAD_EXPIRY_MS
    this.store = new ConcatenatingFileStore({
      directory: options.directory,
      expirationPeriodInMilliseconds: this.expiryMs,
    })
    this.tus = this.makeTusServer()
    this.concatenation = new Concatenation({
      storage: options.storage,
      store: this.store,
      directory: options.directory,
      maxSizeBytes: this.maxSizeBytes,
      processingIntervalMs: options.processingIntervalMs ?? 5_000,
    })
    this.downloads = new Downloads(options)
    this.server = createServer(
      {
        cert: options.certPem,
        key: options.keyPem,
        minVersion: 'TLSv1.2',
        maxHeaderSize: MAX_HEADER_BYTES,
        requestTimeout: 0,
      },
      (request, response) => void this.serve(request, response),
    )
    this.server.setTimeout(SOCKET_IDLE_MS)
    // Expect: 100-continue lets a refusal (401, 413) arrive before the client sends the body.
    this.server.on('checkContinue', (request, response) => void this.serve(request, response))
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        this.sweepTimer = setInterval(() => this.sweepInBackground(), SWEEP_INTERVAL_MS).unref()
        this.sweepInBackground()
        resolve((this.server.address() as AddressInfo).port)
      })
    })
  }

  /** File bytes received in PATCH (and creation-with-upload) bodies since the start. */
  get bytesReceived(): number {
    return this.store.bytesWritten
  }

  close(): Promise<void> {
    clearInterval(this.sweepTimer)
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  /** A sweep nobody awaits: a failure (say the data folder went away at shutdown) is logged. */
  private sweepInBackground(): void {
    this.sweepExpired().catch((error: unknown) => {
      log.warn({ error: String(error) }, 'sweeping expired uploads failed')
    })
  }

  /**
   * Deletes uploads older than the expiry that did not become files: unfinished ones, and
   * partial ones no final upload took. Files stay.
   */
  async sweepExpired(now = Date.now()): Promise<number> {
    const ids = (await this.store.configstore.list?.()) ?? []
    let removed = 0
    for (const id of ids) {
      const upload = await this.store.getUpload(id).catch(() => undefined)
      if (!upload || this.options.storage.findFile(id)) continue
      const created = upload.creation_date ? Date.parse(upload.creation_date) : now
      if (created + this.expiryMs > now) continue
      await this.store.remove(id).catch(() => undefined)
      this.options.storage.deleteUploads([id])
      removed += 1
    }
    if (removed) log.info({ removed }, 'expired uploads deleted')
    return removed
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'https://placeholder').pathname
    try {
      if (request.method === 'OPTIONS') return this.answerOptions(response)
      const user = userOfRequest(this.options.storage, request)
      if (!user) {
        log.info({ method: request.method, path }, 'upload request refused: not signed in')
        return refuse(request, response, 401, 'sign in first: Authorization: Bearer <ticket>', {
          'WWW-Authenticate': 'Bearer realm="tack"',
        })
      }
      if (path === '/uploads' || path.startsWith('/uploads/')) {
        return await this.serveUpload(request, response, path, user)
      }
      if (path.startsWith('/files/')) {
        return await this.downloads.serve(request, response, path, user)
      }
      refuse(request, response, 404, `nothing at ${path}`)
    } catch (error) {
      log.error({ method: request.method, path, error: String(error) }, 'upload request failed')
      if (!response.headersSent) refuse(request, response, 500, 'internal error')
      else response.destroy()
    }
  }

  private answerOptions(response: ServerResponse): void {
    response.writeHead(204, {
      'Tus-Resumable': TUS_VERSION,
      'Tus-Version': TUS_VERSION,
      'Tus-Extension': TUS_EXTENSIONS.join(','),
      'Tus-Max-Size': String(this.maxSizeBytes),
      'Access-Control-Allow-Methods': 'POST, HEAD, PATCH, DELETE, GET, OPTIONS',
      'Access-Control-Allow-Headers':
        'Authorization, Content-Type, Upload-Length, Upload-Offset, Upload-Metadata, ' +
        'Upload-Defer-Length, Upload-Concat, Tus-Resumable, Range, If-Range',
      'Access-Control-Max-Age': '86400',
    })
    response.end()
  }

  private async serveUpload(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    user: User,
  ): Promise<void> {
    const id = path === '/uploads' ? undefined : path.slice('/uploads/'.length)
    const refusal = this.refusalBeforeBody(request, id, user)
    if (refusal) return refuse(request, response, refusal[0], refusal[1], refusal[2])

    const concat = header(request, 'upload-concat')
    if (concat?.startsWith('final;')) {
      return this.concatenation.createFinal(request, response, user, concat)
    }
    const record = id ? this.options.storage.findUpload(id) : undefined
    if (request.method === 'HEAD' && record?.concat) {
      const parts = record.partIds.map((partId) => `/uploads/${partId}`).join(' ')
      response.setHeader('Upload-Concat', record.concat === 'final' ? `final;${parts}` : 'partial')
    }
    if (request.method === 'PATCH' && id) {
      const stale = await this.staleOffset(request, id)
      if (stale) return refuse(request, response, 409, stale[0], stale[1])
    }
    if (request.headers.expect === '100-continue') response.writeContinue()
    this.users.set(request, user)
    await this.tus.handle(request, response)
  }

  /**
   * A PATCH at another offset than the server's is refused before its body is read, with the
   * server's offset, so the client can go on from there without a HEAD (tus would read the
   * headers, answer 409 without the offset and close the connection under the body).
   */
  private async staleOffset(
    request: IncomingMessage,
    id: string,
  ): Promise<[string, Record<string, string>] | undefined> {
    const asked = header(request, 'upload-offset')
    const upload = await this.store.getUpload(id).catch(() => undefined)
    if (!upload || asked === undefined || Number(asked) === upload.offset) return undefined
    return [
      `Upload-Offset ${asked} is not where this upload is: it has ${upload.offset} bytes`,
      { 'Upload-Offset': String(upload.offset) },
    ]
  }

  /** Refusals answered before any byte of the body is read: [status, sentence, headers]. */
  private refusalBeforeBody(
    request: IncomingMessage,
    id: string | undefined,
    user: User,
  ): [number, string, Record<string, string>?] | undefined {
    const method = request.method ?? ''
    if (id === undefined) {
      if (method !== 'POST') return [405, 'create uploads with POST /uploads', { Allow: 'POST' }]
      const concat = header(request, 'upload-concat')
      if (concat !== undefined && concat !== 'partial' && !concat.startsWith('final;')) {
        return [400, 'Upload-Concat is "partial" or "final;" and the partial upload URLs']
      }
      const length = Number(header(request, 'upload-length') ?? 0)
      if (length > this.maxSizeBytes) return [413, overLimitSentence(this.maxSizeBytes, length)]
      return undefined
    }

    const record = FILE_ID.test(id) ? this.options.storage.findUpload(id) : undefined
    if (!record || record.ownerId !== user.id) return [404, `no upload ${id} of yours`]
    if (method === 'GET') return [404, `download finished files from /files/${id}`]
    if (method === 'POST')
      return [405, 'an upload is sent with PATCH', { Allow: 'HEAD, PATCH, DELETE' }]
    if (method === 'PATCH') {
      if (record.concat === 'final') return [403, 'a final upload is made of its partial uploads']
      const declared = Number(header(request, 'upload-length') ?? 0)
      if (declared > this.maxSizeBytes) {
        return [413, overLimitSentence(this.maxSizeBytes, declared)]
      }
      const end =
        Number(header(request, 'upload-offset') ?? 0) +
        Number(header(request, 'content-length') ?? 0)
      if (end > this.maxSizeBytes) return [413, overLimitSentence(this.maxSizeBytes)]
    }
    return undefined
  }

  private makeTusServer(): TusServer {
    const { storage } = this.options
    return new TusServer({
      path: '/uploads',
      datastore: this.store,
      maxSize: this.maxSizeBytes,
      disableTerminationForFinishedUploads: true,
      namingFunction: () => randomBytes(16).toString('hex'),
      generateUrl: (_request, { host, path, id }) => `https://${host}${path}/${id}`,
      onUploadCreate: async (request, upload) => {
        const node = (request as { runtime?: { node?: { req: IncomingMessage } } }).runtime?.node
        const user = node && this.users.get(node.req)
        if (!user) throw ERRORS.UNKNOWN_ERROR
        labelOrThrow(upload)
        storage.saveUpload({
          uploadId: upload.id,
          ownerId: user.id,
          concat: request.headers.get('upload-concat') === 'partial' ? 'partial' : '',
          partIds: [],
          createdAtMs: Date.now(),
        })
        return {}
      },
      onUploadFinish: async (_request, upload) => this.finish(upload),
      onResponseError: (_request, error) => {
        // The stream limit of a deferred-length upload: say what the limit is.
        if ('body' in error && error.body === ERRORS.ERR_MAX_SIZE_EXCEEDED.body) {
          return { status_code: 413, body: `${overLimitSentence(this.maxSizeBytes)}\n` }
        }
        return undefined
      },
    })
  }

  /** A finished plain upload becomes a file; a finished partial one waits for its final. */
  private async finish(upload: Upload): Promise<{ headers?: Record<string, string> }> {
    const { storage, directory } = this.options
    const record = storage.findUpload(upload.id)
    if (!record || record.concat === 'partial') return {}
    const started = Date.now()
    const sha256 = await hashFile(join(directory, upload.id))
    storage.saveFile({
      fileId: upload.id,
      ownerId: record.ownerId,
      size: upload.size ?? upload.offset,
      sha256,
      ...labelOf(upload.metadata),
      createdAtMs: Date.now(),
    })
    log.info(
      { fileId: upload.id, size: upload.size, hashMs: Date.now() - started },
      'upload finished',
    )
    return { headers: { 'Tack-File-Id': upload.id, 'Tack-File-Sha256': sha256 } }
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function labelOrThrow(upload: Upload): void {
  try {
    labelOf(upload.metadata)
  } catch (error) {
    if (error instanceof BadMetadata) throw { status_code: 400, body: `${error.message}\n` }
    throw error
  }
}
