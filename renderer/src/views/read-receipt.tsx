// The read receipt under one of my sent messages: how many other members have not read it
// ("2 unread", or "All read"; in a direct conversation "Unread" / "Read"). It is a button that
// opens the list of who read it and who has not.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationKind, MessageView } from '../../../shared/host-api'
import { formatCount } from '../format/number'
import { selectOpenConversation } from '../store/selectors'
import { useTack } from '../store/store-context'
import { ReceiptDialog } from './receipt-dialog'

/** What the receipt says: the count in a group, read or not in a direct conversation. */
export function receiptLabel(
  kind: ConversationKind,
  unreadCount: number,
  t: ReturnType<typeof useTranslation>['t'],
  language: string,
): string {
  if (kind === 'direct') return t(unreadCount > 0 ? 'messageExtras.notRead' : 'messageExtras.read')
  if (unreadCount === 0) return t('messageExtras.allRead')
  return t('messageExtras.unreadCount', { total: formatCount(unreadCount, language) })
}

export function ReadReceipt({ message }: { message: MessageView }) {
  const { t, i18n } = useTranslation()
  const conversation = useTack(selectOpenConversation)
  const [open, setOpen] = useState(false)
  const unread = message.unreadCount
  if (unread === undefined || message.id === null || conversation?.id !== message.conversationId) {
    return null
  }
  const label = receiptLabel(conversation.kind, unread, t, i18n.language)

  return (
    <>
      <button
        type="button"
        className={unread > 0 ? 'read-receipt has-unread' : 'read-receipt all-read'}
        aria-haspopup="dialog"
        aria-label={t('messageExtras.openReceipts', { label })}
        onClick={() => setOpen(true)}
        data-testid="read-receipt"
        data-unread={unread}
      >
        {label}
      </button>
      {open && <ReceiptDialog message={message} onClose={() => setOpen(false)} />}
    </>
  )
}
