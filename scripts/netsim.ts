// npm run netsim -- PROFILE [--target HOST:PORT] [--port N]: a fault proxy in front of a running
// Tack server, so the app can be tried on a weak network. Point the app's server address at the
// printed address; Ctrl-C stops it.
import { parseArgs } from 'node:util'
import { parseAddress } from '../electron/core/net/connection'
import { FaultProxy, PROFILES, isProfileName } from '../test/netsim/fault-proxy'
import { UsageError, runScript } from './lib/run-script'
import { onShutdown } from './lib/shutdown'

const USAGE = `npm run netsim -- PROFILE [--target HOST:PORT] [--port N]
Profiles: ${Object.keys(PROFILES).join(', ')}
  --target HOST:PORT  the server to proxy (default: 127.0.0.1:7443)
  --port N            the proxy's port on 127.0.0.1 (default: any free port)
`

runScript(async () => {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      target: { type: 'string', default: '127.0.0.1:7443' },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }
  const profile = positionals[0] ?? ''
  if (!isProfileName(profile)) throw new UsageError(`unknown profile '${profile}'\n${USAGE}`)
  const target = parseAddress(values.target)
  const listenPort = Number(values.port)
  if (!Number.isInteger(listenPort) || listenPort < 0 || listenPort > 65535) {
    throw new UsageError(`--port must be a port number\n${USAGE}`)
  }

  const proxy = await FaultProxy.start({ target, listenPort, faults: PROFILES[profile] })
  onShutdown('fault proxy', () => proxy.close())
  process.stdout.write(
    `netsim '${profile}' listening on ${proxy.address} -> ${values.target}\n` +
      `${JSON.stringify(PROFILES[profile])}\n`,
  )
})
