import { scaleBytes } from '../../../shared/format-bytes'

// Counts as the UI's language writes them.
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}

/**
 * A size in the UI's language, in the binary units the core's and server's sentences use, so a
 * file card ("2.1 MiB") and a refusal ("the server accepts files up to 2 MiB") agree: "4.2 MiB".
 */
export function formatBytes(bytes: number, locale: string): string {
  const { value, unit } = scaleBytes(Math.max(0, bytes))
  if (unit === 'bytes') {
    // "12 bytes" and "12字节" read better than the short "12 byte".
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'byte',
      unitDisplay: 'long',
    }).format(value)
  }
  // KiB, MiB: the same symbols in every language (Intl knows only the decimal kB, MB).
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} ${unit}`
}
