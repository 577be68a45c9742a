// Writing a message: Enter sends, Shift+Enter adds a line; empty text cannot be sent. The box
// clears at once and gets its text back if the core refused the message.
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_MESSAGE_CHARS } from '../../../shared/host-api'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'

// TODO(#7): keep a draft per conversation, and attach files and images.
export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const sendMessage = useTack((state) => state.sendMessage)
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const canSend = text.trim().length > 0

  function send(): void {
    if (!canSend) return
    const sent = text
    setText('')
    setError(null)
    sendMessage(conversationId, sent).catch((reason: unknown) => {
      setText((current) => (current === '' ? sent : current))
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
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          maxLength={MAX_MESSAGE_CHARS}
          rows={3}
          autoFocus
          data-testid="composer-input"
        />
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
