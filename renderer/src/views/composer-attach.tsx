// Attaching files to a conversation: a button opening the file picker, images pasted into the
// composer, and files dropped anywhere on the chat. Each file becomes its own message, shown at
// once with its upload's progress.
import { useRef, useState, type ClipboardEvent, type DragEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorDetail, errorText } from '../i18n/error-text'
import { useTack } from '../store/store-context'
import { PaperclipIcon } from './attachment-icons'

export function AttachButton({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const sendFiles = useTack((state) => state.sendFiles)
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button
        type="button"
        className="button composer-attach"
        onClick={() => input.current?.click()}
        aria-label={t('attachments.attach')}
        title={t('attachments.attach')}
        data-testid="composer-attach"
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="composer-file-input"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])]
          event.target.value = ''
          if (files.length > 0) sendFiles(conversationId, files).catch(() => undefined)
        }}
      />
    </>
  )
}

/** The composer box's paste handler: pasted images (and files) are sent, text pastes as usual. */
export function usePasteFiles(conversationId: string) {
  const sendFiles = useTack((state) => state.sendFiles)
  return (event: ClipboardEvent<HTMLElement>): void => {
    const files = [...event.clipboardData.files]
    if (files.length === 0) return
    event.preventDefault()
    sendFiles(conversationId, files).catch(() => undefined)
  }
}

/** Props that make an element take dropped files, and whether files are over it now. */
export function useDropFiles(conversationId: string) {
  const sendFiles = useTack((state) => state.sendFiles)
  const [over, setOver] = useState(false)
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files')
  return {
    over,
    props: {
      onDragOver: (event: DragEvent<HTMLElement>) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        setOver(true)
      },
      onDragLeave: (event: DragEvent<HTMLElement>) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false)
      },
      onDrop: (event: DragEvent<HTMLElement>) => {
        if (!carriesFiles(event)) return
        event.preventDefault()
        setOver(false)
        const files = [...event.dataTransfer.files]
        if (files.length > 0) sendFiles(conversationId, files).catch(() => undefined)
      },
    },
  }
}

/** Why the last attach failed, above the composer. */
export function AttachError() {
  const { t } = useTranslation()
  const error = useTack((state) => state.attachError)
  const clear = useTack((state) => state.clearAttachError)
  if (!error) return null
  return (
    <p
      className="error"
      role="alert"
      data-testid="attach-error"
      title={errorDetail(t, error.message)}
    >
      {t('attachments.failed', { message: errorText(t, error) })}{' '}
      <button type="button" className="message-action" onClick={clear}>
        {t('attachments.dismiss')}
      </button>
    </p>
  )
}
