// Bulk history for list tests and the UI benchmark: conversations and messages written straight
// into a running server's SQLite file, through the server's own storage class (so every message
// gets its seq and every member a sync item, exactly as a sent one would), in one transaction.
// Done before the person's first sign-in, their device then downloads it all through sync.
import { create } from '@bufbuild/protobuf'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { ConversationKind, ConversationSchema } from '../shared/gen/tack_pb'
import { DATABASE_FILE } from '../server/server'
import { SqliteStorage } from '../server/storage/sqlite-storage'

const DAY_MS = 24 * 60 * 60 * 1000

export interface SeedOptions {
  /** The server's data folder (ServerProcess.dataDir). */
  dataDir: string
  /** Members of every seeded conversation, e.g. ['u-alice', 'u-bob']; the first and second take turns writing. */
  memberIds: [string, string, ...string[]]
  /** One conversation with this many messages, spread over `days` days ending now. */
  history?: { conversationId: string; title: string; messages: number; days: number }
  /** This many more conversations, each with one message, older than the history's end. */
  conversations?: number
  /** Starts the ids of those conversations (`g:<prefix>-<n>`), so seeds for several people differ. */
  idPrefix?: string
}

/** Words of varied length, so rows have varied heights (one line, several, a long paragraph). */
const WORDS = [
  'deploy',
  'review',
  '会议',
  'the build is green again',
  '周报已经发出',
  'lunch?',
  'see the spec',
  '设计稿更新了',
  'merged',
  'can you take a look when you have a minute',
]

export function seedText(index: number): string {
  const words = 1 + ((index * 7) % 23) + (index % 41 === 0 ? 60 : 0)
  const parts: string[] = []
  for (let word = 0; word < words; word += 1) parts.push(WORDS[(index + word * 3) % WORDS.length]!)
  const text = parts.join(' ')
  return index % 13 === 0 ? `${text}\n${parts.slice(0, 3).join(' ')}` : text
}

/** Writes the history; returns how long it took. */
export function seedHistory(options: SeedOptions): { durationMs: number } {
  const started = Date.now()
  const db = new Database(join(options.dataDir, DATABASE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 30000')
  const storage = new SqliteStorage(db)
  const [first, second] = options.memberIds
  const now = Date.now()
  const history = options.history

  db.transaction(() => {
    const count = options.conversations ?? 0
    for (let index = 0; index < count; index += 1) {
      const id = `g:${options.idPrefix ?? 'seed'}-${index}`
      // Older than the history's last message, one minute apart, newest last.
      const at = now - (count - index) * 60_000 - DAY_MS
      storage.createConversation(
        create(ConversationSchema, {
          id,
          kind: ConversationKind.GROUP,
          title: `Seeded conversation ${index + 1}`,
          memberIds: options.memberIds,
          createdAtMs: BigInt(at),
        }),
      )
      storage.addMessage({
        conversationId: id,
        senderId: index % 3 === 0 ? first : second,
        clientMessageId: `${options.idPrefix ?? 'seed'}-c${index}`,
        text: seedText(index),
        sentAtMs: at,
      })
    }

    if (history) {
      const start = now - history.days * DAY_MS
      const step = (history.days * DAY_MS) / history.messages
      storage.createConversation(
        create(ConversationSchema, {
          id: history.conversationId,
          kind: ConversationKind.GROUP,
          title: history.title,
          memberIds: options.memberIds,
          createdAtMs: BigInt(Math.floor(start)),
        }),
      )
      for (let index = 0; index < history.messages; index += 1) {
        storage.addMessage({
          conversationId: history.conversationId,
          senderId: index % 2 === 0 ? second : first,
          clientMessageId: `${history.conversationId}-h${index}`,
          text: `#${index + 1} ${seedText(index)}`,
          sentAtMs: Math.floor(start + index * step),
        })
      }
    }
  })()
  db.close()
  return { durationMs: Date.now() - started }
}
