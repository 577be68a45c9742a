// Files, images and voice in messages: sending them (the core uploads, the message shows its
// progress), retry / pause / resume / cancel of an upload, downloads with progress, and the
// progress events the core sends. Keyed by client message id, which is unique per message.
import type { HostApi, HostEvents, MessageView, UploadedFileView } from '../../../shared/host-api'
import { HostError } from '../../../shared/errors'
import { fileSource, toBase64 } from '../attachments/file-source'
import { makeThumbnail } from '../attachments/thumbnail'
import { describeError, type ErrorInfo } from './errors'
import type { TackSlice } from './store'

export interface TransferProgress {
  doneBytes: number
  totalBytes: number | null
}

export interface AttachmentsState {
  /** Client message id → bytes uploaded or downloaded so far (from the core's events). */
  transfers: Record<string, TransferProgress>
  /** Why the last attach (or recording) failed, for the composer to show; null when fine. */
  attachError: ErrorInfo | null
}

export interface AttachmentsActions {
  /** Sends each file as its own message; images get a preview drawn here. */
  sendFiles(conversationId: string, files: readonly File[]): Promise<void>
  retryMessage(message: MessageView): Promise<void>
  pauseUpload(message: MessageView): Promise<void>
  resumeUpload(message: MessageView): Promise<void>
  cancelUpload(message: MessageView): Promise<void>
  downloadAttachment(message: MessageView): Promise<void>
  /** A voice message: started, fed as it records, finished (sent) or discarded. */
  startVoice(conversationId: string, mime: string): Promise<string>
  appendVoice(recordingId: string, chunk: Uint8Array): Promise<void>
  finishVoice(recordingId: string, durationMs: number): Promise<void>
  discardVoice(recordingId: string): Promise<void>
  /** Uploads files a micro-app asked for (biz.util.uploadFile); resolves when all are done. */
  uploadFilesForMicroApp(files: readonly File[]): Promise<UploadedFileView[]>
  applyUploadProgress(event: HostEvents['uploadProgress']): void
  applyDownloadProgress(event: HostEvents['downloadProgress']): void
  clearAttachError(): void
}

export type AttachmentsSlice = AttachmentsState & AttachmentsActions

export const initialAttachmentsState: AttachmentsState = { transfers: {}, attachError: null }

/** The method, or a clear error when the host predates it. */
function need<T>(method: T | undefined, name: string): T {
  if (!method) throw new HostError('UNKNOWN_METHOD', `this host has no ${name}`)
  return method
}

export function createAttachmentsSlice(host: HostApi): TackSlice<AttachmentsSlice> {
  const ref = (message: MessageView) => ({
    conversationId: message.conversationId,
    clientMessageId: message.clientMessageId,
    senderId: message.senderId,
  })

  return (set, get) => {
    /** Runs a request; a refusal is kept for the composer to show, then thrown on. */
    async function attempt<T>(run: () => Promise<T>): Promise<T> {
      try {
        return await run()
      } catch (error) {
        set({ attachError: describeError(error) })
        throw error
      }
    }

    return {
      ...initialAttachmentsState,

      async sendFiles(conversationId, files) {
        set({ attachError: null })
        for (const file of files) {
          await attempt(async () => {
            const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.type)
            const thumbnail = isImage ? await makeThumbnail(file) : null
            const source = await fileSource(file, host)
            await need(host.sendFile, 'sendFile').call(host, {
              conversationId,
              source,
              name: file.name || `pasted-${Date.now()}.${file.type.split('/')[1] ?? 'bin'}`,
              ...(file.type ? { mime: file.type } : {}),
              kind: isImage ? 'image' : 'file',
              ...(thumbnail
                ? {
                    width: thumbnail.width,
                    height: thumbnail.height,
                    thumbnailBase64: thumbnail.base64,
                    thumbnailMime: thumbnail.mime,
                  }
                : {}),
            })
          })
        }
        await get().loadMessages(conversationId)
      },

      retryMessage: (message) =>
        attempt(() => need(host.retryMessage, 'retryMessage').call(host, ref(message))),
      pauseUpload: (message) =>
        attempt(() => need(host.pauseUpload, 'pauseUpload').call(host, ref(message))),
      resumeUpload: (message) =>
        attempt(() => need(host.resumeUpload, 'resumeUpload').call(host, ref(message))),
      cancelUpload: (message) =>
        attempt(() => need(host.cancelUpload, 'cancelUpload').call(host, ref(message))),

      async downloadAttachment(message) {
        await attempt(() => need(host.downloadFile, 'downloadFile').call(host, ref(message)))
      },

      async startVoice(conversationId, mime) {
        set({ attachError: null })
        const started = await attempt(() =>
          need(host.startVoice, 'startVoice').call(host, { conversationId, mime }),
        )
        void get().loadMessages(conversationId)
        return started.recordingId
      },

      async appendVoice(recordingId, chunk) {
        await need(host.appendVoice, 'appendVoice').call(host, {
          recordingId,
          chunkBase64: toBase64(chunk),
        })
      },

      async finishVoice(recordingId, durationMs) {
        const message = await attempt(() =>
          need(host.finishVoice, 'finishVoice').call(host, { recordingId, durationMs }),
        )
        await get().loadMessages(message.conversationId)
      },

      async discardVoice(recordingId) {
        await need(host.discardVoice, 'discardVoice').call(host, { recordingId })
      },

      async uploadFilesForMicroApp(files) {
        const uploaded: UploadedFileView[] = []
        for (const file of files) {
          const source = await fileSource(file, host)
          uploaded.push(
            await need(host.uploadFileForMicroApp, 'uploadFileForMicroApp').call(host, {
              source,
              name: file.name || 'file',
              ...(file.type ? { mime: file.type } : {}),
            }),
          )
        }
        return uploaded
      },

      applyUploadProgress(event) {
        set((state) => ({
          transfers: {
            ...state.transfers,
            [event.clientMessageId]: { doneBytes: event.sentBytes, totalBytes: event.totalBytes },
          },
        }))
      },

      applyDownloadProgress(event) {
        set((state) => ({
          transfers: {
            ...state.transfers,
            [event.clientMessageId]: {
              doneBytes: event.receivedBytes,
              totalBytes: event.totalBytes,
            },
          },
        }))
      },

      clearAttachError: () => set({ attachError: null }),
    }
  }
}
