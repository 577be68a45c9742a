// Byte counts in the sentences people read (refusals, errors): "8 MiB", "3.5 GiB", "512 bytes".

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${UNITS[unit]}`
}

/** "4 GiB (4294967296 bytes)": the exact count beside the short one, so a limit missed by a byte reads as such. */
export function describeBytes(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`
}
