// Processes for the micro-app e2e: a reference server that registers the demo micro-app at a
// chosen port (with short-lived auth codes, so expiry can be seen), and the demo app's backend.
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { createServer } from 'node:net'
import { ServerProcess, startProcess, stopProcess } from './stack'

/** How long a free-login code lives in these tests: long enough to sign in, short to expire. */
export const TEST_AUTH_CODE_LIFETIME_MS = 4_000

export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
  const { port } = probe.address() as { port: number }
  await new Promise<void>((done) => probe.close(() => done()))
  return port
}

export class MicroAppServerProcess extends ServerProcess {
  openApiUrl = ''
  private process: ChildProcess | null = null

  constructor(
    dataDir: string,
    readonly demoUrl: string,
  ) {
    super(dataDir)
  }

  override async start(port = 0): Promise<void> {
    const started = await startProcess(
      [
        'server/main.ts',
        ...['--data', this.dataDir, '--port', String(port)],
        ...['--demo-microapp-url', this.demoUrl],
        ...['--auth-code-lifetime-ms', String(TEST_AUTH_CODE_LIFETIME_MS)],
      ],
      /Tack open platform on (\S+)\n[\s\S]*listening on (\S+) \(trust CA: (.+?)\)/,
      'server',
    )
    this.process = started.child
    this.openApiUrl = started.line[1]!
    this.address = started.line[2]!
    this.caPath = started.line[3]!
  }

  override async stop(): Promise<void> {
    if (this.process) await stopProcess(this.process)
    this.process = null
  }
}

export class DemoMicroAppProcess {
  private process: ChildProcess | null = null

  constructor(
    readonly port: number,
    private readonly server: MicroAppServerProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`
  }

  async start(): Promise<void> {
    const started = await startProcess(
      [
        'demo-microapp/server.ts',
        ...['--port', String(this.port)],
        ...['--open-api', this.server.openApiUrl, '--ca', this.server.caPath],
      ],
      /demo micro-app on (\S+)/,
      'demo micro-app',
    )
    this.process = started.child
  }

  /** What the app's backend answers when asked to sign in with `code`. */
  async login(code: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL('/api/login', this.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  /** Publishes the app's offline package at `version` through the open API, as a backend would. */
  async publishPackage(version: string): Promise<void> {
    const zip = Buffer.from(
      await (await fetch(new URL(`package.zip?version=${version}`, this.url))).arrayBuffer(),
    )
    const ca = readFileSync(this.server.caPath, 'utf8')
    const base = this.server.openApiUrl
    const token = await openApi(
      ca,
      'GET',
      `${base}/gettoken?appkey=demo-tasks-key&appsecret=demo-tasks-secret`,
    )
    const answer = await openApi(
      ca,
      'POST',
      `${base}/microapp/package?version=${version}&access_token=${String(token.access_token)}`,
      zip,
    )
    if (answer.errcode !== 0) throw new Error(`publish failed: ${String(answer.errmsg)}`)
  }

  async stop(): Promise<void> {
    if (this.process) await stopProcess(this.process)
    this.process = null
  }
}

function openApi(ca: string, method: string, url: string, body?: Buffer) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const outgoing = request(url, { method, ca }, (response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>))
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}
