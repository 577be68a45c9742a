// The open conversation: its title, its messages and the composer. While it is open and the page
// is visible, arriving messages are marked read.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { selectOpenConversation } from '../store/selectors'
import { useTack } from '../store/store-context'
import { Composer } from './composer'
import { MessageList } from './message-list'
import { usePageVisible } from './use-page-visible'

export function ChatView() {
  const { t } = useTranslation()
  const conversation = useTack(selectOpenConversation)
  const markRead = useTack((state) => state.markRead)
  const visible = usePageVisible()
  const conversationId = conversation?.id ?? null
  const unreadCount = conversation?.unreadCount ?? 0

  useEffect(() => {
    if (conversationId && visible && unreadCount > 0) void markRead(conversationId)
  }, [conversationId, visible, unreadCount, markRead])

  if (!conversation) {
    return (
      <section className="chat-view chat-empty">
        <p className="empty">{t('chat.placeholder')}</p>
      </section>
    )
  }

  return (
    <section className="chat-view" aria-labelledby="chat-title">
      <header className="chat-header">
        <h2 id="chat-title" data-testid="chat-title">
          {conversation.title}
        </h2>
        {conversation.kind === 'group' && (
          <span className="muted">
            {t('chat.members', { total: conversation.memberIds.length })}
          </span>
        )}
      </header>
      <MessageList conversation={conversation} />
      <Composer key={conversation.id} conversationId={conversation.id} />
    </section>
  )
}
