// Runs the desktop app: bundles electron/main and the preload, then starts the Electron binary
// with the server's address and CA in its environment. When Electron dies at once (missing system
// libraries, a sandbox it cannot set up), says why, so the caller can fall back to browser mode.
import { spawn, type ChildProcess } from 'node:child_process'
import { createLogger } from '../../shared/logger'
import { bundleElectron } from './bundle-electron'
import type { ServerLink } from './server-link'
import { onShutdown, shutDown } from './shutdown'

const log = createLogger('electron-mode')

/** How long Electron must stay up before it counts as started. */
const START_GRACE_MS = 5_000

export type ElectronOutcome = { started: true } | { started: false; reason: string }

export async function runElectron(binary: string, server: ServerLink): Promise<ElectronOutcome> {
  const bundles = await bundleElectron()

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TACK_SERVER_ADDRESS: server.address,
    TACK_CA_PATH: server.caPath,
  }
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(binary, [bundles.main], { stdio: 'inherit', env })

  const early = await exitWithin(child, START_GRACE_MS)
  if (early && early.code !== 0) {
    return { started: false, reason: `Electron could not start here (${early.description})` }
  }
  if (early) {
    await shutDown('electron exited')
    return { started: true }
  }

  onShutdown('electron', () => stop(child))
  child.on('exit', (code) => void shutDown('electron exited', code ?? 0))
  process.stdout.write(`Tack is running in Electron, talking to the server at ${server.address}.\n`)
  return { started: true }
}

interface Exit {
  code: number | null
  description: string
}

/** Resolves with how the child ended if it ends within `ms`, else null (still running). */
function exitWithin(child: ChildProcess, ms: number): Promise<Exit | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve(null)
    }, ms)
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, description: signal ? `signal ${signal}` : `exit code ${code}` })
    }
    child.once('exit', onExit)
    child.once('error', (error) => {
      clearTimeout(timer)
      child.off('exit', onExit)
      resolve({ code: 1, description: error.message })
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  log.info('closing electron')
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
