// Finding messages and contacts. Messages: the trigram full-text index finds any substring of
// three or more characters (Chinese included, where words are not split by spaces); shorter
// terms, which trigrams cannot index, are matched with LIKE over the most recent messages only.
// Contacts: name, English name, username, full pinyin and pinyin initials.
import { normalizeContactQuery } from './contact-keys'
import type { SqlExecutor, SqlValue } from './sql-database'

/** How many of the newest messages a query of only one- or two-character terms looks through. */
export const SHORT_QUERY_WINDOW = 50_000

const TRIGRAM = 3

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
  const likeClause = plan.likes.map(() => " AND m.text LIKE ? ESCAPE '\\'").join('')
  let rows: { local_id: number }[]
  if (plan.match) {
    rows = await db.all<{ local_id: number }>(
      `SELECT m.local_id FROM messages_fts f JOIN messages m ON m.local_id = f.rowid
       WHERE messages_fts MATCH ?${likeClause} ORDER BY f.rowid DESC LIMIT ?`,
      [plan.match, ...plan.likes, limit],
    )
  } else {
    rows = await db.all<{ local_id: number }>(
      `SELECT m.local_id FROM (SELECT local_id, text FROM messages ORDER BY local_id DESC LIMIT ?) m
       WHERE true${likeClause} ORDER BY m.local_id DESC LIMIT ?`,
      [SHORT_QUERY_WINDOW, ...plan.likes, limit],
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
