// The demo micro-app's own backend: serves the page (with the dd SDK), signs dd.config with the
// app's jsapi ticket, turns a free-login code into the person through the open platform, keeps a
// task list in memory and tells each assignee through a work notification.
//   tsx demo-microapp/server.ts --open-api https://127.0.0.1:PORT --ca .tack/server/ca.pem
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { writeZip } from '../electron/core/jsapi/zip'
import { buildDdScript } from '../sdk/build'

interface Task {
  id: string
  title: string
  assigneeId: string
  assigneeName: string
  createdBy: string
  done: boolean
}

interface Settings {
  port: number
  openApi: string
  caPem: string
  agentId: string
  appKey: string
  appSecret: string
  packageVersion: string
  publishPackage: boolean
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self' 'unsafe-inline'" />
    <title>Tasks</title>
    <style>
      body { font: 14px system-ui, sans-serif; margin: 16px; }
      li { margin: 6px 0; } li button { margin-left: 8px; }
      #me { font-weight: 600; }
    </style>
  </head>
  <body>
    <p>Signed in as <span id="me">…</span></p>
    <p><input id="task-title" placeholder="New task" /> <button id="assign">Assign…</button></p>
    <ul id="tasks"></ul>
    <p id="status">starting</p>
    <script src="/dd.js"></script>
    <script src="/app.js"></script>
  </body>
</html>
`

/** The offline package's version; `--package-version` sets it. */
const PACKAGE_PAGE = PAGE.replace(
  '<script src="/dd.js"></script>',
  '<script src="config.js"></script>\n    <script src="dd.js"></script>',
)
  .replace('<script src="/app.js"></script>', '<script src="app.js"></script>')
  .replace("default-src 'self'", "default-src 'self'; connect-src 'self' http://127.0.0.1:*")

/**
 * Pages of offline packages run at http://<agentId>.localhost:<port>/ in browser mode and at
 * tack-app://<agentId> under Electron.
 */
const PACKAGE_ORIGIN = /^(http:\/\/[a-z0-9-]+\.localhost:\d+|tack-app:\/\/[a-z0-9-]+)$/

const tasks: Task[] = []
const sessions = new Map<string, { userid: string; name: string }>()
let accessToken: { token: string; expiresAt: number } | null = null

async function main(): Promise<void> {
  const settings = await readSettings()
  const assets = { '/dd.js': await buildDdScript(), '/app.js': await buildPage() }
  const packageZip = (version: string) => buildPackage(settings, assets, version)

  const server = createServer((req, res) => {
    allowPackageOrigin(req, res)
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const url = new URL(req.url ?? '/', 'http://placeholder')
    if (req.method === 'GET' && url.pathname === '/package.zip') {
      const version = url.searchParams.get('version') ?? settings.packageVersion
      if (!/^\d+\.\d+\.\d+$/.test(version)) return json(res, 400, { error: 'bad version' })
      res.writeHead(200, { 'Content-Type': 'application/zip' })
      return void res.end(packageZip(version))
    }
    serve(settings, assets, req, res).catch((error: unknown) =>
      json(res, 500, { error: error instanceof Error ? error.message : String(error) }),
    )
  })
  await new Promise<void>((done) => server.listen(settings.port, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  if (settings.publishPackage) await publishPackage(settings, packageZip(settings.packageVersion))
  process.stdout.write(`demo micro-app on http://127.0.0.1:${port}/\n`)
  const stop = () => server.close(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function readSettings(): Promise<Settings> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '7480' },
      'open-api': { type: 'string', default: 'https://127.0.0.1:7444' },
      ca: { type: 'string', default: '.tack/server/ca.pem' },
      'agent-id': { type: 'string', default: 'demo-tasks' },
      'app-key': { type: 'string', default: 'demo-tasks-key' },
      'app-secret': { type: 'string', default: 'demo-tasks-secret' },
      'package-version': { type: 'string', default: '1.0.0' },
      'publish-package': { type: 'boolean', default: false },
    },
  })
  return {
    port: Number(values.port),
    openApi: values['open-api'],
    caPem: await readFile(values.ca, 'utf8'),
    agentId: values['agent-id'],
    appKey: values['app-key'],
    appSecret: values['app-secret'],
    packageVersion: values['package-version'],
    publishPackage: values['publish-package'],
  }
}

/** The same page as an offline package: a zip with manifest.json, talking to this backend. */
function buildPackage(settings: Settings, assets: Record<string, string>, version: string): Buffer {
  return writeZip({
    'manifest.json': JSON.stringify({
      agentId: settings.agentId,
      version,
      name: 'Tasks (offline)',
      entry: 'index.html',
    }),
    'index.html': PACKAGE_PAGE,
    'config.js': `window.DEMO_BACKEND = 'http://127.0.0.1:${settings.port}'\n`,
    'dd.js': assets['/dd.js']!,
    'app.js': assets['/app.js']!,
  })
}

/** CORS for the offline package's pages, which run on their own origin. */
function allowPackageOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin
  if (!origin || !PACKAGE_ORIGIN.test(origin)) return
  res.setHeader('Access-Control-Allow-Origin', origin)
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Session')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST')
  res.setHeader('Vary', 'Origin')
}

async function buildPage(): Promise<string> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, 'web', 'app.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
  })
  return result.outputFiles[0]!.text
}

