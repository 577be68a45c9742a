// Upload test helpers: files of known content written in pieces (never whole in memory), their
// SHA-256, a download's SHA-256 from the server, and an upload manager on a real encrypted store.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { Store } from '../../electron/core/store/store'
import {
  UploadManager,
  type UploadEndpoint,
  type UploadManagerOptions,
} from '../../electron/core/upload/upload-manager'

/** Writes `size` bytes that differ per `seed`, 1 MiB at a time. */
export async function writeTestFile(path: string, size: number, seed = 1): Promise<void> {
  const file = await open(path, 'w')
  try {
    const block = Buffer.alloc(1024 * 1024)
    for (let offset = 0; offset < size; offset += block.length) {
      for (let i = 0; i < block.length; i += 4)
        block.writeUInt32LE(((offset + i) * 2654435761 + seed) >>> 0, i)
      await file.write(block, 0, Math.min(block.length, size - offset))
    }
  } finally {
    await file.close()
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Downloads `url` and returns its SHA-256 and size, without keeping the body. */
export function sha256OfDownload(
  url: string,
  endpoint: UploadEndpoint,
): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca: endpoint.ca,
      headers: { Authorization: `Bearer ${endpoint.ticket}` },
    })
    req.on('error', reject)
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET ${url} answered ${res.statusCode}`))
        res.resume()
        return
      }
      const hash = createHash('sha256')
      let size = 0
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        size += chunk.length
      })
      res.on('end', () => resolve({ sha256: hash.digest('hex'), size }))
      res.on('error', reject)
    })
    req.end()
  })
}

/** A store key kept for the whole test process, so a restarted manager opens the same store. */
export const UPLOAD_STORE_KEY = randomBytes(32)

export async function openUploadStore(dir: string, key = UPLOAD_STORE_KEY): Promise<Store> {
  return Store.open(join(dir, 'uploads.db'), key, { create: true })
}

/** An upload manager on `store`, with quick retries unless told otherwise. */
export function makeUploadManager(
  store: Store,
  endpoint: () => UploadEndpoint | null,
  options: Partial<UploadManagerOptions> = {},
): UploadManager {
  return new UploadManager({
    store: store.uploads,
    endpoint,
    retry: { baseDelayMs: 50, maxDelayMs: 1_000, maxAttempts: 10 },
    requestIdleTimeoutMs: 5_000,
    ...options,
  })
}

/** HEAD of a tus upload with the endpoint's ticket: its status and Upload-Offset. */
export function headUpload(
  url: string,
  endpoint: UploadEndpoint,
): Promise<{ status: number; offset: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'HEAD',
      ca: endpoint.ca,
      headers: { Authorization: `Bearer ${endpoint.ticket}`, 'Tus-Resumable': '1.0.0' },
    })
    req.on('error', reject)
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, offset: Number(res.headers['upload-offset'] ?? NaN) })
    })
    req.end()
  })
}
