// Sends what the outbox holds, oldest first, one at a time, whenever the link is up. A message
// leaves the outbox only when the server has acknowledged it (or refused it for good); the
// client message id makes every resend idempotent on the server.
import { ErrorCode } from '../../../shared/gen/tack_pb'
import { createLogger } from '../../../shared/logger'
import { ServerError, type Connection } from '../net/connection'
import type { Store } from '../store/store'
import { messageFromWire } from '../sync/wire'
import { attachmentToWire } from '../attachments/attachment-wire'

const log = createLogger('outbox')

export const REFUSED_FOR_GOOD = new Set<ErrorCode>([
  ErrorCode.BAD_REQUEST,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
])

export class OutboxSender {
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly store: Store,
    private readonly myId: string,
    private readonly connection: () => Connection | null,
    private readonly changed: (conversationId: string) => void,
  ) {}

  /** Starts a flush, or asks the running one to look again when it ends. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    // A flush can outlive the store (the app closing mid-send): the outbox row stays for the next
    // start, so the failure is only logged.
    this.running = this.flushUntilQuiet()
      .catch((error: unknown) => log.info({ error: String(error) }, 'outbox flush stopped'))
      .finally(() => (this.running = null))
    return this.running
  }

  private async flushUntilQuiet(): Promise<void> {
    do {
      this.again = false
      await this.flush()
    } while (this.again)
  }

  private async flush(): Promise<void> {
    for (const entry of await this.store.listOutbox()) {
      const connection = this.connection()
      if (!connection?.isOpen) return
      try {
        const reply = await connection.request({
          case: 'sendMessage',
          value: {
            conversationId: entry.conversationId,
            clientMessageId: entry.clientMessageId,
            text: entry.text,
            replyToMessageId: entry.replyToMessageId ?? '',
            mentionIds: entry.mentionIds ?? [],
            attachment: entry.attachment && attachmentToWire(entry.attachment),
          },
        })
        if (reply.body.case !== 'sendMessageReply' || !reply.body.value.message) {
          throw new Error(`unexpected reply ${reply.body.case}`)
        }
        await this.store.confirmMessage(messageFromWire(reply.body.value.message), this.myId)
      } catch (error) {
        if (error instanceof ServerError && REFUSED_FOR_GOOD.has(error.code)) {
          await this.store.failMessage(entry.clientMessageId, this.myId, error.message)
        } else {
          await this.store.noteOutboxAttempt(entry.clientMessageId, String(error))
          log.info(
            { clientMessageId: entry.clientMessageId, error: String(error) },
            'send deferred',
          )
          return
        }
      }
      this.changed(entry.conversationId)
    }
  }
}
