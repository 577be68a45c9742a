// Child processes for tests that kill for real: a script run by Node with tsx loaded, its stdout
// read line by line.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export interface RunningChild {
  child: ChildProcess
  /** The signal that ended it, or its exit code. */
  exited: Promise<NodeJS.Signals | number | null>
  /** Everything it printed so far, stdout and stderr. */
  output: () => string
}

/**
 * Starts `script` in its own Node process, calling `onLine` for each line it prints. Node itself
 * loads tsx (not the tsx launcher, whose child would outlive a SIGKILL sent to the launcher).
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  onLine: (line: string, child: ChildProcess) => void,
): RunningChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let pending = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop()!
    for (const line of lines) onLine(line, child)
  })
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<NodeJS.Signals | number | null>((done) =>
    child.once('exit', (code, signal) => done(signal ?? code)),
  )
  return { child, exited, output: () => output }
}
