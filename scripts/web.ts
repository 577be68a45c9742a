// npm run web: the local server (or a running one) and browser mode; prints the URL to open.
import { runBrowserMode } from './lib/browser-mode'
import { parseTackOptions, USAGE } from './lib/options'
import { runScript } from './lib/run-script'
import { provideServer } from './lib/server-link'

runScript(async () => {
  const options = parseTackOptions(process.argv.slice(2))
  if (options.help) {
    process.stdout.write(`npm run web [-- options]: Tack in a browser\n${USAGE}`)
    return
  }

  const server = await provideServer(options.server)
  await runBrowserMode(options, server)
})
