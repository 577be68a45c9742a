// npm run build:sdk: the dd SDK for micro-apps, as dist/sdk/dd.js and dist/sdk/dd.d.ts.
import { join } from 'node:path'
import { writeDdSdk } from '../sdk/build'
import { REPO_ROOT } from './lib/paths'
import { runScript } from './lib/run-script'

runScript(async () => {
  const outDir = join(REPO_ROOT, 'dist', 'sdk')
  await writeDdSdk(outDir)
  process.stdout.write(`dd SDK written to ${outDir}\n`)
})
