// Counts as the UI's language writes them.
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}
