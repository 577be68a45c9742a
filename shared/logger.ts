// The one logger of every process: pino in Node, pino's browser build in the renderer.
// Messages read `what happened key=value`; secrets are redacted by key name.
import pino from 'pino'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

type LogMethod = (fieldsOrMessage: object | string, message?: string) => void

export interface Logger {
  trace: LogMethod
  debug: LogMethod
  info: LogMethod
  warn: LogMethod
  error: LogMethod
  fatal: LogMethod
}

const REDACTED_KEYS = ['password', 'ticket', 'token', 'key', 'text', 'secret', 'authorization']

function makeRoot(level: LogLevel, destination?: pino.DestinationStream): pino.Logger {
  const settings: pino.LoggerOptions = {
    level,
    redact: {
      paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`)],
      censor: '[redacted]',
    },
  }
  return destination ? pino(settings, destination) : pino(settings)
}

let root = makeRoot('info')
let generation = 0

/** Replaces the root logger: sets the level from the environment, or captures output in tests. */
export function configureLogging(options: {
  level?: LogLevel
  destination?: pino.DestinationStream
}): void {
  root = makeRoot(options.level ?? (root.level as LogLevel), options.destination)
  generation += 1
}

/** A logger for one area of the code, e.g. createLogger('sync'). Follows configureLogging. */
export function createLogger(scope: string, bindings: Record<string, unknown> = {}): Logger {
  let child = root.child({ scope, ...bindings })
  let childGeneration = generation
  const current = (): pino.Logger => {
    if (childGeneration !== generation) {
      child = root.child({ scope, ...bindings })
      childGeneration = generation
    }
    return child
  }
  const method =
    (level: Exclude<LogLevel, 'silent'>): LogMethod =>
    (fieldsOrMessage, message) => {
      if (typeof fieldsOrMessage === 'string') current()[level](fieldsOrMessage)
      else current()[level](fieldsOrMessage, message)
    }
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
  }
}
