// npm start: the local server and the desktop app. Where Electron cannot run (no binary and no
// way to download it, no display), says so in one line and serves the same app in browser mode.
import { runBrowserMode } from './lib/browser-mode'
import { findElectron } from './lib/electron-binary'
import { runElectron } from './lib/electron-mode'
import { parseTackOptions, USAGE } from './lib/options'
import { runScript } from './lib/run-script'
import { provideServer } from './lib/server-link'

runScript(async () => {
  const options = parseTackOptions(process.argv.slice(2))
  if (options.help) {
    process.stdout.write(`npm start [-- options]: Tack with its local server\n${USAGE}`)
    return
  }

  const server = await provideServer(options.server)

  const electron = await findElectron()
  const outcome = electron.available
    ? await runElectron(electron.binary, server)
    : { started: false as const, reason: electron.reason }
  if (outcome.started) return

  process.stdout.write(`${outcome.reason}; serving Tack in browser mode instead.\n`)
  await runBrowserMode(options, server)
})
