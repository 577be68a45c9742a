// The keys contacts are found by besides their names: full pinyin ("wangaili") and pinyin
// initials ("wal"), from pinyin-pro. Surnames are read as surnames (单 is Shan, not Dan).
import { pinyin } from 'pinyin-pro'

export interface ContactSearchKeys {
  pinyinFull: string
  pinyinInitials: string
}

export function contactSearchKeys(name: string): ContactSearchKeys {
  const options = {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
  } as const
  const syllables = pinyin(name, options).map(asciiKey).filter(Boolean)
  const initials = pinyin(name, { ...options, pattern: 'first' })
    .map(asciiKey)
    .filter(Boolean)
  return { pinyinFull: syllables.join(''), pinyinInitials: initials.map((s) => s[0]).join('') }
}

/**
 * One entry per character of the name (code point): its pinyin for a Chinese character, lower
 * case and without tones, anything else lower-cased as itself. The renderer matches and
 * highlights names with these.
 */
export function pinyinSyllables(name: string): string[] {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' })
  const characters = Array.from(name)
  // pinyin-pro gives one entry per character; should it ever not, fall back to the characters.
  if (syllables.length !== characters.length) return characters.map((c) => c.toLowerCase())
  return syllables.map((syllable) => syllable.toLowerCase())
}

/** What a person types to find someone: lower case, spaces and punctuation dropped. */
export function normalizeContactQuery(query: string): string {
  return query.toLowerCase().replace(/[\s'’.·-]+/g, '')
}

function asciiKey(syllable: string): string {
  return syllable.toLowerCase().replace(/[^a-z0-9]/g, '')
}
