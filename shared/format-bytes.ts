// Byte counts in the sentences people read (refusals, errors): "8 MiB", "3.5 GiB", "512 bytes".
// The page writes sizes in the same binary units, in its language (renderer/src/format/number.ts).

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/**
 * A byte count in the largest binary unit it fills: 1536 is 1.5 KiB. Every size a person reads
 * uses these units, the page's (in its language) and the sentences of core and server alike, so
 * a file card and the limit it broke can be compared.
 */
export function scaleBytes(bytes: number): { value: number; unit: (typeof UNITS)[number] } {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return { value, unit: UNITS[unit]! }
}

export function formatBytes(bytes: number): string {
  const { value, unit } = scaleBytes(bytes)
  return unit === 'bytes' ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${unit}`
}

/** "4 GiB (4294967296 bytes)": the exact count beside the short one, so a limit missed by a byte reads as such. */
export function describeBytes(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`
}
