// A message's actions: Reply (the composer quotes it) and Copy (its text to the clipboard). They
// are ordinary buttons in the row, so Tab reaches them; they show when the row is hovered or holds
// the focus, and each says which message it acts on.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MessageView } from '../../../shared/host-api'
import { createLogger } from '../../../shared/logger'
import { useTack } from '../store/store-context'
import { COMPOSER_INPUT_ID } from './composer'

const log = createLogger('message-actions')

/** How long "Copied" stays. */
const COPIED_MS = 2_000

export function MessageActions({
  message,
  senderName,
}: {
  message: MessageView
  senderName: string
}) {
  const { t } = useTranslation()
  const startReply = useTack((state) => state.startReply)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (copy === 'idle') return
    const timer = setTimeout(() => setCopy('idle'), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copy])

  function reply(): void {
    startReply(message)
    document.getElementById(COMPOSER_INPUT_ID)?.focus()
  }

  function copyText(): void {
    navigator.clipboard.writeText(message.text).then(
      () => setCopy('copied'),
      (error: unknown) => {
        log.info({ error: String(error) }, 'copy refused')
        setCopy('failed')
      },
    )
  }

  const about = { name: senderName }
  return (
    <span className="message-actions" role="group" aria-label={t('messageExtras.actions', about)}>
      {message.id !== null && (
        <button
          type="button"
          className="message-action"
          aria-label={t('messageExtras.replyTo', about)}
          onClick={reply}
          data-testid="message-reply"
        >
          {t('messageExtras.reply')}
        </button>
      )}
      <button
        type="button"
        className="message-action"
        aria-label={t('messageExtras.copyFrom', about)}
        onClick={copyText}
        data-testid="message-copy"
      >
        {t('messageExtras.copy')}
      </button>
      <span className="copy-status" role="status" data-testid="message-copy-status">
        {copy === 'copied' && t('messageExtras.copied')}
        {copy === 'failed' && t('messageExtras.copyFailed')}
      </span>
    </span>
  )
}
