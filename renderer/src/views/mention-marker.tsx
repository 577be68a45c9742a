// Marks of an @-mention of me: "[@me]" before a conversation's preview until its unread messages
// are read, and a tag on a message that mentions me.
import { useTranslation } from 'react-i18next'
import type { ConversationView, MessageView } from '../../../shared/host-api'

/** For the conversation list: shown while an unread message of the conversation mentions me. */
export function MentionMarker({ conversation }: { conversation: ConversationView }) {
  const { t } = useTranslation()
  if (!conversation.mentionsMe) return null
  return (
    <span className="mention-marker" data-testid="conversation-mention">
      {t('messageExtras.mentionedMe')}
    </span>
  )
}

export function mentionsMe(message: MessageView, myId: string | undefined): boolean {
  return myId !== undefined && (message.mentionIds?.includes(myId) ?? false)
}

/** For a message: says it mentions me (the row is highlighted too). */
export function MentionTag({ message, myId }: { message: MessageView; myId: string | undefined }) {
  const { t } = useTranslation()
  if (!mentionsMe(message, myId)) return null
  return (
    <span className="mention-tag" data-testid="message-mentions-me">
      {t('messageExtras.mentionsYou')}
    </span>
  )
}
