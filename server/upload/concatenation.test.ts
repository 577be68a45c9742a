// The upload server on its own (no access layer), to reach options startServer keeps fixed.
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashTicket, newTicket } from '../auth/tickets'
import { DATABASE_FILE } from '../server'
import { openSqliteStorage } from '../storage/sqlite-storage'
import type { Storage } from '../storage/storage'
import { ensureCertificates } from '../tls/certificates'
import { makeSeededDataDir, removeDataDir } from '../test/harness'
import { PATCH_BODY, TUS, caller, patternBytes, sha256, type Caller } from '../test/upload-client'
import { UploadServer } from './upload-server'

let dataDir: string
let storage: Storage
let uploads: UploadServer
let base: string
let caPem: string
let ticket: string
let alice: Caller

beforeAll(async () => {
  dataDir = await makeSeededDataDir()
  storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
  const credentials = await ensureCertificates(dataDir)
  caPem = credentials.caPem
  ticket = newTicket()
  storage.saveTicket({
    ticketHash: hashTicket(ticket),
    userId: 'u-alice',
    deviceId: 'alice-laptop',
    createdAtMs: Date.now(),
    expiresAtMs: Date.now() + 60_000,
  })
  uploads = new UploadServer({
    storage,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    directory: join(dataDir, 'uploads'),
    mayDownload: () => false,
    processingIntervalMs: 1,
  })
  base = `https://127.0.0.1:${await uploads.listen('127.0.0.1', 0)}`
  alice = caller(caPem, ticket)
})

afterAll(async () => {
  alice.agent.destroy()
  await uploads.close()
  storage.close()
  await removeDataDir(dataDir)
})

describe('a long join of partial uploads', () => {
  it('sends 102 Processing while it joins, then 201 with the file', async () => {
    const data = patternBytes(24 * 1024 * 1024, 61)
    const urls: string[] = []
    for (let start = 0; start < data.length; start += 4 * 1024 * 1024) {
      const piece = data.subarray(start, start + 4 * 1024 * 1024)
      const created = await alice('POST', `${base}/uploads`, {
        ...TUS,
        'Upload-Concat': 'partial',
        'Upload-Length': piece.length,
      })
      await alice('PATCH', created.headers.location!, { ...PATCH_BODY, 'Upload-Offset': 0 }, piece)
      urls.push(created.headers.location!)
    }

    const interim: number[] = []
    const answer = await new Promise<{ status: number; sha256: string }>((resolve, reject) => {
      const outgoing = request(`${base}/uploads`, {
        method: 'POST',
        ca: caPem,
        headers: {
          ...TUS,
          Authorization: `Bearer ${ticket}`,
          'Upload-Concat': `final;${urls.join(' ')}`,
        },
      })
      outgoing.on('information', (info) => interim.push(info.statusCode))
      outgoing.on('response', (incoming) => {
        incoming.resume()
        resolve({
          status: incoming.statusCode!,
          sha256: String(incoming.headers['tack-file-sha256']),
        })
      })
      outgoing.on('error', reject)
      outgoing.end()
    })

    expect(answer).toEqual({ status: 201, sha256: sha256(data) })
    expect(interim.length).toBeGreaterThan(0)
    expect(new Set(interim)).toEqual(new Set([102]))
    expect(uploads.bytesReceived).toBe(data.length)
  })
})
