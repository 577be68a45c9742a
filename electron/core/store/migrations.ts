// Numbered schema migrations of the client store. Each runs in its own transaction at open and
// sets user_version; never edit a migration that has shipped, add the next one.
// See electron/core/README.md for how to add one (and its test).
import { ATTACHMENTS_MIGRATION_SQL } from './attachments'
import { contactSearchKeys } from './contact-keys'
import { BLANKED_QUOTE_SQL } from './receipts'
import { FILE_NAME_SEARCH_MIGRATION_SQL } from './search'
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
  {
    version: 3,
    name: 'apply a sync packet as one statement',
    async up(tx) {
      // Inserting one row into this view applies a whole packet: its trigger runs every write
      // from three JSON arrays, inside the one statement's own transaction. Through the async
      // binding each statement is a trip to the database thread and back, so a packet costs one
      // trip instead of one per kind of change (or, before, one per row). Rows:
      //   conversations [id, kind, title, member ids (JSON text), created at]
      //   messages      [conversation id, sender id, client message id, id, seq, text, sent at]
      //   reads         [conversation id, read seq]
      // my_id: my own messages leave the outbox and move my read position; sync_point, when not
      // null, is stored as the point this packet brings the store to.
      await tx.exec(`
        CREATE VIEW apply_sync_changes (conversations, messages, reads, my_id, sync_point) AS
          SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;

        CREATE TRIGGER apply_sync_changes INSTEAD OF INSERT ON apply_sync_changes BEGIN
          INSERT INTO conversations (id, kind, title, member_ids, created_at, last_activity_at)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 4
            FROM json_each(NEW.conversations) WHERE true
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
              member_ids = excluded.member_ids;

          INSERT INTO conversations (id, kind, title, member_ids, created_at)
            SELECT value ->> 0, 'group', '', '[]', min(value ->> 6)
            FROM json_each(NEW.messages) WHERE true GROUP BY value ->> 0
            ON CONFLICT (id) DO NOTHING;

          INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text,
              sent_at, state)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
              value ->> 6, 'sent'
            FROM json_each(NEW.messages) WHERE true
            ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
              id = excluded.id, seq = excluded.seq, sent_at = excluded.sent_at, state = 'sent';

          UPDATE conversations SET last_seq = max(last_seq, latest.seq),
              last_activity_at = max(last_activity_at, latest.sent_at)
            FROM (SELECT value ->> 0 AS id, max(value ->> 4) AS seq, max(value ->> 6) AS sent_at
                  FROM json_each(NEW.messages) GROUP BY value ->> 0) AS latest
            WHERE conversations.id = latest.id;

          DELETE FROM outbox WHERE client_message_id IN (
            SELECT value ->> 2 FROM json_each(NEW.messages) WHERE value ->> 1 = NEW.my_id);

          UPDATE conversations SET read_seq = max(read_seq, moved.seq)
            FROM (SELECT id, max(seq) AS seq FROM (
                    SELECT value ->> 0 AS id, value ->> 1 AS seq FROM json_each(NEW.reads)
                    UNION ALL
                    SELECT value ->> 0, value ->> 4 FROM json_each(NEW.messages)
                      WHERE value ->> 1 = NEW.my_id)
                  GROUP BY id) AS moved
            WHERE conversations.id = moved.id;

          INSERT INTO kv (key, value) SELECT 'sync_point', NEW.sync_point
            WHERE NEW.sync_point IS NOT NULL
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        END;
      `)
    },
  },
  {
    version: 4,
    name: 'recalled messages, pinned and muted conversations, read positions not yet sent',
    async up(tx) {
      // The packet statement gains two JSON arrays:
      //   recalls  [message id]            the text is dropped (and so leaves the search index)
      //   settings [conversation id, pinned (0/1), muted (0/1)], at most one per conversation
      // A recall only ever follows its message in the log, so it finds the row it marks.
      await tx.exec(`
        ALTER TABLE messages ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE unsent_reads (
          conversation_id TEXT PRIMARY KEY,
          read_seq INTEGER NOT NULL
        );

        DROP TRIGGER apply_sync_changes;
        DROP VIEW apply_sync_changes;
        CREATE VIEW apply_sync_changes
            (conversations, messages, reads, my_id, sync_point, recalls, settings) AS
          SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;

        CREATE TRIGGER apply_sync_changes INSTEAD OF INSERT ON apply_sync_changes BEGIN
          INSERT INTO conversations (id, kind, title, member_ids, created_at, last_activity_at)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 4
            FROM json_each(NEW.conversations) WHERE true
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,
              member_ids = excluded.member_ids;

          INSERT INTO conversations (id, kind, title, member_ids, created_at)
            SELECT value ->> 0, 'group', '', '[]', min(value ->> 6)
            FROM json_each(NEW.messages) WHERE true GROUP BY value ->> 0
            ON CONFLICT (id) DO NOTHING;

          INSERT INTO messages (conversation_id, sender_id, client_message_id, id, seq, text,
              sent_at, state)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
              value ->> 6, 'sent'
            FROM json_each(NEW.messages) WHERE true
            ON CONFLICT (sender_id, client_message_id) DO UPDATE SET
              id = excluded.id, seq = excluded.seq, sent_at = excluded.sent_at, state = 'sent';

          UPDATE messages SET recalled = 1, text = ''
            WHERE id IN (SELECT value FROM json_each(NEW.recalls)) AND recalled = 0;

          UPDATE conversations SET last_seq = max(last_seq, latest.seq),
              last_activity_at = max(last_activity_at, latest.sent_at)
            FROM (SELECT value ->> 0 AS id, max(value ->> 4) AS seq, max(value ->> 6) AS sent_at
                  FROM json_each(NEW.messages) GROUP BY value ->> 0) AS latest
            WHERE conversations.id = latest.id;

          DELETE FROM outbox WHERE client_message_id IN (
            SELECT value ->> 2 FROM json_each(NEW.messages) WHERE value ->> 1 = NEW.my_id);

          UPDATE conversations SET read_seq = max(read_seq, moved.seq)
            FROM (SELECT id, max(seq) AS seq FROM (
                    SELECT value ->> 0 AS id, value ->> 1 AS seq FROM json_each(NEW.reads)
                    UNION ALL
                    SELECT value ->> 0, value ->> 4 FROM json_each(NEW.messages)
                      WHERE value ->> 1 = NEW.my_id)
                  GROUP BY id) AS moved
            WHERE conversations.id = moved.id;

          UPDATE conversations SET pinned = latest.pinned, muted = latest.muted
            FROM (SELECT value ->> 0 AS id, value ->> 1 AS pinned, value ->> 2 AS muted
                  FROM json_each(NEW.settings)) AS latest
            WHERE conversations.id = latest.id;

          INSERT INTO kv (key, value) SELECT 'sync_point', NEW.sync_point
            WHERE NEW.sync_point IS NOT NULL
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        END;
      `)
    },
  },
  {
    version: 5,
    name: 'holes in history after a sync reset, and the unread messages they hide',
    async up(tx) {
      // A reset brings each conversation's newest messages only: older ones (seq below
      // hole_before_seq) may be missing until loaded on demand. unread_before_hole is the
      // server's count of unread messages there, so the unread count stays right meanwhile.
      await tx.exec(`
        ALTER TABLE conversations ADD COLUMN hole_before_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN unread_before_hole INTEGER NOT NULL DEFAULT 0;
      `)
    },
  },
  {
    version: 6,
    name: 'uploads and their chunks, so an upload resumes after a restart',
    async up(tx) {
      // The upload manager's state (electron/core/upload/upload-state.ts, store/upload-table.ts).
      // A chunk is one tus partial upload: its url once the server made it, and the bytes of it
      // the server confirmed. Paths are the server's own (/uploads/<id>), not whole URLs, since
      // the upload port can change between runs.
      await tx.exec(`
        CREATE TABLE uploads (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('file', 'stream')),
          name TEXT NOT NULL,
          mime TEXT NOT NULL,
          conversation_id TEXT,
          path TEXT,
          size INTEGER,
          mtime_ms REAL,
          sha256 TEXT,
          chunk_size INTEGER NOT NULL,
          final_url TEXT,
          file_id TEXT,
          status TEXT NOT NULL
            CHECK (status IN ('hashing', 'uploading', 'paused', 'done', 'failed', 'cancelled')),
          error_code TEXT,
          error_message TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE upload_chunks (
          upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
          idx INTEGER NOT NULL,
          start INTEGER NOT NULL,
          length INTEGER NOT NULL,
          url TEXT,
          confirmed INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (upload_id, idx)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 7,
    name: 'attachments of messages; outbox rows that wait for their upload',
    async up(tx) {
      // store/attachments.ts reads and writes these. A message of mine with a file sits in the
      // outbox with waits_for_upload = 1 until its upload is done, so it is never sent without it.
      await tx.exec(ATTACHMENTS_MIGRATION_SQL)
    },
  },
  {
    version: 8,
    name: 'reply quotes and mentions of messages, read positions of other members',
    async up(tx) {
      // member_reads: how far other members have read, from member_read_moved items, for the
      // receipts of my messages. A member's own messages count as read by them too; receipts.ts
      // reads those from messages rather than keeping them here.
      // messages_mentioning: the few messages with mentions, so "an unread one mentions me" is
      // found without reading every unread message.
      await tx.exec(`
        ALTER TABLE messages ADD COLUMN reply_to TEXT;
        ALTER TABLE messages ADD COLUMN mention_ids TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE outbox ADD COLUMN reply_to_message_id TEXT;
        ALTER TABLE outbox ADD COLUMN mention_ids TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE member_reads (
          conversation_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          read_seq INTEGER NOT NULL,
          PRIMARY KEY (conversation_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX messages_mentioning ON messages (conversation_id, seq)
          WHERE mention_ids <> '[]';
      `)
    },
  },
  {
    version: 9,
    name: 'search finds messages by the name of their file or image',
    async up(tx) {
      // messages_fts becomes (text, name), contentless, rows deleted by rowid; triggers on
      // messages and attachments keep each message's row equal to its text and its file's name.
      // Every message is indexed again here, the name of its attachment included.
      await tx.exec(FILE_NAME_SEARCH_MIGRATION_SQL)
    },
  },
  {
    version: 10,
    name: 'quotes of recalled messages lose their text',
    async up(tx) {
      // messages_quoting finds the replies to a message, so a recall blanks their quotes
      // (receipts.ts); messages_by_id finds a message by its server id (the original of a quote,
      // a recall). Quotes of messages recalled before this version are blanked here.
      await tx.exec(`
        CREATE INDEX messages_quoting ON messages (reply_to ->> 'messageId')
          WHERE reply_to IS NOT NULL;
        CREATE INDEX messages_by_id ON messages (id) WHERE id IS NOT NULL;
        UPDATE messages SET reply_to = ${BLANKED_QUOTE_SQL}
          WHERE reply_to IS NOT NULL AND EXISTS (SELECT 1 FROM messages AS original
            WHERE original.id = messages.reply_to ->> 'messageId' AND original.recalled);
      `)
    },
  },
  {
    version: 11,
    name: 'when other members joined, for read receipts',
    async up(tx) {
      // member_read_moved carries joined_seq: messages up to it came before that member joined,
      // so receipts.ts counts them neither read nor unread by them. 0: a member from the start.
      await tx.exec('ALTER TABLE member_reads ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;')
    },
  },
  {
    version: 12,
    name: 'drafts kept on this device',
    async up(tx) {
      // What I was writing in each conversation, so it outlasts a restart. This device's only:
      // not synced. mentions: JSON [{userId, name}] of the people picked with @ for it.
      await tx.exec(`
        CREATE TABLE drafts (
          conversation_id TEXT PRIMARY KEY,
          text TEXT NOT NULL,
          mentions TEXT NOT NULL DEFAULT '[]',
          saved_at INTEGER NOT NULL
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 13,
    name: 'notes of group changes among the messages',
    async up(tx) {
      // notice: JSON of a GroupNoticeView on a note the server wrote when a group changed
      // (receipts.ts writes it beside the packet, with quotes and mentions). Such a message is
      // never unread.
      await tx.exec('ALTER TABLE messages ADD COLUMN notice TEXT;')
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
