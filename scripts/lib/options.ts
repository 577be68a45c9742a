// The flags `npm start` and `npm run web` share. Paths given on the command line are taken from
// the current folder; the defaults live under .tack/ in the project.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_PROFILE_DIR, DEFAULT_SERVER_DATA_DIR, DEFAULT_SERVER_PORT } from './paths'
import { UsageError } from './run-script'

export const USAGE = `Options:
  --port N          browser mode's page port (default: any free port)
  --profile DIR     browser mode's client profile (default: .tack/profile)
  --server-port N   the local server's port (default: 7443, or any free port if taken)
  --data DIR        the local server's data folder (default: .tack/server)
  --no-server --server HOST:PORT --ca PATH
                    use a running server instead of starting one
  --help            show this
Environment: TACK_LOG_LEVEL=fatal|error|warn|info|debug|trace|silent
`

export type ServerChoice =
  | { kind: 'local'; dataDir: string; port: number; portIsExplicit: boolean }
  | { kind: 'existing'; address: string; caPath: string }

export interface TackOptions {
  help: boolean
  server: ServerChoice
  profileDir: string
  /** Browser mode's page port; undefined lets the host pick. */
  hostPort: number | undefined
}

export function parseTackOptions(args: readonly string[]): TackOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        profile: { type: 'string' },
        'server-port': { type: 'string' },
        data: { type: 'string' },
        'no-server': { type: 'boolean' },
        server: { type: 'string' },
        ca: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`)
  }

  return {
    help: values.help ?? false,
    server: serverChoice(values),
    profileDir: values.profile ? resolve(values.profile) : DEFAULT_PROFILE_DIR,
    hostPort: values.port === undefined ? undefined : port('--port', values.port),
  }
}

function serverChoice(values: {
  'no-server'?: boolean
  server?: string
  ca?: string
  data?: string
  'server-port'?: string
}): ServerChoice {
  if (values['no-server']) {
    if (!values.server || !values.ca) {
      throw new UsageError('--no-server needs --server HOST:PORT and --ca PATH of that server')
    }
    if (values.data || values['server-port']) {
      throw new UsageError('--data and --server-port are for the local server; drop --no-server')
    }
    return { kind: 'existing', address: values.server, caPath: resolve(values.ca) }
  }
  if (values.server || values.ca) {
    throw new UsageError('--server and --ca attach to a running server: add --no-server')
  }
  const explicit = values['server-port']
  return {
    kind: 'local',
    dataDir: values.data ? resolve(values.data) : DEFAULT_SERVER_DATA_DIR,
    port: explicit === undefined ? DEFAULT_SERVER_PORT : port('--server-port', explicit),
    portIsExplicit: explicit !== undefined,
  }
}

function port(flag: string, text: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value > 65_535) {
    throw new UsageError(`${flag} expects a port number from 0 to 65535, got ${text}`)
  }
  return value
}
