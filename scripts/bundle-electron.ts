// Bundles electron/main and electron/preload into dist/electron (see scripts/lib/bundle-electron.ts).
import { bundleElectron } from './lib/bundle-electron'
import { runScript } from './lib/run-script'

runScript(async () => {
  const bundles = await bundleElectron()
  process.stdout.write(
    `Electron bundles written: ${bundles.main}, ${bundles.preload}, ${bundles.microAppPreload}\n`,
  )
})
