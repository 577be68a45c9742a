// Writing a message: Enter sends, Shift+Enter adds a line; empty text cannot be sent. The text is
// the conversation's draft in the store, so it survives switching conversations. The box clears
// at once and gets its text back if the core refused the message.
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_MESSAGE_CHARS } from '../../../shared/host-api'
import { describeError } from '../store/errors'
import { useTack, useTackStore } from '../store/store-context'
import { AttachButton, AttachError, usePasteFiles } from './composer-attach'
import { VoiceRecorder } from './voice-recorder'

/** The composer's textarea, for focusing it after the quick switcher opens a conversation. */
export const COMPOSER_INPUT_ID = 'composer-input'

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const store = useTackStore()
  const sendMessage = useTack((state) => state.sendMessage)
  const setDraft = useTack((state) => state.setDraft)
  const text = useTack((state) => state.drafts[conversationId] ?? '')
  const [error, setError] = useState<string | null>(null)
  // Files by button and paste, and voice (composer-attach.tsx, voice-recorder.tsx).
  const pasteFiles = usePasteFiles(conversationId)
  const canSend = text.trim().length > 0

  function send(): void {
    if (!canSend) return
    const sent = text
    setDraft(conversationId, '')
    setError(null)
    sendMessage(conversationId, sent).catch((reason: unknown) => {
      if (!store.getState().drafts[conversationId]) setDraft(conversationId, sent)
      setError(describeError(reason).message)
    })
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    send()
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    // Enter while an input method is composing (e.g. pinyin) picks a candidate; it does not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    event.preventDefault()
    send()
  }

  return (
    <form className="composer" onSubmit={submit}>
      <AttachError />
      {error && (
        <p className="error" role="alert">
          {t('composer.failed', { message: error })}
        </p>
      )}
      <div className="composer-row">
        <textarea
          className="composer-input"
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder')}
          value={text}
          id={COMPOSER_INPUT_ID}
          onChange={(event) => setDraft(conversationId, event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={pasteFiles}
          maxLength={MAX_MESSAGE_CHARS}
          rows={3}
          autoFocus
          data-testid="composer-input"
        />
        <AttachButton conversationId={conversationId} />
        <VoiceRecorder conversationId={conversationId} />
        <button
          type="submit"
          className="button primary"
          disabled={!canSend}
          data-testid="composer-send"
        >
          {t('composer.send')}
        </button>
      </div>
    </form>
  )
}
