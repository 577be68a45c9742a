import { configureLogging, type LogLevel } from './shared/logger'

// Tests log nothing unless asked: TACK_LOG_LEVEL=debug npx vitest run …
configureLogging({ level: (process.env.TACK_LOG_LEVEL as LogLevel | undefined) ?? 'silent' })
