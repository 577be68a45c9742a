// Who has read one of my messages and who has not, with names and avatars. A modal dialog over
// the page (portalled out of the message list, whose rows are moved by transforms); it asks
// again whenever the message's count changes, so it follows reads as they arrive.
import { useEffect, useId, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { MessageView, ReadReceiptsView } from '../../../shared/host-api'
import { formatCount } from '../format/number'
import { describeError } from '../store/errors'
import { useTack } from '../store/store-context'
import { Avatar } from './avatar'
import { ModalDialog } from './modal-dialog'

export function ReceiptDialog({ message, onClose }: { message: MessageView; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const loadReadReceipts = useTack((state) => state.loadReadReceipts)
  const [receipts, setReceipts] = useState<ReadReceiptsView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const titleId = useId()
  const { conversationId, id: messageId, unreadCount } = message

  useEffect(() => {
    if (!messageId) return
    let current = true
    loadReadReceipts(conversationId, messageId).then(
      (loaded) => current && (setReceipts(loaded), setError(null)),
      (reason: unknown) => current && setError(describeError(reason).message),
    )
    return () => {
      current = false
    }
  }, [conversationId, messageId, unreadCount, loadReadReceipts])

  const count = (n: number) => formatCount(n, i18n.language)
  return createPortal(
    <ModalDialog
      labelledBy={titleId}
      onClose={onClose}
      className="receipt-dialog"
      testId="receipt-dialog"
    >
      <h2 id={titleId}>{t('messageExtras.receiptsTitle')}</h2>
      {error && (
        <p className="error" role="alert">
          {t('messageExtras.receiptsFailed', { message: error })}
        </p>
      )}
      {!receipts && !error && <p className="muted">{t('messageExtras.receiptsLoading')}</p>}
      {receipts && (
        <div className="receipt-columns">
          <PeopleList
            title={t('messageExtras.unreadBy', { total: count(receipts.unread.length) })}
            userIds={receipts.unread}
            testId="receipt-unread"
          />
          <PeopleList
            title={t('messageExtras.readBy', { total: count(receipts.read.length) })}
            userIds={receipts.read}
            testId="receipt-read"
          />
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          {t('messageExtras.close')}
        </button>
      </div>
    </ModalDialog>,
    document.body,
  )
}

function PeopleList({
  title,
  userIds,
  testId,
}: {
  title: string
  userIds: string[]
  testId: string
}) {
  const { t } = useTranslation()
  const peopleById = useTack((state) => state.peopleById)
  const headingId = useId()
  return (
    <section className="receipt-list" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <ul data-testid={testId}>
        {userIds.map((userId) => {
          const person = peopleById[userId]
          const name = person?.name ?? t('chat.unknownSender')
          return (
            <li key={userId} className="receipt-person" data-user-id={userId}>
              <Avatar name={name} color={person?.avatarColor} size="sm" />
              <span>{name}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
