// Finding messages and contacts. Messages: the trigram full-text index finds any substring of
// three or more characters (Chinese included, where words are not split by spaces) in a
// message's text or in the name of its file or image; shorter terms, which trigrams cannot
// index, are matched with LIKE over the most recent messages only.
// Contacts: name, English name, username, full pinyin and pinyin initials.
import { normalizeContactQuery } from './contact-keys'
import type { SqlExecutor, SqlValue } from './sql-database'

/** How many of the newest messages a query of only one- or two-character terms looks through. */
export const SHORT_QUERY_WINDOW = 50_000

const TRIGRAM = 3

/**
 * The name a message is found by: its file's or image's, '' for none, for a voice recording (its
 * name is made up, voice-<time>.webm) and once recalled. `m` is the message row.
 */
function searchableName(m: string): string {
  return `CASE WHEN ${m}.recalled THEN '' ELSE coalesce((SELECT a.name FROM attachments a
    WHERE a.sender_id = ${m}.sender_id AND a.client_message_id = ${m}.client_message_id
      AND a.kind <> 'voice'), '') END`
}

/** Indexes again the message (if it is here) of the attachment row `a` (NEW or OLD). */
function reindexMessageOf(a: string): string {
  const message = `sender_id = ${a}.sender_id AND client_message_id = ${a}.client_message_id`
  return `
    DELETE FROM messages_fts WHERE rowid IN (SELECT local_id FROM messages WHERE ${message});
    INSERT INTO messages_fts (rowid, text, name)
      SELECT m.local_id, m.text, ${searchableName('m')} FROM messages m WHERE ${message};`
}

/**
 * Migration 9. Each message's row in messages_fts holds its text and the searchable name of its
 * attachment. The index keeps no copy of either (contentless) and a row is deleted by its rowid
 * alone, so no trigger has to know what was indexed before. A message inserted by sync finds
 * its attachment already there (attachments go first, store/attachments.ts); my own message's
 * attachment comes after it, in the same transaction, and its trigger indexes the message again.
 * The trigger work runs inside the packet's statement: no statement is added per row.
 */
export const FILE_NAME_SEARCH_MIGRATION_SQL = `
  DROP TRIGGER messages_fts_insert;
  DROP TRIGGER messages_fts_delete;
  DROP TRIGGER messages_fts_update;
  DROP TABLE messages_fts;
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, name, content = '', contentless_delete = 1, tokenize = 'trigram'
  );

  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text, name)
      VALUES (new.local_id, new.text, ${searchableName('new')});
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = old.local_id;
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, recalled ON messages
    WHEN old.text IS NOT new.text OR old.recalled IS NOT new.recalled BEGIN
    DELETE FROM messages_fts WHERE rowid = old.local_id;
    INSERT INTO messages_fts (rowid, text, name)
      VALUES (new.local_id, new.text, ${searchableName('new')});
  END;

  CREATE TRIGGER attachments_fts_insert AFTER INSERT ON attachments
    WHEN new.kind <> 'voice' BEGIN ${reindexMessageOf('new')}
  END;
  CREATE TRIGGER attachments_fts_delete AFTER DELETE ON attachments
    WHEN old.kind <> 'voice' BEGIN ${reindexMessageOf('old')}
  END;
  CREATE TRIGGER attachments_fts_update AFTER UPDATE OF name, kind ON attachments BEGIN
    ${reindexMessageOf('new')}
  END;

  INSERT INTO messages_fts (rowid, text, name)
    SELECT m.local_id, m.text, ${searchableName('m')} FROM messages m;
`

export interface MessageSearchPlan {
  /** An FTS5 MATCH expression over the long terms, or null when every term is short. */
  match: string | null
  /** LIKE patterns of the short terms, each to be found too. */
  likes: string[]
}

