// Numbered schema migrations for the SQLite storage. The database's user_version is the number of
// the last migration applied; each migration runs in its own transaction with the version bump,
// so a database is always at exactly one version. Append new migrations; never edit old ones.
import type Database from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'directory, sessions, conversations, messages and sync log',
    sql: `
      CREATE TABLE departments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        parent_id TEXT REFERENCES departments (id)
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL,
        department_id TEXT NOT NULL REFERENCES departments (id),
        title TEXT NOT NULL,
        avatar_color TEXT NOT NULL,
        password_hash TEXT NOT NULL
      );
      CREATE TABLE tickets (
        ticket_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        device_id TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL
      );
      CREATE TABLE devices (
        user_id TEXT NOT NULL REFERENCES users (id),
        device_id TEXT NOT NULL,
        name TEXT NOT NULL,
        platform TEXT NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        acked_sync_id INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, device_id)
      );
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        kind INTEGER NOT NULL,
        title TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE conversation_members (
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        user_id TEXT NOT NULL REFERENCES users (id),
        read_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (conversation_id, user_id)
      );
      CREATE INDEX conversation_members_by_user ON conversation_members (user_id);
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        seq INTEGER NOT NULL,
        sender_id TEXT NOT NULL REFERENCES users (id),
        client_message_id TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at_ms INTEGER NOT NULL,
        UNIQUE (sender_id, client_message_id),
        UNIQUE (conversation_id, seq)
      );
      CREATE TABLE sync_log (
        user_id TEXT NOT NULL REFERENCES users (id),
        sync_id INTEGER NOT NULL,
        item BLOB NOT NULL,
        PRIMARY KEY (user_id, sync_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'micro-apps, free-login auth codes, open platform access tokens and jsapi tickets',
    sql: `
      CREATE TABLE micro_apps (
        agent_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        icon TEXT NOT NULL,
        description TEXT NOT NULL,
        home_url TEXT NOT NULL,
        allowed_origins TEXT NOT NULL,
        jsapi_list TEXT NOT NULL,
        app_key TEXT NOT NULL UNIQUE,
        app_secret_hash TEXT NOT NULL,
        bot_user_id TEXT NOT NULL REFERENCES users (id)
      );
      CREATE TABLE auth_codes (
        code_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        agent_id TEXT NOT NULL REFERENCES micro_apps (agent_id),
        expires_at_ms INTEGER NOT NULL
      );
      CREATE TABLE access_tokens (
        token_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES micro_apps (agent_id),
        expires_at_ms INTEGER NOT NULL
      );
      CREATE TABLE jsapi_tickets (
        agent_id TEXT PRIMARY KEY REFERENCES micro_apps (agent_id),
        ticket TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'micro-app offline packages; English names of micro-apps',
    sql: `
      ALTER TABLE micro_apps ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
      CREATE TABLE micro_app_packages (
        agent_id TEXT PRIMARY KEY REFERENCES micro_apps (agent_id),
        version TEXT NOT NULL,
        zip BLOB NOT NULL,
        uploaded_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'recalled messages; pinned and muted per member',
    sql: `
      ALTER TABLE messages ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversation_members ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversation_members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 5,
    name: 'why a ticket stopped working: its device was retired',
    sql: `
      ALTER TABLE tickets ADD COLUMN retired_reason TEXT;
    `,
  },
  {
    version: 6,
    name: 'sync log retention: when each item was written, and how far each log was pruned',
    sql: `
      ALTER TABLE sync_log ADD COLUMN created_at_ms INTEGER NOT NULL DEFAULT 0;
      UPDATE sync_log SET created_at_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
      CREATE TABLE sync_log_floors (
        user_id TEXT PRIMARY KEY REFERENCES users (id),
        floor_sync_id INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'shared logs of large groups, and how far each member has taken them in',
    sql: `
      CREATE TABLE group_log (
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        group_seq INTEGER NOT NULL,
        kind BLOB NOT NULL,
        created_at_ms INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, group_seq)
      ) WITHOUT ROWID;
      CREATE TABLE group_log_cursors (
        user_id TEXT NOT NULL REFERENCES users (id),
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        group_seq INTEGER NOT NULL,
        PRIMARY KEY (user_id, conversation_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'attachments of messages: the wire Attachment, and its file id for download checks',
    sql: `
      ALTER TABLE messages ADD COLUMN attachment BLOB;
      ALTER TABLE messages ADD COLUMN attachment_file_id TEXT;
      CREATE INDEX messages_by_attachment_file ON messages (attachment_file_id)
        WHERE attachment_file_id IS NOT NULL;
    `,
  },
  {
    version: 9,
    name: 'reply quotes and mentions of messages; where the newest read item of each reader sits',
    sql: `
      ALTER TABLE messages ADD COLUMN reply_to BLOB;
      ALTER TABLE messages ADD COLUMN mention_ids TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE member_read_items (
        user_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        sync_id INTEGER NOT NULL,
        PRIMARY KEY (user_id, conversation_id, reader_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'uploads (tus) with their owners, and finished files by id and content hash',
    sql: `
      CREATE TABLE uploads (
        upload_id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        concat TEXT NOT NULL DEFAULT '' CHECK (concat IN ('', 'partial', 'final')),
        parts TEXT NOT NULL DEFAULT '',
        created_at_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX uploads_final_by_parts ON uploads (owner_id, parts) WHERE concat = 'final';
      CREATE TABLE files (
        file_id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX files_by_sha256 ON files (sha256, created_at_ms);
    `,
  },
  {
    version: 11,
    name: 'micro-apps may change the directory only when granted',
    sql: `
      ALTER TABLE micro_apps ADD COLUMN directory_write INTEGER NOT NULL DEFAULT 0
        CHECK (directory_write IN (0, 1));
    `,
  },
  {
    version: 12,
    name: 'when each member joined a conversation, for read receipts',
    sql: `
      ALTER TABLE conversation_members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 13,
    name: 'notes of group changes among the messages',
    // The wire GroupNotice, binary; null for a message someone wrote.
    sql: `
      ALTER TABLE messages ADD COLUMN notice BLOB;
    `,
  },
]

/** Brings the database up to `target` (default: the newest migration). Returns the version. */
export function migrate(
  db: Database.Database,
  target = MIGRATIONS[MIGRATIONS.length - 1]!.version,
): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version
  if (current > newest) {
    throw new Error(`database schema version ${current} is newer than this server (${newest})`)
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue
    db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return db.pragma('user_version', { simple: true }) as number
}
