// The server's command line: `tsx server/main.ts --data DIR --port N --host H`.
// Logging level from TACK_LOG_LEVEL (fatal, error, warn, info, debug, trace, silent).
import { parseArgs } from 'node:util'
import { configureLogging, createLogger, type LogLevel } from '../shared/logger'
import { startServer } from './server'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const log = createLogger('server')

const USAGE =
  'usage: tsx server/main.ts [--data DIR] [--port N] [--host H] [--open-api-port N] [--upload-port N] [--max-upload-bytes N] [--demo-microapp-url URL] [--auth-code-lifetime-ms N] [--keep-sync-items N] [--keep-sync-days D]'

/** A mistake on the command line or in the environment: told plainly, without a stack. */
class UsageError extends Error {}

async function main(): Promise<void> {
  configureLogging({ level: logLevelFromEnvironment() })
  const args = parseCommandLine()

  const server = await startServer({
    dataDir: args.data,
    host: args.host,
    port: args.port,
    openApiPort: args.openApiPort,
    uploadPort: args.uploadPort,
    maxUploadBytes: args.maxUploadBytes,
    demoMicroAppUrl: args.demoMicroAppUrl,
    authCodeLifetimeMs: args.authCodeLifetimeMs,
    syncRetention: args.syncRetention,
  })
  process.stdout.write(`Tack open platform on ${server.openApiUrl}\n`)
  process.stdout.write(`Tack uploads on ${server.uploadUrl}\n`)
  process.stdout.write(`Tack server listening on ${server.address} (trust CA: ${server.caPath})\n`)

  stopOnSignals(server.close)
}

interface CommandLine {
  data: string
  host: string
  port: number
  openApiPort: number
  uploadPort: number
  maxUploadBytes: number | undefined
  demoMicroAppUrl: string | undefined
  authCodeLifetimeMs: number | undefined
  /** Each user's newest N sync items and the ones younger than D days are kept; default all. */
  syncRetention: { keepItems?: number; keepMs?: number } | undefined
}

function parseCommandLine(): CommandLine {
  let values
  try {
    values = parseArgs({
      options: {
        data: { type: 'string', default: '.tack/server' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '7443' },
        'open-api-port': { type: 'string', default: '0' },
        'upload-port': { type: 'string', default: '0' },
        'max-upload-bytes': { type: 'string' },
        'demo-microapp-url': { type: 'string' },
        'auth-code-lifetime-ms': { type: 'string' },
        'keep-sync-items': { type: 'string' },
        'keep-sync-days': { type: 'string' },
      },
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  return {
    data: values.data,
    host: values.host,
    port: portOption('--port', values.port),
    openApiPort: portOption('--open-api-port', values['open-api-port']),
    uploadPort: portOption('--upload-port', values['upload-port']),
    maxUploadBytes: sizeOption('--max-upload-bytes', values['max-upload-bytes']),
    demoMicroAppUrl: values['demo-microapp-url'],
    authCodeLifetimeMs: values['auth-code-lifetime-ms']
      ? Number(values['auth-code-lifetime-ms'])
      : undefined,
    syncRetention: retentionOptions(values['keep-sync-items'], values['keep-sync-days']),
  }
}

function retentionOptions(
  items: string | undefined,
  days: string | undefined,
): CommandLine['syncRetention'] {
  if (items === undefined && days === undefined) return undefined
  const keepItems = items === undefined ? undefined : Number(items)
  const keepDays = days === undefined ? undefined : Number(days)
  if (keepItems !== undefined && (!Number.isSafeInteger(keepItems) || keepItems < 1)) {
    throw new UsageError(`--keep-sync-items must be a whole number above 0, not ${items}`)
  }
  if (keepDays !== undefined && !(keepDays > 0)) {
    throw new UsageError(`--keep-sync-days must be a number of days above 0, not ${days}`)
  }
  return {
    ...(keepItems === undefined ? {} : { keepItems }),
    ...(keepDays === undefined ? {} : { keepMs: keepDays * 86_400_000 }),
  }
}

function portOption(name: string, value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${name} must be a number from 0 to 65535, not ${value}`)
  }
  return port
}

function sizeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const bytes = Number(value)
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(`${name} must be a whole number of bytes above 0, not ${value}`)
  }
  return bytes
}

function logLevelFromEnvironment(): LogLevel {
  const level = process.env.TACK_LOG_LEVEL
  if (!level) return 'info'
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel
  throw new UsageError(`TACK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${level}`)
}

/** The first SIGINT or SIGTERM closes the server and lets the process end; a second exits at once. */
function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1)
    stopping = true
    log.info({ signal }, 'shutting down')
    close().catch((error: unknown) => {
      log.error({ err: error }, 'shutdown failed')
      process.exitCode = 1
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  log.fatal({ err: error }, 'server failed to start')
  process.exitCode = 1
})
