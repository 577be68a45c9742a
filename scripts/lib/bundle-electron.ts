// Bundles the Electron main process and the app window's preload with esbuild. The preload runs
// sandboxed, where require() knows only 'electron' and a few built-ins, so it must be one file;
// the main process keeps node_modules external (native modules such as SQLCipher stay loadable,
// and electron-builder ships the production dependencies beside it).
import { join } from 'node:path'
import { build } from 'esbuild'
import {
  ELECTRON_OUT_DIR,
  MAIN_BUNDLE,
  MICROAPP_PRELOAD_BUNDLE,
  PRELOAD_BUNDLE,
} from '../../electron/main/bundle-layout'
import { REPO_ROOT } from './paths'

/** Electron 45 ships Node 22 and Chromium 140. */
const NODE_TARGET = 'node22'
const CHROME_TARGET = 'chrome140'

export interface ElectronBundles {
  main: string
  preload: string
  microAppPreload: string
}

export async function bundleElectron(): Promise<ElectronBundles> {
  const outDir = join(REPO_ROOT, ELECTRON_OUT_DIR)
  const bundles = {
    main: join(outDir, MAIN_BUNDLE),
    preload: join(outDir, PRELOAD_BUNDLE),
    microAppPreload: join(outDir, MICROAPP_PRELOAD_BUNDLE),
  }

  await Promise.all([
    build({
      entryPoints: [join(REPO_ROOT, 'electron/main/index.ts')],
      outfile: bundles.main,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: NODE_TARGET,
      packages: 'external',
      sourcemap: true,
      logLevel: 'warning',
    }),
    buildPreload('electron/preload/index.ts', bundles.preload),
    buildPreload('electron/preload/microapp.ts', bundles.microAppPreload),
  ])
  return bundles
}

/** A sandboxed preload: one file, only 'electron' left to require(). */
async function buildPreload(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: CHROME_TARGET,
    external: ['electron'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  })
}
