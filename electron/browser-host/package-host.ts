// Browser mode's host for offline packages: each installed package at its own origin,
// http://<agentId>.localhost:<port>/, so apps never share storage with each other or with Tack's
// page. Loopback only; serves only files inside the version folder in use.
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { createLogger } from '../../shared/logger'
import type { ClientCore } from '../core/client-core'

const log = createLogger('package-host')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface PackageHost {
  originOf(agentId: string): string
  close(): Promise<void>
}

export async function startPackageHost(core: ClientCore): Promise<PackageHost> {
  let port = 0
  const http = createServer((request, response) => {
    void servePackageFile(core, port, request, response)
  })
  await new Promise<void>((done, fail) => {
    http.once('error', fail)
    http.listen(0, '127.0.0.1', () => done())
  })
  port = (http.address() as AddressInfo).port
  const originOf = (agentId: string) => `http://${agentId}.localhost:${port}`
  core.servePackagesAt(originOf)
  log.info({ port }, 'package host listening')
  return {
    originOf,
    close: async () => {
      http.closeAllConnections()
      await new Promise<void>((done) => http.close(() => done()))
    },
  }
}

async function servePackageFile(
  core: ClientCore,
  port: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const match = /^([a-z0-9][a-z0-9-]*)\.localhost:(\d+)$/.exec(request.headers.host ?? '')
  if (!match || Number(match[2]) !== port) return refuse(response, 421, 'wrong host')
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refuse(response, 405, 'method not allowed')
  }
  const installed = await core.packageOf(match[1]!)
  if (!installed) return refuse(response, 404, 'no such package')

  const root = resolve(installed.dir)
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://placeholder').pathname)
  const file = join(root, normalize(pathname === '/' ? `/${installed.entry}` : pathname))
  if (!file.startsWith(root + sep)) return refuse(response, 403, 'forbidden')
  if (!(await stat(file).catch(() => null))?.isFile()) return refuse(response, 404, 'not found')
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  })
  response.end(request.method === 'HEAD' ? undefined : await readFile(file))
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(`${message}\n`)
}
