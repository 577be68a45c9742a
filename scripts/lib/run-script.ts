// The frame of every script: logging level from TACK_LOG_LEVEL, and on failure one clear line
// instead of a stack trace (the log has the details), then whatever was started is stopped.
import { configureLogging, createLogger, type LogLevel } from '../../shared/logger'
import { shutDown } from './shutdown'

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Thrown for a mistake the user can fix; printed as is, without a stack. */
export class UsageError extends Error {}

export function configureScriptLogging(): void {
  const level = process.env.TACK_LOG_LEVEL
  if (level && !LOG_LEVELS.includes(level)) {
    throw new UsageError(`TACK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  }
  configureLogging({ level: (level as LogLevel | undefined) ?? 'info' })
}

export function runScript(main: () => Promise<void>): void {
  const log = createLogger('script')
  Promise.resolve()
    .then(() => {
      configureScriptLogging()
      return main()
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof UsageError)) log.error({ err: error }, 'script failed')
      const message = error instanceof Error ? error.message : String(error)
      process.stderr.write(`${message}\n`)
      await shutDown('failed', 1)
    })
}
