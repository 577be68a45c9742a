// Finds web links in message text. Only http(s) URLs become links; everything else (javascript:,
// file:, tack:, markup) stays plain text, and all of it is rendered as text, never as HTML.

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

// A link ends at whitespace, quotes, angle brackets, or CJK text and full-width punctuation.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/gi
// Punctuation that ends a sentence around a link rather than belonging to it.
const TRAILING = /[.,;:!?)\]}'"»。，、；：！？）】》]+$/u

/** The text split into plain runs and http(s) links, in order; joined, they give the text back. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let at = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const candidate = match[0].replace(TRAILING, '')
    const href = webHref(candidate)
    if (!href) continue
    const start = match.index
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) })
    parts.push({ kind: 'link', text: candidate, href })
    at = start + candidate.length
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) })
  return parts
}

/** The normalised URL when it parses as http or https, else null. */
export function webHref(candidate: string): string | null {
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return null
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
}
