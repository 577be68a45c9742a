// Numbered schema migrations of the client store. Each runs in its own transaction at open and
// sets user_version; never edit a migration that has shipped, add the next one.
// See electron/core/README.md for how to add one (and its test).
import { contactSearchKeys } from './contact-keys'
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
  {
    version: 2,
    name: 'full-text search over messages (trigram), pinyin keys of contacts',
    async up(tx) {
      // An external-content index: the text lives once, in messages; triggers keep the index in
      // step with every insert, delete and text change, whichever path wrote the row.
      await tx.exec(`
        CREATE VIRTUAL TABLE messages_fts USING fts5(
          text, content = 'messages', content_rowid = 'local_id', tokenize = 'trigram'
        );
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
          INSERT INTO messages_fts (rowid, text) VALUES (new.local_id, new.text);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
          INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.local_id, old.text);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
          INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.local_id, old.text);
          INSERT INTO messages_fts (rowid, text) VALUES (new.local_id, new.text);
        END;
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
        ALTER TABLE contacts ADD COLUMN pinyin_full TEXT NOT NULL DEFAULT '';
        ALTER TABLE contacts ADD COLUMN pinyin_initials TEXT NOT NULL DEFAULT '';
      `)
      const contacts = await tx.all<{ id: string; name: string }>('SELECT id, name FROM contacts')
      for (const contact of contacts) {
        const keys = contactSearchKeys(contact.name)
        await tx.run('UPDATE contacts SET pinyin_full = ?, pinyin_initials = ? WHERE id = ?', [
          keys.pinyinFull,
          keys.pinyinInitials,
          contact.id,
        ])
      }
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
