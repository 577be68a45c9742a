// The open conversation: its title, its messages and the composer. While it is open and the page
// is visible, arriving messages are marked read.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ConversationView } from '../../../shared/host-api'
import { errorText } from '../i18n/error-text'
import { describeError } from '../store/errors'
import { selectOpenConversation } from '../store/selectors'
import { useTack } from '../store/store-context'
import { Composer } from './composer'
import { useDropFiles } from './composer-attach'
import { GroupInfoButton, haveLeft, LeftGroupNotice } from './group-panel'
import { MessageList } from './message-list'
import { usePageVisible } from './use-page-visible'

export function ChatView() {
  const { t } = useTranslation()
  const conversation = useTack(selectOpenConversation)
  const myId = useTack((state) => state.session?.me.id)
  const markRead = useTack((state) => state.markRead)
  const visible = usePageVisible()
  const conversationId = conversation?.id ?? null
  const unreadCount = conversation?.unreadCount ?? 0
  // Files dropped anywhere on the chat are sent to it (composer-attach.tsx).
  const drop = useDropFiles(conversationId ?? '')

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
    <section
      className={`chat-view${drop.over ? ' drop-target' : ''}`}
      aria-labelledby="chat-title"
      {...drop.props}
    >
      <header className="chat-header">
        <h2 id="chat-title" data-testid="chat-title" title={conversation.title}>
          {conversation.title}
        </h2>
        {conversation.kind === 'group' && (
          <span className="muted">
            {t('chat.members', { count: conversation.memberIds.length })}
          </span>
        )}
        <ConversationFlags conversation={conversation} />
        <GroupInfoButton conversation={conversation} />
      </header>
      <MessageList conversation={conversation} />
      {haveLeft(conversation, myId) ? (
        <LeftGroupNotice />
      ) : (
        <Composer key={conversation.id} conversationId={conversation.id} />
      )}
    </section>
  )
}

/** Pin and mute, mine on all my devices: toggle buttons with aria-pressed. */
function ConversationFlags({ conversation }: { conversation: ConversationView }) {
  const { t } = useTranslation()
  const setFlags = useTack((state) => state.setConversationFlags)
  const [error, setError] = useState<string | null>(null)
  const pinned = conversation.pinned ?? false
  const muted = conversation.muted ?? false

  function change(flags: { pinned?: boolean; muted?: boolean }): void {
    setError(null)
    setFlags(conversation.id, flags).catch((reason: unknown) =>
      setError(errorText(t, describeError(reason))),
    )
  }

  return (
    <span className="chat-flags">
      {error && (
        <span className="error" role="alert">
          {t('chat.flagsFailed', { message: error })}
        </span>
      )}
      <button
        type="button"
        className="button small"
        aria-pressed={pinned}
        onClick={() => change({ pinned: !pinned })}
        data-testid="chat-pin"
      >
        {t(pinned ? 'chat.unpin' : 'chat.pin')}
      </button>
      <button
        type="button"
        className="button small"
        aria-pressed={muted}
        onClick={() => change({ muted: !muted })}
        data-testid="chat-mute"
      >
        {t(muted ? 'chat.unmute' : 'chat.mute')}
      </button>
    </span>
  )
}
