// Draws the installer icons into build/ (see scripts/lib/electron-icons.ts). The files are
// committed; run this again after changing electron/main/icon-image.ts.
import { join } from 'node:path'
import { writeIcons } from './lib/electron-icons'
import { REPO_ROOT } from './lib/paths'
import { runScript } from './lib/run-script'

runScript(async () => {
  const files = await writeIcons(join(REPO_ROOT, 'build'))
  process.stdout.write(`Icons written: ${files.png}, ${files.ico}, ${files.icns}\n`)
})
