// The server Tack talks to: the local reference server started here (port 7443, or any free port
// when that is taken), or a running one named with --no-server --server --ca.
import { readFile } from 'node:fs/promises'
import { createLogger } from '../../shared/logger'
import { startServer } from '../../server/server'
import type { ServerChoice } from './options'
import { UsageError } from './run-script'
import { onShutdown } from './shutdown'

const log = createLogger('server-link')

export interface ServerLink {
  /** host:port of the access layer. */
  address: string
  caPem: string
  caPath: string
}

export async function provideServer(choice: ServerChoice): Promise<ServerLink> {
  if (choice.kind === 'existing') {
    let caPem: string
    try {
      caPem = await readFile(choice.caPath, 'utf8')
    } catch {
      throw new UsageError(`cannot read the server's CA certificate at ${choice.caPath}`)
    }
    log.info({ address: choice.address }, 'using a running server')
    return { address: choice.address, caPem, caPath: choice.caPath }
  }

  const server = await startOnFreePort(choice)
  onShutdown('server', () => server.close())
  log.info({ address: server.address, dataDir: choice.dataDir }, 'local server started')
  return { address: server.address, caPem: server.caPem, caPath: server.caPath }
}

async function startOnFreePort(choice: Extract<ServerChoice, { kind: 'local' }>) {
  try {
    return await startServer({ dataDir: choice.dataDir, port: choice.port })
  } catch (error) {
    if (!isAddressInUse(error)) throw error
    if (choice.portIsExplicit) throw new UsageError(`port ${choice.port} is already in use`)
    log.info({ port: choice.port }, 'server port taken; using any free port')
    return startServer({ dataDir: choice.dataDir, port: 0 })
  }
}

function isAddressInUse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  return code === 'EADDRINUSE' || (typeof message === 'string' && message.includes('EADDRINUSE'))
}