export function planMessageSearch(query: string): MessageSearchPlan {
  const terms = query.trim().split(/\s+/).filter(Boolean)
  const long = terms.filter((term) => [...term].length >= TRIGRAM)
  const short = terms.filter((term) => [...term].length < TRIGRAM)
  return {
    // Each long term is a quoted phrase: FTS5 syntax in what people type stays plain text.
    match: long.length > 0 ? long.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ') : null,
    likes: short.map((term) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
  }
}

/** local_ids of matching messages, newest first. */
export async function findMessageIds(
  db: SqlExecutor,
  query: string,
  limit: number,
): Promise<number[]> {
  const plan = planMessageSearch(query)
  const like = "LIKE ? ESCAPE '\\'"
  // A short term is found in the text or in the file's name; the name is looked up only for
  // messages whose text lacks it.
  const inTextOrName = (name: string) =>
    plan.likes.map(() => ` AND (m.text ${like} OR ${name} ${like})`).join('')
  const twice = plan.likes.flatMap((term) => [term, term])
  let rows: { local_id: number }[]
  if (plan.match) {
    rows = await db.all<{ local_id: number }>(
      `SELECT m.local_id FROM messages_fts f JOIN messages m ON m.local_id = f.rowid
       WHERE messages_fts MATCH ?${inTextOrName(searchableName('m'))}
       ORDER BY f.rowid DESC LIMIT ?`,
      [plan.match, ...twice, limit],
    )
  } else {
    // Every term short: the newest messages whose text has them all, and those of them whose
    // file's name has at least one. Each part stops at `limit` on its own, so a common character
    // reads no further than before. CROSS JOIN keeps attachments the outer loop: the
    // attachments are read once rather than one looked up for each of the newest messages.
    rows = await db.all<{ local_id: number }>(
      `SELECT local_id FROM (
         SELECT m.local_id FROM (
           SELECT local_id, text FROM messages ORDER BY local_id DESC LIMIT ?) m
         WHERE true${plan.likes.map(() => ` AND m.text ${like}`).join('')}
         ORDER BY m.local_id DESC LIMIT ?)
       UNION
       SELECT local_id FROM (
         SELECT m.local_id FROM attachments a
           CROSS JOIN messages m
             ON m.sender_id = a.sender_id AND m.client_message_id = a.client_message_id
         WHERE a.kind <> 'voice' AND (${plan.likes.map(() => `a.name ${like}`).join(' OR ')})
           AND m.recalled = 0${inTextOrName('a.name')}
           AND m.local_id > coalesce(
             (SELECT local_id FROM messages ORDER BY local_id DESC LIMIT 1 OFFSET ?), 0)
         ORDER BY m.local_id DESC LIMIT ?)
       ORDER BY 1 DESC LIMIT ?`,
      [
        SHORT_QUERY_WINDOW,
        ...plan.likes,
        limit,
        ...plan.likes,
        ...twice,
        SHORT_QUERY_WINDOW,
        limit,
        limit,
      ],
    )
  }
  return rows.map((row) => row.local_id)
}

/** ids of matching contacts, best first: exact, then prefix, then anywhere in a key. */
export async function findContactIds(
  db: SqlExecutor,
  query: string,
  limit: number,
): Promise<string[]> {
  const plain = query.trim().toLowerCase()
  const compact = normalizeContactQuery(query)
  if (!compact) return []
  const keys = ['name', 'lower(name_en)', 'username', 'pinyin_full', 'pinyin_initials']
  const escape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)
  const anyKey = (op: string) => keys.map((k) => `${k} ${op}`).join(' OR ')
  const params: SqlValue[] = [
    ...keys.map(() => plain),
    ...keys.map(() => `${escape(compact)}%`),
    ...keys.map(() => `%${escape(compact)}%`),
    ...keys.map(() => `%${escape(plain)}%`),
    limit,
  ]
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM (
       SELECT id, name_en, CASE WHEN ${anyKey('= ?')} THEN 0
         WHEN ${anyKey("LIKE ? ESCAPE '\\'")} THEN 1 ELSE 2 END AS rank,
         (${anyKey("LIKE ? ESCAPE '\\'")}) OR (${anyKey("LIKE ? ESCAPE '\\'")}) AS found
       FROM contacts)
     WHERE found ORDER BY rank, name_en LIMIT ?`,
    params,
  )
  return rows.map((row) => row.id)
}
