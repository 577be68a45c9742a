// npm run netsim -- PROFILE [options]: a fault proxy in front of a running Tack server, so the
// app can be tried on a weak network. Point the app's server address at the printed address.
// While it runs, type b (black hole), o (open the hole again), r (reset every connection) and
// Enter; Ctrl-C stops it.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { parseAddress } from '../electron/core/net/connection'
import { FaultProxy, PROFILES, isProfileName, type LinkFaults } from '../test/netsim/fault-proxy'
import { UsageError, runScript } from './lib/run-script'
import { onShutdown } from './lib/shutdown'

const USAGE = `npm run netsim -- PROFILE [options]
Profiles: ${Object.keys(PROFILES).join(', ')}
  --target HOST:PORT   the server to proxy (default: 127.0.0.1:7443)
  --port N             the proxy's port on 127.0.0.1 (default: any free port)
  --latency MS         one-way delay, overriding the profile's
  --jitter MS          extra random one-way delay, overriding the profile's
  --bandwidth BYTES/S  rate cap each way (0: none), overriding the profile's
  --cut-after BYTES    reset each connection after this many bytes
While running: b + Enter black-holes the path, o reopens it, r resets every connection.
`

const NUMBER_FLAGS = {
  latency: 'latencyMs',
  jitter: 'jitterMs',
  bandwidth: 'bandwidthBytesPerS',
  'cut-after': 'cutAfterBytes',
} as const

runScript(async () => {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      target: { type: 'string', default: '127.0.0.1:7443' },
      port: { type: 'string', default: '0' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      bandwidth: { type: 'string' },
      'cut-after': { type: 'string' },
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
  const listenPort = wholeNumber('--port', values.port)
  const faults: LinkFaults = { ...PROFILES[profile] }
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) {
    const value = values[flag as keyof typeof NUMBER_FLAGS]
    if (value !== undefined) faults[field] = wholeNumber(`--${flag}`, value)
  }

  const proxy = await FaultProxy.start({ target, listenPort, faults })
  onShutdown('fault proxy', () => proxy.close())
  process.stdout.write(
    `netsim '${profile}' listening on ${proxy.address} -> ${values.target}\n` +
      `${JSON.stringify(faults)}\n` +
      'b + Enter: black hole, o: reopen, r: reset every connection\n',
  )
  listenForCommands(proxy)
})

function wholeNumber(flag: string, text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) {
    throw new UsageError(`${flag} must be a whole number\n${USAGE}`)
  }
  return value
}

function listenForCommands(proxy: FaultProxy): void {
  if (!process.stdin.isTTY) return
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const command = line.trim()
    if (command === 'b') proxy.blackhole()
    else if (command === 'o') proxy.restore()
    else if (command === 'r') proxy.resetAll()
    else return
    process.stdout.write(
      `ok: ${command} (connections ${proxy.openConnections}, stats ${JSON.stringify(proxy.stats)})\n`,
    )
  })
}
