// Browser mode: the same ClientCore, served to a plain browser by the browser host over a
// WebSocket. What `npm run web` runs, and what `npm start` falls back to without Electron.
import { access } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { startBrowserHost } from '../../electron/browser-host/browser-host'
import { ClientCore } from '../../electron/core/client-core'
import { FileKeyStore } from '../../electron/core/store/key-store'
import type { TackOptions } from './options'
import { RENDERER_DIR } from './paths'
import { UsageError } from './run-script'
import type { ServerLink } from './server-link'
import { onShutdown } from './shutdown'

export async function runBrowserMode(options: TackOptions, server: ServerLink): Promise<void> {
  await assertRendererBuilt()

  const core = new ClientCore({
    profileDir: options.profileDir,
    keyStore: new FileKeyStore(join(options.profileDir, 'keys')),
    defaultServerAddress: server.address,
    trustedCaPem: server.caPem,
    device: { name: hostname(), platform: 'browser' },
  })
  await core.start()
  onShutdown('client core', () => core.close())

  const host = await startBrowserHost({ core, rendererDir: RENDERER_DIR, port: options.hostPort })
  onShutdown('browser host', () => host.close())

  process.stdout.write(`Tack is running in browser mode: ${host.url}\n`)
}

async function assertRendererBuilt(): Promise<void> {
  try {
    await access(join(RENDERER_DIR, 'index.html'))
  } catch {
    throw new UsageError(`no built renderer in ${RENDERER_DIR}: run \`npm run build:renderer\``)
  }
}
