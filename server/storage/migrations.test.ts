import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate } from './migrations'

function tableNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[]
}

describe('storage migrations', () => {
  it('migration 1 turns an empty database into the first schema', () => {
    const db = new Database(':memory:')

    expect(migrate(db, 1)).toBe(1)

    expect(tableNames(db)).toEqual([
      'conversation_members',
      'conversations',
      'departments',
      'devices',
      'messages',
      'sync_log',
      'tickets',
      'users',
    ])
    db.close()
  })

  it('migration 2 adds the micro-app tables and keeps the directory', () => {
    const db = new Database(':memory:')
    migrate(db, 1)
    db.prepare("INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D')").run()

    expect(migrate(db, 2)).toBe(2)

    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['access_tokens', 'auth_codes', 'jsapi_tickets', 'micro_apps']),
    )
    expect(db.prepare('SELECT COUNT(*) FROM departments').pluck().get()).toBe(1)
    db.close()
  })

  it('migration 3 adds offline packages and keeps the micro-apps', () => {
    const db = new Database(':memory:')
    migrate(db, 2)
    db.prepare("INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D')").run()
    db.prepare(
      `INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
         password_hash) VALUES ('app-x', 'app-x', 'X', 'X', 'd', '', '#000', '!')`,
    ).run()
    db.prepare(
      `INSERT INTO micro_apps VALUES ('x', 'X', '', '', 'https://x.example/', '[]', '[]', 'k',
         'h', 'app-x')`,
    ).run()

    expect(migrate(db, 3)).toBe(3)

    expect(tableNames(db)).toContain('micro_app_packages')
    expect(db.prepare('SELECT COUNT(*) FROM micro_apps').pluck().get()).toBe(1)
    db.close()
  })

  it('migration 4 adds recalled, pinned and muted and keeps messages and members', () => {
    const db = new Database(':memory:')
    migrate(db, 3)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES ('g', 2, 'G', 1, 1);
      INSERT INTO conversation_members (conversation_id, user_id) VALUES ('g', 'u-a');
      INSERT INTO messages VALUES ('m1', 'g', 1, 'u-a', 'c1', 'hi', 2);
    `)

    expect(migrate(db, 4)).toBe(4)

    expect(db.prepare('SELECT text, recalled FROM messages').get()).toEqual({
      text: 'hi',
      recalled: 0,
    })
    expect(db.prepare('SELECT pinned, muted FROM conversation_members').get()).toEqual({
      pinned: 0,
      muted: 0,
    })
    db.close()
  })

  it('migration 5 adds the retired reason to tickets and keeps them', () => {
    const db = new Database(':memory:')
    migrate(db, 4)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO tickets VALUES ('h', 'u-a', 'dev', 1, 2);
    `)

    expect(migrate(db, 5)).toBe(5)

    expect(db.prepare('SELECT device_id, retired_reason FROM tickets').get()).toEqual({
      device_id: 'dev',
      retired_reason: null,
    })
    db.close()
  })

  it('migration 6 stamps the kept sync log items and adds the pruning floors', () => {
    const db = new Database(':memory:')
    migrate(db, 5)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO sync_log (user_id, sync_id, item) VALUES ('u-a', 1, x'08'), ('u-a', 2, x'10');
    `)

    expect(migrate(db, 6)).toBe(6)

    const stamps = db.prepare('SELECT created_at_ms FROM sync_log').pluck().all() as number[]
    expect(stamps).toHaveLength(2)
    for (const stamp of stamps) expect(Math.abs(stamp - Date.now())).toBeLessThan(60_000)
    expect(tableNames(db)).toContain('sync_log_floors')
    db.close()
  })

  it('migration 7 adds the shared group log and its cursors and keeps the log', () => {
    const db = new Database(':memory:')
    migrate(db, 6)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO sync_log (user_id, sync_id, item, created_at_ms) VALUES ('u-a', 1, x'08', 5);
    `)

    expect(migrate(db, 7)).toBe(7)

    expect(tableNames(db)).toEqual(expect.arrayContaining(['group_log', 'group_log_cursors']))
    expect(db.prepare('SELECT created_at_ms FROM sync_log').pluck().get()).toBe(5)
    db.close()
  })

  it('migration 8 adds attachments to messages and keeps the messages', () => {
    const db = new Database(':memory:')
    migrate(db, 5)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES ('g', 2, 'G', 1, 1);
      INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text, sent_at_ms)
        VALUES ('m1', 'g', 1, 'u-a', 'c1', 'hi', 2);
    `)

    expect(migrate(db, 8)).toBe(8)

    expect(db.prepare('SELECT text, attachment, attachment_file_id FROM messages').get()).toEqual({
      text: 'hi',
      attachment: null,
      attachment_file_id: null,
    })
    db.close()
  })

  it('migration 9 adds reply quotes, mentions and receipt items and keeps the messages', () => {
    const db = new Database(':memory:')
    migrate(db, 8)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES ('g', 2, 'G', 1, 1);
      INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text, sent_at_ms)
        VALUES ('m1', 'g', 1, 'u-a', 'c1', 'hi', 2);
    `)

    expect(migrate(db, 9)).toBe(9)

    expect(db.prepare('SELECT text, reply_to, mention_ids FROM messages').get()).toEqual({
      text: 'hi',
      reply_to: null,
      mention_ids: '[]',
    })
    expect(tableNames(db)).toContain('member_read_items')
    db.close()
  })

  it('migration 10 adds uploads and files and keeps the tickets', () => {
    const db = new Database(':memory:')
    migrate(db, 9)
    db.exec(`
      INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO tickets (ticket_hash, user_id, device_id, created_at_ms, expires_at_ms)
        VALUES ('h', 'u-a', 'dev', 1, 2);
    `)

    expect(migrate(db, 10)).toBe(10)

    expect(tableNames(db)).toEqual(expect.arrayContaining(['files', 'uploads']))
    expect(db.prepare('SELECT user_id FROM tickets').pluck().get()).toBe('u-a')
    db.exec(`INSERT INTO uploads (upload_id, owner_id, concat, parts, created_at_ms)
      VALUES ('f', 'u-a', 'final', 'p1 p2', 3)`)
    expect(() =>
      db.exec(`INSERT INTO uploads (upload_id, owner_id, concat, created_at_ms)
        VALUES ('x', 'u-a', 'whole', 3)`),
    ).toThrow(/CHECK constraint/)
    db.close()
  })

  it('migration 11 adds the directory-write grant, off for the micro-apps already there', () => {
    const db = new Database(':memory:')
    migrate(db, 10)
    db.exec(`INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('app-a', 'app-a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO micro_apps (agent_id, name, name_en, icon, description, home_url,
      allowed_origins, jsapi_list, app_key, app_secret_hash, bot_user_id)
      VALUES ('a', 'A', 'A', '', '', 'https://a.example/', '[]', '[]', 'k', 'h', 'app-a')`)

    expect(migrate(db, 11)).toBe(11)

    expect(db.prepare('SELECT name, directory_write FROM micro_apps').get()).toEqual({
      name: 'A',
      directory_write: 0,
    })
    expect(() => db.exec('UPDATE micro_apps SET directory_write = 2')).toThrow(/CHECK constraint/)
    db.close()
  })

  it('migration 12 records when members joined, from the start for those already there', () => {
    const db = new Database(':memory:')
    migrate(db, 11)
    db.exec(`INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES ('g', 2, 'G', 1, 7);
      INSERT INTO conversation_members (conversation_id, user_id, read_seq) VALUES ('g', 'u-a', 5);`)

    expect(migrate(db, 12)).toBe(12)

    expect(
      db.prepare('SELECT user_id, read_seq, joined_seq FROM conversation_members').get(),
    ).toEqual({ user_id: 'u-a', read_seq: 5, joined_seq: 0 })
    db.close()
  })

  it('migration 13 makes room for notes of group changes; the messages there are none', () => {
    const db = new Database(':memory:')
    migrate(db, 12)
    db.exec(`INSERT INTO departments (id, name, name_en) VALUES ('d', 'D', 'D');
      INSERT INTO users (id, username, name, name_en, department_id, title, avatar_color,
        password_hash) VALUES ('u-a', 'a', 'A', 'A', 'd', '', '#000', '!');
      INSERT INTO conversations (id, kind, title, created_at_ms, last_seq) VALUES ('g', 2, 'G', 1, 1);
      INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text, sent_at_ms)
        VALUES ('m1', 'g', 1, 'u-a', 'c1', 'hi', 2);`)

    expect(migrate(db, 13)).toBe(13)

    expect(db.prepare('SELECT text, notice FROM messages').get()).toEqual({
      text: 'hi',
      notice: null,
    })
    db.close()
  })

  it('refuses a database from a newer server instead of changing it', () => {
    const db = new Database(':memory:')
    const newer = MIGRATIONS[MIGRATIONS.length - 1]!.version + 1
    db.pragma(`user_version = ${newer}`)

    expect(() => migrate(db)).toThrow(/newer than this server/)
    expect(tableNames(db)).toEqual([])
    db.close()
  })
})
