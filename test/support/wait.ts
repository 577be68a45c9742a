// Polling for a condition in integration tests: the real core and server work asynchronously,
// so a test waits for what it expects, with a deadline that names what never came.

export interface WaitOptions {
  timeoutMs?: number
  intervalMs?: number
}

/** Resolves with the first truthy value `probe` gives; throws after the deadline. */
export async function until<T>(
  probe: () => Promise<T | undefined | false | null>,
  what: string,
  { timeoutMs = 10_000, intervalMs = 50 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
