// Writing a message: Enter sends, Shift+Enter adds a line; empty text cannot be sent. The text is
// the conversation's draft in the store, so it survives switching conversations. The box clears
// at once and gets its text back if the core refused the message.
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_MESSAGE_CHARS } from '../../../shared/host-api'
import { describeError } from '../store/errors'
import { composeExtras } from '../store/compose-slice'
import { useTack, useTackStore } from '../store/store-context'
import { useMentionPicker } from './mention-picker'
import { QuoteBar } from './quoted-reply'
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
  const canSend = text.trim().length > 0
  // The reply being written and the @ picker (quoted-reply.tsx, mention-picker.tsx).
  const input = useRef<HTMLTextAreaElement>(null)
  const mention = useMentionPicker(conversationId, text, input, (next) =>
    setDraft(conversationId, next),
  )
  const replying = useTack((state) => state.replyTargets[conversationId] !== undefined)
  const cancelReply = useTack((state) => state.cancelReply)
  const clearCompose = useTack((state) => state.clearCompose)
  const markReplyRecalled = useTack((state) => state.markReplyRecalled)
  // Files by button and paste, and voice (composer-attach.tsx, voice-recorder.tsx).
  const pasteFiles = usePasteFiles(conversationId)

  function send(): void {
    if (!canSend) return
    const sent = text
    setDraft(conversationId, '')
    setError(null)
    const extras = composeExtras(store.getState(), conversationId, sent)
    sendMessage(conversationId, sent, extras).then(
      () => clearCompose(conversationId),
      (reason: unknown) => {
        if (!store.getState().drafts[conversationId]) setDraft(conversationId, sent)
        const { code, message } = describeError(reason)
        // Recalled between Reply and Send: the bar now says so, and sending again goes without
        // the quote. Worded here, never the core's sentence.
        if (code === 'QUOTE_RECALLED') markReplyRecalled(conversationId)
        setError(code === 'QUOTE_RECALLED' ? t('composer.quoteRecalled') : message)
      },
    )
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault()
    send()
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (mention.onKeyDown(event)) return
    if (event.key === 'Escape' && replying) {
      event.preventDefault()
      cancelReply(conversationId)
      return
    }
    // Enter while an input method is composing (e.g. pinyin) picks a candidate; it does not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    event.preventDefault()
    send()
  }

  return (
    <form className="composer" onSubmit={submit}>
      <AttachError />
      {error && (
        <p className="error" role="alert" data-testid="composer-error">
          {t('composer.failed', { message: error })}
        </p>
      )}
      <QuoteBar conversationId={conversationId} />
      <div className="composer-row">
        {mention.picker}
        <textarea
          ref={input}
          {...mention.inputProps}
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
