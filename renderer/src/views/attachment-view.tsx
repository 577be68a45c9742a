// A message's attachment inside its row: an image's preview (opening large in a dialog), a file's
// card (name, size, type, download with progress, then open), a voice message's player. My own
// while it uploads: its progress with pause / resume / cancel, and retry when it failed.
import { useId, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { AttachmentView, MessageView } from '../../../shared/host-api'
import { formatDuration } from '../../../shared/message-notice'
import { formatBytes } from '../format/number'
import { errorDetail, uploadErrorText } from '../i18n/error-text'
import { useTack } from '../store/store-context'
import { FileIcon, MicIcon } from './attachment-icons'
import { ModalDialog } from './modal-dialog'

export function MessageAttachment({ message, mine }: { message: MessageView; mine: boolean }) {
  const attachment = message.attachment
  if (!attachment) return null
  return (
    <div
      // Not `attachment-${kind}`: .attachment-file and .attachment-voice style the card inside.
      className="attachment"
      data-testid="attachment"
      data-kind={attachment.kind}
    >
      {attachment.kind === 'image' && <ImageAttachment message={message} attachment={attachment} />}
      {attachment.kind === 'file' && <FileCard message={message} attachment={attachment} />}
      {attachment.kind === 'voice' && <VoicePlayer message={message} attachment={attachment} />}
      {mine && attachment.upload && <UploadState message={message} attachment={attachment} />}
    </div>
  )
}

/** Bytes done of a transfer: the live event first, then what the last view said. */
function useTransfer(message: MessageView, fallback: { done: number; total: number | null }) {
  const live = useTack((state) => state.transfers[message.clientMessageId])
  return live ? { done: live.doneBytes, total: live.totalBytes } : fallback
}

function Progress({ done, total, label }: { done: number; total: number | null; label: string }) {
  const { i18n } = useTranslation()
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : undefined
  return (
    <span className="attachment-progress">
      <progress max={100} value={percent} aria-label={label} data-testid="attachment-progress" />
      <span>
        {formatBytes(done, i18n.language)}
        {total ? ` / ${formatBytes(total, i18n.language)}` : ''}
      </span>
    </span>
  )
}

function UploadState({
  message,
  attachment,
}: {
  message: MessageView
  attachment: AttachmentView
}) {
  const { t, i18n } = useTranslation()
  const upload = attachment.upload!
  const retry = useTack((state) => state.retryMessage)
  const pause = useTack((state) => state.pauseUpload)
  const resume = useTack((state) => state.resumeUpload)
  const cancel = useTack((state) => state.cancelUpload)
  const transfer = useTransfer(message, { done: upload.sentBytes, total: upload.totalBytes })
  if (upload.state === 'failed') {
    return (
      <span className="attachment-upload failed" data-testid="attachment-upload-failed">
        <span role="alert" title={upload.error ? errorDetail(t, upload.error) : undefined}>
          {t('attachments.uploadFailed', {
            message: uploadErrorText(t, i18n.language, upload),
          })}
        </span>
        {!upload.permanent && (
          <Action
            run={() => retry(message)}
            label={t('attachments.retry')}
            testId="attachment-retry"
          />
        )}
        <Action run={() => cancel(message)} label={t('attachments.cancel')} />
      </span>
    )
  }
  return (
    <span className="attachment-upload" data-testid="attachment-uploading">
      <Progress done={transfer.done} total={transfer.total} label={t('attachments.uploading')} />
      {upload.state === 'paused' ? (
        <Action run={() => resume(message)} label={t('attachments.resume')} />
      ) : (
        <Action run={() => pause(message)} label={t('attachments.pause')} />
      )}
      <Action run={() => cancel(message)} label={t('attachments.cancel')} />
    </span>
  )
}

/** A small action on an upload; its failure shows above the composer (attachError). */
function Action({
  run,
  label,
  testId,
}: {
  run: () => Promise<void>
  label: string
  testId?: string
}) {
  return (
    <button
      type="button"
      className="message-action"
      onClick={() => run().catch(() => undefined)}
      data-testid={testId}
    >
      {label}
    </button>
  )
}

/** Starts the download, or shows its progress, or nothing once the file is here. */
function DownloadControl({
  message,
  attachment,
  label,
}: {
  message: MessageView
  attachment: AttachmentView
  label: string
}) {
  const { t } = useTranslation()
  const download = useTack((state) => state.downloadAttachment)
  const transfer = useTransfer(message, {
    done: attachment.download?.receivedBytes ?? 0,
    total: attachment.download?.totalBytes ?? attachment.size,
  })
  if (attachment.url || !attachment.fileId) return null
  if (attachment.download) {
    return (
      <Progress done={transfer.done} total={transfer.total} label={t('attachments.downloading')} />
    )
  }
  return (
    <button
      type="button"
      className="message-action"
      onClick={() => download(message).catch(() => undefined)}
      data-testid="attachment-download"
    >
      {label}
    </button>
  )
}

function FileCard({ message, attachment }: { message: MessageView; attachment: AttachmentView }) {
  const { t, i18n } = useTranslation()
  return (
    <span className="attachment-file" data-testid="attachment-file">
      <span className="attachment-icon">
        <FileIcon />
      </span>
      <span className="attachment-file-text">
        <span className="attachment-name" data-testid="attachment-name" title={attachment.name}>
          {attachment.name}
        </span>
        <span className="attachment-detail" data-testid="attachment-size">
          {formatBytes(attachment.size, i18n.language)} ·{' '}
          {typeLabel(attachment.mime, attachment.name)}
        </span>
      </span>
      <DownloadControl
        message={message}
        attachment={attachment}
        label={t('attachments.download')}
      />
      {attachment.url && (
        <a
          className="message-action"
          href={attachment.url}
          target="_blank"
          rel="noreferrer"
          download={attachment.name}
          data-testid="attachment-open"
        >
          {t('attachments.open')}
        </a>
      )}
    </span>
  )
}

function ImageAttachment({
  message,
  attachment,
}: {
  message: MessageView
  attachment: AttachmentView
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const download = useTack((state) => state.downloadAttachment)
  const preview = attachment.thumbnailUrl ?? attachment.url

  function show(): void {
    setOpen(true)
    if (!attachment.url && attachment.fileId) download(message).catch(() => undefined)
  }

  return (
    <>
      <button
        type="button"
        className="attachment-image-button"
        onClick={show}
        aria-label={t('attachments.openImage', { name: attachment.name })}
        data-testid="attachment-image"
      >
        {preview ? (
          <img
            src={preview}
            alt={attachment.name}
            width={attachment.width && Math.min(240, attachment.width)}
            data-testid="attachment-thumbnail"
          />
        ) : (
          <span>{attachment.name}</span>
        )}
      </button>
      {open && (
        <ImageDialog message={message} attachment={attachment} onClose={() => setOpen(false)} />
      )}
    </>
  )
}

/**
 * The image large, in the shared modal (portalled out of the message list, whose rows are moved
 * by transforms): Tab stays inside, Escape or a click beside the image closes it, and the focus
 * goes back to the thumbnail.
 */
function ImageDialog({
  message,
  attachment,
  onClose,
}: {
  message: MessageView
  attachment: AttachmentView
  onClose: () => void
}) {
  const { t } = useTranslation()
  const titleId = useId()
  const transfer = useTransfer(message, {
    done: attachment.download?.receivedBytes ?? 0,
    total: attachment.size,
  })
  return createPortal(
    <ModalDialog
      labelledBy={titleId}
      onClose={onClose}
      closeOnBackdrop
      className="attachment-dialog"
      testId="attachment-dialog"
    >
      <header className="dialog-header">
        <h2 id={titleId} title={attachment.name}>
          {attachment.name}
        </h2>
        <button
          type="button"
          className="button subtle dialog-close"
          onClick={onClose}
          aria-label={t('attachments.close')}
          autoFocus
        >
          ×
        </button>
      </header>
      {attachment.url ? (
        <img src={attachment.url} alt={attachment.name} className="attachment-large" />
      ) : (
        <>
          {attachment.thumbnailUrl && (
            <img src={attachment.thumbnailUrl} alt={attachment.name} className="attachment-large" />
          )}
          {attachment.fileId && (
            <Progress
              done={transfer.done}
              total={transfer.total}
              label={t('attachments.downloading')}
            />
          )}
        </>
      )}
    </ModalDialog>,
    document.body,
  )
}

function VoicePlayer({
  message,
  attachment,
}: {
  message: MessageView
  attachment: AttachmentView
}) {
  const { t } = useTranslation()
  return (
    <span className="attachment-voice" data-testid="attachment-voice">
      <MicIcon />
      <span data-testid="attachment-duration">
        {t('attachments.voiceLength', { length: formatDuration(attachment.durationMs ?? 0) })}
      </span>
      {attachment.url ? (
        <audio
          controls
          src={attachment.url}
          preload="metadata"
          aria-label={t('attachments.voice')}
        />
      ) : (
        <DownloadControl
          message={message}
          attachment={attachment}
          label={t('attachments.loadVoice')}
        />
      )}
    </span>
  )
}

/** "PDF", "PNG", or the type's own subtype when the name has no extension. */
function typeLabel(mime: string, name: string): string {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]
  return (extension ?? mime.split('/')[1] ?? mime).toUpperCase()
}
