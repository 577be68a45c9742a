// Numbered schema migrations of the client store. Each runs in its own transaction at open and
// sets user_version; never edit a migration that has shipped, add the next one.
// See electron/core/README.md for how to add one (and its test).
import type { SqlExecutor } from './sql-database'

export interface Migration {
  version: number
  name: string
  up(tx: SqlExecutor): Promise<void>
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations, messages, contacts, sync point, outbox',
    async up(tx) {
      await tx.exec(`
        CREATE TABLE kv (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE departments (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          name_en TEXT NOT NULL,
          parent_id TEXT
        );
        CREATE TABLE contacts (
          id TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          name TEXT NOT NULL,
          name_en TEXT NOT NULL,
          department_id TEXT NOT NULL,
          title TEXT NOT NULL,
          avatar_color TEXT NOT NULL
        );
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
          title TEXT NOT NULL,
          member_ids TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          read_seq INTEGER NOT NULL DEFAULT 0,
          last_seq INTEGER NOT NULL DEFAULT 0,
          last_activity_at INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE messages (
          local_id INTEGER PRIMARY KEY,
          conversation_id TEXT NOT NULL,
          sender_id TEXT NOT NULL,
          client_message_id TEXT NOT NULL,
          id TEXT,
          seq INTEGER,
          text TEXT NOT NULL,
          sent_at INTEGER NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
          UNIQUE (sender_id, client_message_id)
        );
        CREATE UNIQUE INDEX messages_by_seq ON messages (conversation_id, seq) WHERE seq IS NOT NULL;
        CREATE INDEX messages_pending ON messages (conversation_id, state) WHERE seq IS NULL;
        CREATE TABLE outbox (
          client_message_id TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL,
          text TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT
        );
      `)
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
