// A ClientCore for integration tests: its own profile folder under the test's folder, browser
// mode's key file store, trusting the test server's CA, with short timers.
import { join } from 'node:path'
import { ClientCore, type ClientCoreOptions } from '../../electron/core/client-core'
import { FileKeyStore } from '../../electron/core/store/key-store'
import type { TackServer } from '../../server/server'
import { until } from './wait'

/** Timers short enough for tests, long enough not to flap on a busy two-core machine. */
export const FAST_CONNECTION = {
  heartbeatMs: 2_000,
  requestTimeoutMs: 3_000,
  backoffBaseMs: 50,
  backoffCapMs: 300,
}

export function makeTestCore(
  dir: string,
  name: string,
  server: Pick<TackServer, 'address' | 'caPem'>,
  connection: ClientCoreOptions['connection'] = FAST_CONNECTION,
  uploads?: ClientCoreOptions['uploads'],
): ClientCore {
  const profileDir = join(dir, name)
  return new ClientCore({
    profileDir,
    keyStore: new FileKeyStore(join(profileDir, 'keys')),
    defaultServerAddress: server.address,
    trustedCaPem: server.caPem,
    device: { name, platform: 'test' },
    connection,
    uploads,
  })
}

/** Starts `core`, signs in as a demo account, and waits until the directory has arrived. */
export async function signInTestCore(
  core: ClientCore,
  serverAddress: string,
  username: string,
): Promise<ClientCore> {
  await core.start()
  await core.login({ serverAddress, username, password: 'demo1234' })
  await until(async () => (await core.listContacts()).people.length > 0, 'directory')
  return core
}
