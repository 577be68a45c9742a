// Replies with a quote: the quote inside a message that answers another (a button that scrolls
// to the original through the store's focused message, as a search hit does), and the bar above
// the composer while a reply is being written (Escape in the box or its button cancels it).
// Quoted text is shown as text, never as markup.
import { useTranslation } from 'react-i18next'
import type { MessageView } from '../../../shared/host-api'
import { replyTargetOf } from '../store/compose-slice'
import { useTack } from '../store/store-context'

function useSenderName(senderId: string): string {
  const { t } = useTranslation()
  return useTack((state) => state.peopleById[senderId]?.name) ?? t('chat.unknownSender')
}

/** The quote of the message this one answers; nothing when it answers none. */
export function MessageQuote({ message }: { message: MessageView }) {
  const { t } = useTranslation()
  const openConversationAt = useTack((state) => state.openConversationAt)
  const quote = message.replyTo
  const name = useSenderName(quote?.senderId ?? '')
  if (!quote) return null
  // A recalled original's text is gone from the quote too (the core blanks it); say so instead.
  const text = quote.recalled ? t('messageExtras.quoteRecalled') : quote.excerpt
  return (
    <button
      type="button"
      className={quote.recalled ? 'message-quote recalled' : 'message-quote'}
      aria-label={t('messageExtras.quoteOf', { name, text })}
      onClick={() => openConversationAt(message.conversationId, quote.seq)}
      data-testid="message-quote"
      data-quoted-seq={quote.seq}
    >
      <span className="quote-sender">{name}</span>
      <span className="quote-excerpt" data-testid="message-quote-text">
        {text}
      </span>
    </button>
  )
}

/**
 * Above the composer while the next message answers another. When that message is recalled
 * meanwhile, the bar says so instead of its text: sending then goes without the quote, and the
 * button still cancels the reply.
 */
export function QuoteBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const target = useTack((state) => replyTargetOf(state, conversationId))
  const cancelReply = useTack((state) => state.cancelReply)
  const name = useSenderName(target?.senderId ?? '')
  if (!target) return null
  const recalled = target.recalled === true
  return (
    <div
      className={recalled ? 'quote-bar recalled' : 'quote-bar'}
      role="group"
      aria-label={t('messageExtras.replyingTo', { name })}
      data-recalled={recalled}
    >
      <span className="quote-bar-text" data-testid="quote-bar">
        <span className="quote-sender">{t('messageExtras.replyingTo', { name })}</span>
        <span className="quote-excerpt">
          {recalled ? t('messageExtras.replyTargetRecalled') : target.text}
        </span>
      </span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('messageExtras.cancelReply')}
        title={t('messageExtras.cancelReply')}
        onClick={() => cancelReply(conversationId)}
        data-testid="quote-bar-cancel"
      >
        ×
      </button>
    </div>
  )
}
