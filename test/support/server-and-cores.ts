// Per test: a fresh folder with a real server started in it, and client cores made beside it;
// every core and the server are closed and the folder removed after the test.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { startServer, type ServerOptions, type TackServer } from '../../server/server'
import { makeTestCore, signInTestCore } from './cores'

export interface ServerAndCores {
  readonly dir: string
  readonly server: TackServer
  /** A core with its own profile folder `name`, closed after the test. */
  makeCore(name: string): ClientCore
  /** A new core signed in as the demo account `username`, with its directory loaded. */
  signedIn(name: string, username: string): Promise<ClientCore>
}

export function useServerAndCores(
  prefix: string,
  options: Omit<ServerOptions, 'dataDir'> = {},
): ServerAndCores {
  let dir = ''
  let server: TackServer | undefined
  const cores: ClientCore[] = []

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    server = await startServer({ dataDir: join(dir, 'server'), ...options })
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const context: ServerAndCores = {
    get dir() {
      return dir
    },
    get server() {
      if (!server) throw new Error('useServerAndCores: no server outside a test')
      return server
    },
    makeCore(name) {
      const core = makeTestCore(dir, name, context.server)
      cores.push(core)
      return core
    },
    signedIn(name, username) {
      return signInTestCore(context.makeCore(name), context.server.address, username)
    },
  }
  return context
}
