// Messages with files, images and voice, for one signed-in account. A file's message goes into
// the outbox at once, waiting; the upload manager sends the file; when the upload is done the
// message stops waiting and the outbox sends it with its attachment. All of it is in the store,
// so a restart mid-upload resumes the upload (the manager) and then sends the message once.
import { randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { HostError } from '../../../shared/errors'
import type {
  AttachmentView,
  HostEvents,
  HostParams,
  MessageView,
  UploadedFileView,
} from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import type { AttachmentRecord, StoredAttachment } from '../store/attachments'
import { attachmentKey, newAttachment } from '../store/attachments'
import type { Store } from '../store/store'
import type {
  StreamingUpload,
  UploadEndpoint,
  UploadError,
  UploadInfo,
  UploadManager,
  UploadResult,
} from '../upload/upload-manager'
import { downloadFile } from './file-download'
import { wireFileName, wireMediaType } from './file-label'
import { isInside, sweepStaging } from './staging'
import { storedUploadFailure, uploadFailureOf } from './upload-failure'

const log = createLogger('attachments')

/** What this side uses of the upload manager. */
export type Uploads = Pick<
  UploadManager,
  'start' | 'startStreaming' | 'pause' | 'resume' | 'cancel' | 'list' | 'on' | 'result'
>

export interface AttachmentServiceOptions {
  store: Store
  myId: string
  /** The account's own folder for files: sent voice, downloads, staged browser uploads. */
  filesDir: string
  /** Where browser mode's host stages files the page posted. */
  stagingDir: string
  uploads: Uploads
  endpoint: () => UploadEndpoint | null | Promise<UploadEndpoint | null>
  kickOutbox: () => void
  changed: (conversationId: string) => void
  emit: <E extends 'uploadProgress' | 'downloadProgress'>(name: E, payload: HostEvents[E]) => void
  /** How the page loads a file kept here; null when the host serves none. */
  fileUrl: (senderId: string, clientMessageId: string) => string | null
}

interface Recording {
  conversationId: string
  clientMessageId: string
  message: MessageView
  upload: StreamingUpload
  file: WriteStream
  bytes: number
}

interface Download {
  receivedBytes: number
  totalBytes: number
  running: Promise<void>
}

type SendFileParams = HostParams<'sendFile'>
type MessageRef = HostParams<'retryMessage'>

/** A picture's preview carried in the message: small enough for many in one sync packet. */
const MAX_THUMBNAIL_BYTES = 32 * 1024

export class AttachmentService {
  private readonly recordings = new Map<string, Recording>()
  private readonly downloads = new Map<string, Download>()
  private readonly progress = new Map<string, { sentBytes: number; totalBytes: number | null }>()
  private readonly unsubscribe: (() => void)[] = []

  constructor(private readonly options: AttachmentServiceOptions) {}

  /**
   * Listens to the upload manager, then, once it has restored what a previous run left
   * (`restored`), settles the messages that wait for those uploads.
   */
  async start(restored: Promise<void>): Promise<void> {
    const startedAt = Date.now()
    const { uploads } = this.options
    this.unsubscribe.push(
      uploads.on('progress', (event) => void this.uploadProgressed(event)),
      uploads.on('done', (result) => void this.uploadDone(result).catch(logFailure('done'))),
      uploads.on('failed', (event) => void this.uploadFailed(event).catch(logFailure('failed'))),
    )
    await restored
    await this.settleWaiting()
    await this.sweepStaging(startedAt)
  }

  close(): void {
    for (const stop of this.unsubscribe.splice(0)) stop()
    // A recording cut off here keeps what reached its local copy; retry sends that.
    for (const recording of this.recordings.values()) recording.file.end()
    this.recordings.clear()
  }

  // ---- sending ----------------------------------------------------------------------------

  async sendFile(given: SendFileParams, enqueue: EnqueueMessage): Promise<MessageView> {
    const path = await this.sourcePath(given.source)
    const size = (await stat(path)).size
    if (size === 0) throw new HostError('BAD_PARAMS', `sendFile: ${given.name} is empty`)
    const name = wireFileName(given.name)
    const params = { ...given, name }
    const mime = wireMediaType(given.mime, name)
    // An image is one by its type; the page's word alone would be refused by the server.
    const kind = mime.startsWith('image/') && params.kind !== 'file' ? 'image' : 'file'
    const thumbnail = params.thumbnailBase64 ?? ''
    if (Buffer.byteLength(thumbnail, 'base64') > MAX_THUMBNAIL_BYTES) {
      throw new HostError('BAD_PARAMS', 'sendFile: the thumbnail is over 32 KiB')
    }
    const attachment: AttachmentRecord = {
      ...newAttachment(kind, params.name, mime, size),
      width: kind === 'image' ? (params.width ?? 0) : 0,
      height: kind === 'image' ? (params.height ?? 0) : 0,
      thumbnail,
      thumbnailMime: thumbnail ? (params.thumbnailMime ?? 'image/png') : '',
    }
    const message = await enqueue(params.text ?? '', {
      ...attachment,
      localPath: path,
      uploadId: null,
    })
    await this.startUpload(message, { path, name: params.name, mime })
    return (await this.decorate([message]))[0]!
  }

  /** Starts the upload of a queued message's file; a refusal before any byte marks it failed. */
  private async startUpload(
    message: { conversationId: string; clientMessageId: string },
    file: { path: string; name: string; mime: string },
  ): Promise<void> {
    const { store, myId } = this.options
    try {
      const uploadId = await this.options.uploads.start({
        ...file,
        conversationId: message.conversationId,
      })
      await store.attachments.setUploadId(myId, message.clientMessageId, uploadId)
      // The upload may have finished (a file the server had) before its id was kept.
      const info = this.options.uploads.list().find((upload) => upload.uploadId === uploadId)
      if (info) await this.settle(info)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      await store.attachments.failUpload(myId, message.clientMessageId, reason)
      this.options.changed(message.conversationId)
      log.warn({ clientMessageId: message.clientMessageId, reason }, 'upload not started')
    }
  }

  async startVoice(
    params: HostParams<'startVoice'>,
    enqueue: EnqueueMessage,
  ): Promise<{ recordingId: string; message: MessageView }> {
    const name = `voice-${new Date().toISOString().replace(/[:.]/g, '-')}${voiceExtension(params.mime)}`
    await mkdir(this.options.filesDir, { recursive: true, mode: 0o700 })
    const localPath = join(this.options.filesDir, `${randomUUID()}${voiceExtension(params.mime)}`)
    const message = await enqueue('', {
      ...newAttachment('voice', name, params.mime, 0),
      localPath,
      uploadId: null,
    })
    const upload = await this.options.uploads.startStreaming({
      name,
      mime: params.mime,
      conversationId: params.conversationId,
    })
    await this.options.store.attachments.setUploadId(
      this.options.myId,
      message.clientMessageId,
      upload.uploadId,
    )
    const recordingId = message.clientMessageId
    this.recordings.set(recordingId, {
      conversationId: params.conversationId,
      clientMessageId: message.clientMessageId,
      message,
      upload,
      file: createWriteStream(localPath, { mode: 0o600 }).on('error', (error) =>
        log.warn({ error: String(error) }, 'local copy of the recording not written'),
      ),
      bytes: 0,
    })
    return { recordingId, message: (await this.decorate([message]))[0]! }
  }

  async appendVoice(params: HostParams<'appendVoice'>): Promise<void> {
    const recording = this.recording(params.recordingId)
    const chunk = Buffer.from(params.chunkBase64, 'base64')
    if (chunk.length === 0) return
    recording.bytes += chunk.length
    recording.file.write(chunk)
    await recording.upload.write(chunk)
  }

  /**
   * The recording is over: its length is declared and the upload finishes in the background;
   * when it is done the message is sent, moments after.
   */
  async finishVoice(params: HostParams<'finishVoice'>): Promise<MessageView> {
    const recording = this.recording(params.recordingId)
    this.recordings.delete(params.recordingId)
    await new Promise<void>((resolve) => recording.file.end(resolve))
    await this.options.store.attachments.setVoiceLength(
      this.options.myId,
      recording.clientMessageId,
      recording.bytes,
      params.durationMs,
    )
    void recording.upload
      .end()
      .catch((error: unknown) =>
        log.info({ error: String(error) }, 'recording upload did not finish'),
      )
    this.options.changed(recording.conversationId)
    return (await this.decorate([recording.message]))[0]!
  }

  async discardVoice(params: HostParams<'discardVoice'>): Promise<void> {
    const recording = this.recording(params.recordingId)
    this.recordings.delete(params.recordingId)
    recording.file.destroy()
    await this.options.uploads.cancel(recording.upload.uploadId).catch(() => undefined)
    await this.options.store.attachments.removeUnsent(this.options.myId, recording.clientMessageId)
    await rm(recording.file.path, { force: true })
    this.options.changed(recording.conversationId)
  }

  private recording(recordingId: string): Recording {
    const recording = this.recordings.get(recordingId)
    if (!recording) throw new HostError('NOT_FOUND', `no recording ${recordingId}`)
    return recording
  }

  /** Uploads a file a micro-app asked for; resolves once the server has it. */
  async uploadForMicroApp(params: HostParams<'uploadFileForMicroApp'>): Promise<UploadedFileView> {
    const path = await this.sourcePath(params.source)
    const name = wireFileName(params.name)
    const mime = wireMediaType(params.mime, name)
    let done: UploadResult
    try {
      const uploadId = await this.options.uploads.start({ path, name, mime })
      done = await this.options.uploads.result(uploadId)
    } finally {
      // The micro-app gets the file's id, never the bytes again: its staged copy has served.
      if ('stagedId' in params.source) await rm(path, { force: true })
    }
    return {
      fileId: done.fileId,
      name,
      size: done.size,
      type: mime,
      sha256: done.sha256,
    }
  }

  // ---- retry, pause, resume, cancel -------------------------------------------------------

  /** A failed message of mine goes again: its upload resumes, or the message is requeued. */
  async retry(ref: MessageRef): Promise<void> {
    const { store, myId } = this.options
    const attachment = await store.attachments.find(myId, ref.clientMessageId)
    const upload = this.options.uploads.list().find((u) => u.uploadId === attachment?.uploadId)
    if (upload && failedForGood(upload)) {
      throw new HostError('BAD_PARAMS', `retry: ${upload.error!.message}; it cannot be sent`)
    }
    if (attachment && upload && upload.error?.code !== 'INTERRUPTED') {
      await store.attachments.unfailUpload(myId, ref.clientMessageId)
      this.options.changed(ref.conversationId)
      await this.options.uploads.resume(upload.uploadId)
      return
    }
    if (attachment && !attachment.fileId && attachment.localPath) {
      // No upload to resume: it never started (refused before any byte), was lost, or was a
      // recording cut off by a restart, whose bytes the local copy still has. Start it anew.
      if (upload) await this.options.uploads.cancel(upload.uploadId).catch(() => undefined)
      await store.attachments.unfailUpload(myId, ref.clientMessageId)
      await this.startUpload(attachment, {
        path: attachment.localPath,
        name: attachment.name,
        mime: attachment.mime,
      })
      this.options.changed(ref.conversationId)
      return
    }
    if (!(await store.attachments.requeue(myId, ref.clientMessageId))) {
      throw new HostError('NOT_FOUND', 'no failed message of mine to retry')
    }
    this.options.changed(ref.conversationId)
    this.options.kickOutbox()
  }

  async pause(ref: MessageRef): Promise<void> {
    await this.options.uploads.pause(await this.uploadIdOf(ref))
    this.options.changed(ref.conversationId)
  }

  async resume(ref: MessageRef): Promise<void> {
    await this.options.uploads.resume(await this.uploadIdOf(ref))
    this.options.changed(ref.conversationId)
  }

  /** Stops the upload and takes the unsent message away. */
  async cancel(ref: MessageRef): Promise<void> {
    const attachment = await this.options.store.attachments.find(
      this.options.myId,
      ref.clientMessageId,
    )
    if (attachment?.uploadId) await this.options.uploads.cancel(attachment.uploadId)
    await this.options.store.attachments.removeUnsent(this.options.myId, ref.clientMessageId)
    if (attachment) await this.dropUnsentCopy(attachment)
    this.options.changed(ref.conversationId)
  }

  /** An unsent message is gone: its staged copy or recording goes too, never a file of the person's own. */
  private async dropUnsentCopy(attachment: StoredAttachment): Promise<void> {
    const path = attachment.localPath
    if (!path) return
    const ours =
      isInside(this.options.stagingDir, path) ||
      (attachment.kind === 'voice' && isInside(this.options.filesDir, path))
    if (ours) await rm(path, { force: true })
  }

  private async uploadIdOf(ref: MessageRef): Promise<string> {
    const attachment = await this.options.store.attachments.find(
      this.options.myId,
      ref.clientMessageId,
    )
    if (!attachment?.uploadId) throw new HostError('NOT_FOUND', 'no upload for that message')
    return attachment.uploadId
  }

  // ---- the upload manager's events --------------------------------------------------------

  private async uploadProgressed(event: {
    uploadId: string
    sentBytes: number
    totalBytes: number | null
  }): Promise<void> {
    this.progress.set(event.uploadId, { sentBytes: event.sentBytes, totalBytes: event.totalBytes })
    const attachment = await this.options.store.attachments.byUpload(event.uploadId)
    if (!attachment) return
    this.options.emit('uploadProgress', {
      conversationId: attachment.conversationId,
      clientMessageId: attachment.clientMessageId,
      sentBytes: event.sentBytes,
      totalBytes: event.totalBytes,
    })
  }

  private async uploadDone(result: UploadResult): Promise<void> {
    const attachment = await this.options.store.attachments.byUpload(result.uploadId)
    if (!attachment) return
    await this.options.store.attachments.completeUpload(
      this.options.myId,
      attachment.clientMessageId,
      {
        fileId: result.fileId,
        sha256: result.sha256,
        size: result.size,
      },
    )
    this.progress.delete(result.uploadId)
    await this.keepSentCopy({ ...attachment, fileId: result.fileId })
    log.info({ clientMessageId: attachment.clientMessageId, fileId: result.fileId }, 'upload done')
    this.options.changed(attachment.conversationId)
    this.options.kickOutbox()
  }

  private async uploadFailed(event: { uploadId: string; error: UploadError }): Promise<void> {
    const attachment = await this.options.store.attachments.byUpload(event.uploadId)
    if (!attachment) return
    await this.options.store.attachments.failUpload(
      this.options.myId,
      attachment.clientMessageId,
      storedUploadFailure(event.error),
    )
    this.options.changed(attachment.conversationId)
  }

  /**
   * The server has the file, so its staged copy is no longer needed to send it: it moves to the
   * files kept on this device, where a download of it would go, and the sender still opens or
   * plays it from there. Staging keeps only files still to be sent.
   */
  private async keepSentCopy(attachment: StoredAttachment): Promise<void> {
    const staged = attachment.localPath
    if (!staged || !attachment.fileId || !isInside(this.options.stagingDir, staged)) return
    const kept = this.keptPath(attachment)
    try {
      await mkdir(this.options.filesDir, { recursive: true, mode: 0o700 })
      await rename(staged, kept)
      await this.options.store.attachments.setLocalPath(
        this.options.myId,
        attachment.clientMessageId,
        kept,
      )
    } catch (error) {
      log.warn({ error: String(error) }, 'staged copy of a sent file not moved')
    }
  }

  /**
   * At start: a staged file no message of mine waits for (a cancelled upload's, a page's post
   * never sent, a micro-app's) is deleted, unless it appeared since `startedAt`; the copy of a
   * file whose upload finished while no one listened is kept like any sent file.
   */
  private async sweepStaging(startedAt: number): Promise<void> {
    const { store, myId, stagingDir } = this.options
    await sweepStaging(stagingDir, startedAt, async (paths) => {
      const owners = await store.attachments.withLocalPaths(myId, paths)
      for (const owner of owners) await this.keepSentCopy(owner)
      return new Set(owners.map((owner) => owner.localPath!))
    })
  }

  /** At start: uploads that finished or failed while no one listened are settled now. */
  private async settleWaiting(): Promise<void> {
    const infos = new Map(this.options.uploads.list().map((info) => [info.uploadId, info]))
    for (const attachment of await this.options.store.attachments.waiting(this.options.myId)) {
      const info = infos.get(attachment.uploadId!)
      if (info) await this.settle(info)
      else if (!attachment.uploadError) {
        await this.options.store.attachments.failUpload(
          this.options.myId,
          attachment.clientMessageId,
          'the upload was lost; send the file again',
        )
      }
    }
  }

  private async settle(info: UploadInfo): Promise<void> {
    if (info.status === 'done' && info.fileId) {
      await this.uploadDone({
        uploadId: info.uploadId,
        fileId: info.fileId,
        url: info.url ?? '',
        sha256: info.sha256 ?? '',
        size: info.totalBytes ?? info.sentBytes,
        deduplicated: false,
      })
    } else if (info.status === 'failed' || info.status === 'cancelled') {
      const message = info.error?.message ?? `the upload was ${info.status}`
      const attachment = await this.options.store.attachments.byUpload(info.uploadId)
      if (attachment && !attachment.uploadError) {
        await this.options.store.attachments.failUpload(
          this.options.myId,
          attachment.clientMessageId,
          message,
        )
      }
    }
  }

  // ---- downloads --------------------------------------------------------------------------

  /** Starts (or resumes) downloading a message's file; progress comes as events. */
  async download(ref: MessageRef): Promise<AttachmentView> {
    const senderId = ref.senderId ?? this.options.myId
    const attachment = await this.options.store.attachments.find(senderId, ref.clientMessageId)
    if (!attachment?.fileId) throw new HostError('NOT_FOUND', 'no file to download in that message')
    const key = attachmentKey(senderId, ref.clientMessageId)
    if (!(await this.isHere(attachment)) && !this.downloads.has(key)) {
      const download: Download = {
        receivedBytes: 0,
        totalBytes: attachment.size,
        running: Promise.resolve(),
      }
      download.running = this.runDownload(attachment, download)
        .catch((error: unknown) => log.warn({ error: String(error) }, 'download stopped'))
        .finally(() => {
          this.downloads.delete(key)
          this.options.changed(attachment.conversationId)
        })
      this.downloads.set(key, download)
    }
    return this.viewOf(attachment)
  }

  /** Resolves when every download running now has ended (tests). */
  async downloadsSettled(): Promise<void> {
    await Promise.all([...this.downloads.values()].map((download) => download.running))
  }

  private async runDownload(attachment: StoredAttachment, download: Download): Promise<void> {
    const endpoint = await this.options.endpoint()
    if (!endpoint) throw new HostError('UNREACHABLE', 'offline: the file server is not known yet')
    await mkdir(this.options.filesDir, { recursive: true, mode: 0o700 })
    const path = this.keptPath(attachment)
    let lastEmit = 0
    await downloadFile({
      url: `${endpoint.url}/files/${encodeURIComponent(attachment.fileId)}`,
      ticket: endpoint.ticket,
      ca: endpoint.ca,
      path,
      size: attachment.size,
      sha256: attachment.sha256,
      onProgress: (receivedBytes) => {
        download.receivedBytes = receivedBytes
        const now = Date.now()
        if (now - lastEmit < 100 && receivedBytes < attachment.size) return
        lastEmit = now
        this.options.emit('downloadProgress', {
          conversationId: attachment.conversationId,
          clientMessageId: attachment.clientMessageId,
          receivedBytes,
          totalBytes: attachment.size,
        })
      },
    })
    await this.options.store.attachments.setLocalPath(
      attachment.senderId,
      attachment.clientMessageId,
      path,
    )
    log.info({ fileId: attachment.fileId, bytes: attachment.size }, 'file downloaded')
  }

  /** Where a message's file is kept on this device: named by its file id, with its extension. */
  private keptPath(attachment: StoredAttachment): string {
    return join(this.options.filesDir, `${attachment.fileId}${safeExtension(attachment.name)}`)
  }

  /** The file of a message as kept here, for the host that serves it to the page. */
  async localFile(
    senderId: string,
    clientMessageId: string,
  ): Promise<{ path: string; mime: string; name: string } | null> {
    const attachment = await this.options.store.attachments.find(senderId, clientMessageId)
    if (!attachment || !(await this.isHere(attachment))) return null
    return { path: attachment.localPath!, mime: attachment.mime, name: attachment.name }
  }

  /**
   * Whether the message's whole file is on this device. A recording still being made (its size
   * not yet known) or a file of another size is not: the page would load it half written, and a
   * media element that read an empty file stays broken though the URL later serves it all.
   */
  private async isHere(attachment: StoredAttachment): Promise<boolean> {
    if (!attachment.localPath || attachment.size <= 0) return false
    try {
      const info = await stat(attachment.localPath)
      return info.isFile() && info.size === attachment.size
    } catch {
      return false
    }
  }

  // ---- views ------------------------------------------------------------------------------

  /** Adds each message's attachment, with upload progress and where the page can load it. */
  async decorate(views: MessageView[]): Promise<MessageView[]> {
    const attachments = await this.options.store.attachments.of(views)
    if (attachments.size === 0) return views
    return Promise.all(
      views.map(async (view) => {
        const attachment = attachments.get(attachmentKey(view.senderId, view.clientMessageId))
        if (!attachment || view.recalled) return view
        return { ...view, attachment: await this.viewOf(attachment, view) }
      }),
    )
  }

  private async viewOf(
    attachment: StoredAttachment,
    message?: MessageView,
  ): Promise<AttachmentView> {
    const view: AttachmentView = {
      kind: attachment.kind,
      name: attachment.name,
      size: attachment.size,
      mime: attachment.mime,
      fileId: attachment.fileId || null,
    }
    if (attachment.width) view.width = attachment.width
    if (attachment.height) view.height = attachment.height
    if (attachment.durationMs) view.durationMs = attachment.durationMs
    if (attachment.thumbnail) {
      view.thumbnailUrl = `data:${attachment.thumbnailMime || 'image/png'};base64,${attachment.thumbnail}`
    }
    if (attachment.uploadId && message?.seq == null) {
      const known = this.progress.get(attachment.uploadId)
      const info =
        known && !attachment.uploadError
          ? null
          : this.options.uploads.list().find((u) => u.uploadId === attachment.uploadId)
      view.upload = {
        state: attachment.uploadError
          ? 'failed'
          : info?.status === 'paused'
            ? 'paused'
            : 'uploading',
        sentBytes: known?.sentBytes ?? info?.sentBytes ?? 0,
        totalBytes: known?.totalBytes ?? info?.totalBytes ?? (attachment.size || null),
        ...uploadFailureOf(attachment.uploadError),
        ...(attachment.uploadError && info && failedForGood(info) ? { permanent: true } : {}),
      }
    } else if (attachment.uploadError) {
      view.upload = {
        state: 'failed',
        sentBytes: 0,
        totalBytes: attachment.size,
        ...uploadFailureOf(attachment.uploadError),
      }
    }
    if (await this.isHere(attachment)) {
      const url = this.options.fileUrl(attachment.senderId, attachment.clientMessageId)
      if (url) view.url = url
    } else {
      const download = this.downloads.get(
        attachmentKey(attachment.senderId, attachment.clientMessageId),
      )
      if (download) {
        view.download = {
          receivedBytes: download.receivedBytes,
          totalBytes: download.totalBytes,
          state: 'downloading',
        }
      }
    }
    return view
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async sourcePath(source: SendFileParams['source']): Promise<string> {
    const path = 'path' in source ? source.path : join(this.options.stagingDir, source.stagedId)
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a file')
    } catch {
      throw new HostError(
        'NOT_FOUND',
        `sendFile: no file at ${'path' in source ? path : 'the staged id'}`,
      )
    }
    return path
  }
}

/** Puts a message of mine with its attachment into the outbox (ClientCore's step). */
export type EnqueueMessage = (
  text: string,
  attachment: AttachmentRecord & { localPath: string | null; uploadId: string | null },
) => Promise<MessageView>

/** A failure no retry can mend: the server refuses the file's size. */
function failedForGood(upload: UploadInfo): boolean {
  return upload.status === 'failed' && upload.error?.code === 'FILE_TOO_LARGE'
}

function logFailure(what: string) {
  return (error: unknown) => log.error({ what, error: String(error) }, 'upload event not applied')
}

function voiceExtension(mime: string): string {
  if (mime.includes('ogg')) return '.ogg'
  if (mime.includes('mp4')) return '.m4a'
  return '.webm'
}

/** A downloaded file keeps its extension (so "open" picks the right app), nothing else of the name. */
function safeExtension(name: string): string {
  const extension = extname(name).toLowerCase()
  return /^\.[a-z0-9]{1,10}$/.test(extension) ? extension : ''
}