async function serve(
  settings: Settings,
  assets: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://placeholder')
  const path = url.pathname
  if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    return void res.end(PAGE)
  }
  const asset = assets[path]
  if (req.method === 'GET' && asset) {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' })
    return void res.end(asset)
  }
  if (req.method === 'GET' && path === '/api/config') {
    return json(res, 200, await signConfig(settings, url.searchParams.get('url') ?? ''))
  }
  if (req.method === 'POST' && path === '/api/login') return login(settings, req, res)

  const user = sessions.get(String(req.headers['x-session'] ?? ''))
  if (!user) return json(res, 401, { error: 'sign in first' })
  if (req.method === 'GET' && path === '/api/tasks') return json(res, 200, { tasks })
  if (req.method === 'POST' && path === '/api/tasks') {
    const body = (await readBody(req)) as Partial<Task>
    if (!body.title || !body.assigneeId || !body.assigneeName) {
      return json(res, 400, { error: 'title and assignee are needed' })
    }
    const task: Task = {
      id: randomUUID(),
      title: String(body.title).slice(0, 200),
      assigneeId: String(body.assigneeId),
      assigneeName: String(body.assigneeName),
      createdBy: user.name,
      done: false,
    }
    tasks.push(task)
    await notifyAssignee(settings, task)
    return json(res, 200, { task })
  }
  const done = /^\/api\/tasks\/([\w-]+)\/done$/.exec(path)
  if (req.method === 'POST' && done) {
    const task = tasks.find((candidate) => candidate.id === done[1])
    if (!task) return json(res, 404, { error: 'no such task' })
    task.done = true
    return json(res, 200, { task })
  }
  json(res, 404, { error: 'not found' })
}

/** dd.config for the page at `url`: sha1 over the sorted ticket, nonce, timestamp and url. */
async function signConfig(settings: Settings, url: string) {
  const { ticket } = await openApi(settings, 'GET', '/get_jsapi_ticket')
  const nonceStr = randomBytes(8).toString('hex')
  const timeStamp = Date.now()
  const plain = `jsapi_ticket=${String(ticket)}&noncestr=${nonceStr}&timestamp=${timeStamp}&url=${url}`
  return {
    agentId: settings.agentId,
    corpId: 'tack',
    timeStamp,
    nonceStr,
    signature: createHash('sha1').update(plain).digest('hex'),
    jsApiList: ['biz.contact.choose', 'biz.util.openLink'],
  }
}

async function login(settings: Settings, req: IncomingMessage, res: ServerResponse) {
  const { code } = (await readBody(req)) as { code?: string }
  if (!code) return json(res, 400, { error: 'code is needed' })
  const answer = await openApi(
    settings,
    'GET',
    `/user/getuserinfo?code=${encodeURIComponent(code)}`,
  )
  if (answer.errcode !== 0) return json(res, 401, { error: String(answer.errmsg) })
  const user = { userid: String(answer.userid), name: String(answer.name) }
  const session = randomBytes(16).toString('hex')
  sessions.set(session, user)
  json(res, 200, { session, user })
}

/** Uploads the offline package to the open platform; clients install it by version. */
async function publishPackage(settings: Settings, zip: Buffer): Promise<void> {
  const answer = await openApi(
    settings,
    'POST',
    `/microapp/package?version=${settings.packageVersion}`,
    zip,
  )
  if (answer.errcode !== 0) throw new Error(`publishing the package: ${String(answer.errmsg)}`)
}

async function notifyAssignee(settings: Settings, task: Task): Promise<void> {
  await openApi(settings, 'POST', '/message/corpconversation/asyncsend_v2', {
    userid_list: task.assigneeId,
    msg: { msgtype: 'text', text: { content: `📋 ${task.createdBy} assigned you: ${task.title}` } },
  })
}

/** One open platform call with the app's access token (fetched again before it runs out). */
async function openApi(settings: Settings, method: string, path: string, body?: unknown) {
  if (!accessToken || accessToken.expiresAt < Date.now() + 60_000) {
    const query = `appkey=${settings.appKey}&appsecret=${settings.appSecret}`
    const answer = await https(settings, 'GET', `/gettoken?${query}`)
    if (answer.errcode !== 0) throw new Error(`gettoken: ${String(answer.errmsg)}`)
    accessToken = {
      token: String(answer.access_token),
      expiresAt: Date.now() + Number(answer.expires_in) * 1000,
    }
  }
  const separator = path.includes('?') ? '&' : '?'
  return https(settings, method, `${path}${separator}access_token=${accessToken.token}`, body)
}

function https(
  settings: Settings,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    const outgoing = request(
      new URL(path, settings.openApi),
      {
        method,
        ca: settings.caPem,
        headers: {
          'Content-Type': Buffer.isBuffer(body) ? 'application/zip' : 'application/json',
        },
      },
      (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => done(JSON.parse(text) as Record<string, unknown>))
      },
    )
    outgoing.on('error', fail)
    outgoing.end(
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    )
  })
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of req) {
    text += (chunk as Buffer).toString()
    if (text.length > 64 * 1024) throw new Error('body too large')
  }
  return text ? JSON.parse(text) : {}
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

main().catch((error: unknown) => {
  process.stderr.write(`demo micro-app failed: ${String(error)}\n`)
  process.exitCode = 1
})
