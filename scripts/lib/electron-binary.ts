// Whether Electron can run here: its binary is present (or one short download attempt brings it),
// and the machine can show a window. Never require('electron') from Node: that downloads and
// throws when the binary is missing.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createLogger } from '../../shared/logger'

const log = createLogger('electron-binary')

const DOWNLOAD_TIMEOUT_MS = 30_000

export type ElectronAvailability =
  { available: true; binary: string } | { available: false; reason: string }

export async function findElectron(): Promise<ElectronAvailability> {
  const packageDir = electronPackageDir()
  if (!packageDir) return { available: false, reason: 'Electron is not installed' }

  if (!locateBinary(packageDir)) {
    const outcome = await downloadOnce(packageDir)
    if (!locateBinary(packageDir)) {
      return { available: false, reason: `Electron binary not available here (${outcome})` }
    }
  }
  return findInstalledElectron()
}

/**
 * Whether the Electron binary is already here and can open a window, without trying to
 * download it: what the Electron e2e suite asks before it runs or skips.
 */
export function findInstalledElectron(): ElectronAvailability {
  const packageDir = electronPackageDir()
  if (!packageDir) return { available: false, reason: 'the electron package is not installed' }

  const binary = locateBinary(packageDir)
  if (!binary) {
    return {
      available: false,
      reason:
        `the Electron binary is missing: ${expectedBinary(packageDir) ?? 'electron/dist'} does not ` +
        'exist (the electron package was installed without its download)',
    }
  }
  const blocker = displayBlocker()
  if (blocker) {
    return { available: false, reason: `Electron cannot open a window here (${blocker})` }
  }
  return { available: true, binary }
}

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
}

/** The executable named by electron/path.txt, where it exists, as electron/index.js finds it. */
function locateBinary(packageDir: string): string | null {
  const binary = expectedBinary(packageDir)
  return binary && existsSync(binary) ? binary : null
}

/** Where electron/index.js would look for the executable, or null without a path.txt. */
function expectedBinary(packageDir: string): string | null {
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist')
  try {
    return join(distDir, readFileSync(join(packageDir, 'path.txt'), 'utf8').trim())
  } catch {
    return join(distDir, process.platform === 'win32' ? 'electron.exe' : 'electron')
  }
}

/** Runs Electron's own installer once, with a time limit; says how it went. */
function downloadOnce(packageDir: string): Promise<string> {
  log.info({ timeoutMs: DOWNLOAD_TIMEOUT_MS }, 'electron binary missing; trying its download once')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)

    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve('download timed out')
    }, DOWNLOAD_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve(`download failed: ${error.message}`)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      log.debug({ code, output }, 'electron installer finished')
      resolve(code === 0 ? 'download finished without a binary' : 'download failed')
    })
  })
}

/** Why Electron could not show a window on this machine, or null. */
function displayBlocker(): string | null {
  if (process.platform !== 'linux') return null
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display'
  // Chromium refuses to run as root unless its sandbox is switched off, which Tack never does.
  if (process.getuid?.() === 0) return 'running as root'
  return null
}
