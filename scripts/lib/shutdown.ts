// Clean shutdown on Ctrl-C or SIGTERM: run the steps in order (each may fail or time out without
// stopping the rest), then exit. A second signal exits at once.
import { createLogger } from '../../shared/logger'

const log = createLogger('shutdown')

export interface ShutdownStep {
  name: string
  run: () => Promise<void>
}

const STEP_TIMEOUT_MS = 10_000

const steps: ShutdownStep[] = []
let installed = false
let stopping = false

/** Adds a step; steps run last-added first, so what started last stops first. */
export function onShutdown(name: string, run: () => Promise<void>): void {
  steps.unshift({ name, run })
  if (installed) return
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void shutDown(signal))
  }
}

/** Runs every step once; exits with `code` afterwards when given. */
export async function shutDown(reason: string, code = 0): Promise<void> {
  if (stopping) {
    log.warn({ reason }, 'second stop request: exiting now')
    process.exit(1)
  }
  stopping = true
  if (steps.length > 0) log.info({ reason }, 'shutting down')
  for (const step of steps) {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS)
    })
    try {
      await Promise.race([step.run(), timeout])
    } catch (error) {
      log.warn({ err: error, step: step.name }, 'shutdown step failed')
    } finally {
      clearTimeout(timer)
    }
  }
  process.exit(code)
}
