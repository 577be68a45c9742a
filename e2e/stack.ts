// Starts real processes for an e2e test: the reference server (tsx server/main.ts) and browser-
// mode app hosts (tsx scripts/web.ts --no-server), each with its own data folder or profile,
// and reads the address or URL each prints when ready.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from '@playwright/test'

const ROOT = resolve(import.meta.dirname, '..')

interface Started {
  child: ChildProcess
  line: RegExpExecArray
}

export function startProcess(args: string[], ready: RegExp, label: string): Promise<Started> {
  // node --import tsx, not the tsx launcher: a signal then reaches the real process, never a
  // launcher whose child would outlive it.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, TACK_LOG_LEVEL: process.env.TACK_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${label} did not start within 60 s; output:\n${output}`))
    }, 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolveStart({ child, line: match })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with ${code} before it was ready; output:\n${output}`))
    })
  })
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

export class ServerProcess {
  private child: ChildProcess | null = null
  address = ''
  caPath = ''

  constructor(readonly dataDir: string) {}

  async start(port = 0): Promise<void> {
    const started = await startProcess(
      ['server/main.ts', '--data', this.dataDir, '--port', String(port)],
      /listening on (\S+) \(trust CA: (.+?)\)/,
      'server',
    )
    this.child = started.child
    this.address = started.line[1]!
    this.caPath = started.line[2]!
  }

  get port(): number {
    return Number(this.address.split(':').pop())
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child)
    this.child = null
  }
}

export class AppHost {
  private child: ChildProcess | null = null
  url = ''

  constructor(
    readonly profileDir: string,
    private readonly server: ServerProcess,
  ) {}

  async start(): Promise<void> {
    const started = await startProcess(
      [
        'scripts/web.ts',
        '--no-server',
        '--server',
        this.server.address,
        '--ca',
        this.server.caPath,
        '--profile',
        this.profileDir,
        '--port',
        '0',
      ],
      /browser mode: (http:\/\/\S+)/,
      'app host',
    )
    this.child = started.child
    this.url = started.line[1]!
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child)
    this.child = null
  }

  /** Every file of the account databases (main file, WAL, shared memory). */
  databaseFiles(): string[] {
    const dir = join(this.profileDir, 'accounts')
    return readdirSync(dir)
      .filter((name) => name.includes('.db'))
      .map((name) => join(dir, name))
  }

  databaseContains(text: string): boolean {
    return this.databaseFiles().some((file) => readFileSync(file).includes(Buffer.from(text)))
  }
}

export class Stack {
  readonly root = mkdtempSync(join(tmpdir(), 'tack-e2e-'))
  readonly server: ServerProcess
  private readonly hosts: AppHost[] = []

  /** `makeServer` swaps in a differently started server (see microapp-stack.ts). */
  constructor(makeServer = (dataDir: string) => new ServerProcess(dataDir)) {
    this.server = makeServer(join(this.root, 'server'))
  }

  async addHost(name: string): Promise<AppHost> {
    const host = new AppHost(join(this.root, name), this.server)
    await host.start()
    this.hosts.push(host)
    return host
  }

  async stop(): Promise<void> {
    for (const host of this.hosts) await host.stop()
    await this.server.stop()
    rmSync(this.root, { recursive: true, force: true })
  }
}

/**
 * Gives every test in the file a fresh stack whose server is running, stopped after the test.
 * Returns a getter for the current test's stack.
 */
export function useStack(): () => Stack {
  let stack: Stack | undefined
  test.beforeEach(async () => {
    stack = new Stack()
    await stack.server.start()
  })
  test.afterEach(async () => {
    await stack?.stop()
  })
  return () => {
    if (!stack) throw new Error('useStack: no stack outside a test')
    return stack
  }
}
