// The Chats view: the conversation list beside the open conversation.
import { ChatView } from './chat-view'
import { ConversationList } from './conversation-list'

export function ChatsView() {
  return (
    <div className="chats-view">
      <ConversationList />
      <ChatView />
    </div>
  )
}
