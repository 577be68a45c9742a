// Times as the conversation list and messages show them, in the UI's language.

// Making an Intl.DateTimeFormat costs far more than formatting with one, and a scrolling list
// formats a time for every row it brings into view: each locale and set of options makes one.
const dateFormats = new Map<string, Intl.DateTimeFormat>()

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`
  let format = dateFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options)
    dateFormats.set(key, format)
  }
  return format
}

/** Today: the time of day; this year: month and day; else the full date. */
export function formatListTime(at: number, now: number, locale: string): string {
  const date = new Date(at)
  const today = new Date(now)
  if (date.toDateString() === today.toDateString()) return formatClock(at, locale)
  const options: Intl.DateTimeFormatOptions =
    date.getFullYear() === today.getFullYear()
      ? { month: 'short', day: 'numeric' }
      : { year: 'numeric', month: 'short', day: 'numeric' }
  return dateFormat(locale, options).format(date)
}

export function formatClock(at: number, locale: string): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at)
}

/** Whole seconds left until `at`, never below zero. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/** Whether two times fall on the same local calendar day. */
export function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString()
}

/** A day separator's label: "today" / "yesterday" (given in the UI's words), else the date. */
export function formatDay(
  at: number,
  now: number,
  locale: string,
  words: { today: string; yesterday: string },
): string {
  if (sameDay(at, now)) return words.today
  const yesterday = new Date(now)
  yesterday.setDate(yesterday.getDate() - 1)
  if (sameDay(at, yesterday.getTime())) return words.yesterday
  const thisYear = new Date(at).getFullYear() === new Date(now).getFullYear()
  return dateFormat(locale, {
    ...(thisYear ? {} : { year: 'numeric' }),
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(at)
}
