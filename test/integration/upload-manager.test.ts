// The upload manager against the real server's tus endpoint (server/upload): chunks as partial
// uploads joined at the end, work stealing across connections, dedupe by hash, pause, resume,
// cancel, retries, resume after a restart, changed and too-large files, and recordings sent
// while they are made.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { appendFile, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/core/store/store'
import {
  UploadError,
  type UploadEndpoint,
  type UploadManager,
} from '../../electron/core/upload/upload-manager'
import {
  makeSeededDataDir,
  removeDataDir,
  startTestServer,
  type TestServer,
} from '../../server/test/harness'
import { FaultProxy, type LinkFaults } from '../netsim/fault-proxy'
import {
  headUpload,
  makeUploadManager,
  openUploadStore,
  sha256OfDownload,
  sha256OfFile,
  writeTestFile,
} from '../support/uploads'
import { makeTestCore, signInTestCore } from '../support/cores'
import { until } from '../support/wait'

const MiB = 1024 * 1024
const MAX_UPLOAD_BYTES = 64 * MiB

let test: TestServer
let direct: UploadEndpoint

beforeAll(async () => {
  test = await startTestServer({
    dataDir: await makeSeededDataDir(),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  })
  const { session } = await test.login('alice', 'alice-uploads')
  direct = { url: test.server.uploadUrl, ticket: session.ticket, ca: test.server.caPem }
})

afterAll(async () => {
  await test.close()
  await removeDataDir(test.dataDir)
})

describe('the upload manager', () => {
  let dir: string
  let store: Store
  const managers: UploadManager[] = []
  const proxies: FaultProxy[] = []

  function manager(...args: Parameters<typeof makeUploadManager>): UploadManager {
    const made = makeUploadManager(...args)
    managers.push(made)
    return made
  }

  /** A fault proxy in front of the upload endpoint, with `faults` on every connection. */
  async function proxy(
    faults: Partial<LinkFaults> = {},
  ): Promise<{ proxy: FaultProxy; endpoint: UploadEndpoint }> {
    const port = Number(new URL(direct.url).port)
    const made = await FaultProxy.start({ target: { host: '127.0.0.1', port }, faults, seed: 6 })
    proxies.push(made)
    return { proxy: made, endpoint: { ...direct, url: `https://127.0.0.1:${made.port}` } }
  }

  /** A file whose content differs by name (unless a seed is given), so no test dedupes another's. */
  async function file(name: string, size: number, seed = seedOf(name)): Promise<string> {
    const path = join(dir, name)
    await writeTestFile(path, size, seed)
    return path
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tack-upload-'))
    store = await openUploadStore(dir)
  })

  afterEach(async () => {
    for (const made of managers.splice(0)) await made.close()
    for (const made of proxies.splice(0)) await made.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends a file in chunks over parallel streams and it arrives with the same SHA-256', async () => {
    const path = await file('design.bin', 10 * MiB + 123)
    const uploads = manager(store, () => direct, { chunkSize: MiB, parallelStreams: 4 })
    const workers = new Set<number>()
    const chunks: number[] = []
    uploads.on('chunk', (chunk) => {
      workers.add(chunk.worker)
      chunks.push(chunk.index)
    })
    const progress: number[] = []
    uploads.on('progress', (event) => progress.push(event.sentBytes))

    const id = await uploads.start({ path, name: 'design.bin', mime: 'application/octet-stream' })
    const result = await uploads.result(id)

    expect(result.sha256).toBe(await sha256OfFile(path))
    expect(result.deduplicated).toBe(false)
    expect(result.size).toBe(10 * MiB + 123)
    expect(chunks.sort((a, b) => a - b)).toEqual([...Array(11).keys()])
    expect(workers.size).toBe(4)
    expect(progress.at(-1)).toBe(result.size)
    expect(uploads.bytesOnWire).toBe(result.size)
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: result.sha256,
      size: result.size,
    })
    expect(uploads.list()).toMatchObject([{ uploadId: id, status: 'done', fileId: result.fileId }])
  })

  it('skips sending a file whose content the server has already', async () => {
    const first = await file('photo.jpg', 3 * MiB, 7)
    const copy = await file('photo-copy.jpg', 3 * MiB, 7)
    const uploads = manager(store, () => direct, { chunkSize: MiB })
    const original = await uploads.result(
      await uploads.start({ path: first, name: 'photo.jpg', mime: 'image/jpeg' }),
    )
    const sentBefore = uploads.bytesOnWire

    const again = await uploads.result(
      await uploads.start({ path: copy, name: 'photo-copy.jpg', mime: 'image/jpeg' }),
    )

    expect(again).toMatchObject({ deduplicated: true, fileId: original.fileId, size: 3 * MiB })
    expect(again.sha256).toBe(original.sha256)
    expect(uploads.bytesOnWire).toBe(sentBefore)
  })

  it('fails a file past the server limit with FILE_TOO_LARGE before sending a byte', async () => {
    const path = join(dir, 'huge.iso')
    await truncate(path, MAX_UPLOAD_BYTES + 1).catch(async () => {
      await writeFile(path, '')
      await truncate(path, MAX_UPLOAD_BYTES + 1)
    })
    const uploads = manager(store, () => direct)
    const failed: UploadError[] = []
    uploads.on('failed', (event) => failed.push(event.error))

    const id = await uploads.start({ path, name: 'huge.iso', mime: 'application/octet-stream' })
    const error = await uploads.result(id).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(UploadError)
    expect((error as UploadError).code).toBe('FILE_TOO_LARGE')
    expect((error as UploadError).message).toMatch(
      /huge\.iso is 64 MiB \(67108865 bytes\); the server accepts files up to 64 MiB \(67108864 bytes\)/,
    )
    expect(failed.map((e) => e.code)).toEqual(['FILE_TOO_LARGE'])
    expect(uploads.bytesOnWire).toBe(0)
    expect(uploads.list()[0]).toMatchObject({ status: 'failed', sha256: null })
  })

  it('gives a slow connection fewer chunks (work stealing)', async () => {
    const { proxy: link, endpoint } = await proxy()
    // Connection 0 is the control connection (limit, hash lookup); 1 to 4 are the workers'.
    link.setConnectionFaults(1, { latencyMs: 40, bandwidthBytesPerS: 2 * MiB })
    const path = await file('video.mp4', 16 * MiB)
    const uploads = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 4 })
    const perWorker = new Map<number, number>()
    uploads.on('chunk', ({ worker }) => perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1))

    const result = await uploads.result(
      await uploads.start({ path, name: 'video.mp4', mime: 'video/mp4' }),
    )

    // Fixed parts would give every connection 4; the slow one gets at most 2 here (or none: an
    // idle fast worker may win the race for the chunk it was still sending).
    const counts = [0, 1, 2, 3].map((worker) => perWorker.get(worker) ?? 0).sort((a, b) => a - b)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(16)
    expect(counts[0]).toBeLessThanOrEqual(2)
    expect(counts[3]).toBeGreaterThanOrEqual(5)
    expect(result.sha256).toBe(await sha256OfFile(path))
  })

  it('races the last chunk of a very slow connection on an idle fast one (hedge)', async () => {
    const { proxy: link, endpoint } = await proxy()
    link.setConnectionFaults(1, { latencyMs: 40, bandwidthBytesPerS: 256 * 1024 })
    const path = await file('scan.tiff', 6 * MiB)
    const uploads = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 3 })
    const perWorker = new Map<number, number>()
    uploads.on('chunk', ({ worker }) => perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1))

    const result = await uploads.result(
      await uploads.start({ path, name: 'scan.tiff', mime: 'image/tiff' }),
    )

    // The slow worker's one chunk (4 s at its speed) was raced by a fast worker, which won.
    const counts = [0, 1, 2].map((worker) => perWorker.get(worker) ?? 0).sort((a, b) => a - b)
    expect(counts).toEqual([0, 3, 3])
    // What the slow one had sent of it (maybe nothing yet) is the only byte sent twice.
    expect(uploads.bytesOnWire).toBeLessThanOrEqual(7 * MiB)
    const [kept] = await store.uploads.loadUploads()
    expect(kept!.chunks.every((chunk) => chunk.offset === chunk.length)).toBe(true)
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: await sha256OfFile(path),
      size: 6 * MiB,
    })
  })

  it('pauses, resumes and still arrives whole', async () => {
    const { endpoint } = await proxy({ bandwidthBytesPerS: 4 * MiB })
    const path = await file('slides.pdf', 12 * MiB)
    const uploads = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 2 })
    const chunks = chunkCounter(uploads)
    const id = await uploads.start({ path, name: 'slides.pdf', mime: 'application/pdf' })
    await until(async () => chunks() >= 2, 'two chunks')

    await uploads.pause(id)
    const atPause = chunks()
    expect(uploads.list()[0]).toMatchObject({ status: 'paused' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(chunks()).toBe(atPause)

    await uploads.resume(id)
    const result = await uploads.result(id)

    expect(result.sha256).toBe(await sha256OfFile(path))
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: result.sha256,
      size: result.size,
    })
  })

  it('cancels: the partial uploads are deleted on the server and the upload is forgotten', async () => {
    const { endpoint } = await proxy({ bandwidthBytesPerS: 2 * MiB })
    const path = await file('draft.mov', 12 * MiB)
    const uploads = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 2 })
    const chunks = chunkCounter(uploads)
    const id = await uploads.start({ path, name: 'draft.mov', mime: 'video/quicktime' })
    const settled = uploads.result(id).catch((caught: unknown) => caught)
    // Cancelled once both streams finished their first chunk and each began another. Both first
    // chunks end at about the same moment, so waiting for only one could catch the other in its
    // last milliseconds and see it finish before the cancel; a chunk just begun has half a second
    // left on this link.
    const unfinished = await until(async () => {
      const [kept] = await store.uploads.loadUploads()
      const open = (kept?.chunks ?? []).filter((chunk) => chunk.url && chunk.offset < chunk.length)
      return chunks() >= 2 && open.length === 2 && open.map((chunk) => chunk.url!)
    }, 'two chunks in and two unfinished partials')

    await uploads.cancel(id)

    expect(((await settled) as UploadError).code).toBe('CANCELLED')
    expect(uploads.list()).toEqual([])
    expect(await store.uploads.loadUploads()).toEqual([])
    // Every unfinished partial is gone; the server refuses to delete a finished one (it expires
    // with the server's unfinished uploads instead), so a chunk that finished meanwhile stays.
    const states = await Promise.all(
      unfinished.map((partial) => headUpload(new URL(partial, direct.url).href, direct)),
    )
    for (const state of states) {
      if (state.status !== 404) expect(state.offset).toBe(MiB)
    }
    expect(states.some((state) => state.status === 404)).toBe(true)
  })

  it('retries after its connections are reset and arrives whole', async () => {
    const { proxy: link, endpoint } = await proxy({ bandwidthBytesPerS: 4 * MiB })
    const path = await file('archive.zip', 8 * MiB)
    const uploads = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 2 })
    const chunks = chunkCounter(uploads)
    const id = await uploads.start({ path, name: 'archive.zip', mime: 'application/zip' })
    await until(async () => chunks() >= 1, 'a chunk')

    link.resetAll()
    const result = await uploads.result(id)

    expect(link.stats.resets).toBe(1)
    expect(result.sha256).toBe(await sha256OfFile(path))
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: result.sha256,
      size: result.size,
    })
  })

  it('resumes after a restart from what the server has, sending none of it again', async () => {
    const { endpoint } = await proxy({ bandwidthBytesPerS: 4 * MiB })
    const path = await file('model.bin', 12 * MiB)
    const before = manager(store, () => endpoint, { chunkSize: 2 * MiB, parallelStreams: 3 })
    const chunks = chunkCounter(before)
    await before.start({ path, name: 'model.bin', mime: 'application/octet-stream' })
    await until(async () => chunks() >= 2, 'two chunks')
    await before.close()

    // What the server holds now, partial chunks included, asked the way a tus client would.
    const [kept] = await store.uploads.loadUploads()
    let serverHas = 0
    for (const chunk of kept!.chunks) {
      if (chunk.url)
        serverHas += (await headUpload(new URL(chunk.url, direct.url).href, direct)).offset
    }
    const after = manager(store, () => direct, { chunkSize: 2 * MiB, parallelStreams: 3 })
    await after.restore()
    const result = await after.result(kept!.id)

    expect(result.sha256).toBe(await sha256OfFile(path))
    expect(serverHas).toBeGreaterThanOrEqual(4 * MiB)
    expect(after.bytesOnWire).toBe(12 * MiB - serverHas)
  })

  it('fails clearly when the file changed between runs', async () => {
    const { endpoint } = await proxy({ bandwidthBytesPerS: 4 * MiB })
    const path = await file('report.docx', 8 * MiB)
    const before = manager(store, () => endpoint, { chunkSize: MiB, parallelStreams: 2 })
    const chunks = chunkCounter(before)
    const id = await before.start({ path, name: 'report.docx', mime: 'application/msword' })
    await until(async () => chunks() >= 1, 'a chunk')
    await before.close()

    await appendFile(path, 'one more paragraph')
    const after = manager(store, () => direct)
    await after.restore()

    const error = (await after.result(id).catch((caught: unknown) => caught)) as UploadError
    expect(error.code).toBe('FILE_CHANGED')
    expect(error.message).toContain('report.docx changed since its upload started')
    expect(after.list()[0]).toMatchObject({ status: 'failed', error: { code: 'FILE_CHANGED' } })
  })

  it('sends a recording on when its connection is reset mid-way, nothing lost or doubled', async () => {
    const { proxy: link, endpoint } = await proxy()
    const uploads = manager(store, () => endpoint)
    const recording = await uploads.startStreaming({ name: 'memo.ogg', mime: 'audio/ogg' })
    const parts = Array.from({ length: 6 }, (_, i) => Buffer.alloc(200_000 + i, i + 1))
    let confirmed = 0
    uploads.on('progress', (event) => (confirmed = event.sentBytes))

    for (const [i, part] of parts.entries()) {
      await recording.write(part)
      if (i === 2) {
        await until(async () => confirmed >= 600_000, 'the first three parts confirmed')
        link.resetAll()
      }
    }
    const result = await recording.end()

    const whole = Buffer.concat(parts)
    expect(link.stats.resets).toBe(1)
    expect(result.sha256).toBe(createHash('sha256').update(whole).digest('hex'))
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: result.sha256,
      size: whole.length,
    })
  })

  it('finishes a recording that stopped before any byte as an empty file', async () => {
    const uploads = manager(store, () => direct)
    const recording = await uploads.startStreaming({ name: 'silence.webm', mime: 'audio/webm' })

    const result = await recording.end()

    expect(result.size).toBe(0)
    expect(result.sha256).toBe(createHash('sha256').digest('hex'))
    expect(await sha256OfDownload(result.url, direct)).toEqual({ sha256: result.sha256, size: 0 })
  })

  it('sends a recording while it is made and declares its length at the end', async () => {
    const uploads = manager(store, () => direct)
    const recording = await uploads.startStreaming({ name: 'voice.webm', mime: 'audio/webm' })
    const parts = [300_000, 1, 450_000, 12_345].map((size, i) => Buffer.alloc(size, i + 1))

    for (const part of parts) {
      await recording.write(part)
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    const result = await recording.end()

    const whole = Buffer.concat(parts)
    expect(result.size).toBe(whole.length)
    expect(result.sha256).toBe(createHash('sha256').update(whole).digest('hex'))
    expect(await sha256OfDownload(result.url, direct)).toEqual({
      sha256: result.sha256,
      size: whole.length,
    })
    expect(uploads.list()[0]).toMatchObject({
      kind: 'stream',
      status: 'done',
      totalBytes: whole.length,
    })
  })
})

describe('ClientCore', () => {
  it("owns an upload manager while signed in, on the host it dialed and the session's upload port", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-upload-core-'))
    const core = makeTestCore(dir, 'alice-core', test.server)
    try {
      expect(core.uploads).toBeNull()
      await signInTestCore(core, test.server.address, 'alice')
      const path = join(dir, 'notes.txt')
      await writeTestFile(path, 300_000, 11)

      const uploads = core.uploads!
      const result = await uploads.result(
        await uploads.start({ path, name: 'notes.txt', mime: 'text/plain' }),
      )

      expect(new URL(result.url).port).toBe(new URL(test.server.uploadUrl).port)
      expect(result.sha256).toBe(await sha256OfFile(path))
      await core.logout()
      expect(core.uploads).toBeNull()
    } finally {
      await core.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** How many chunks the server has confirmed to `uploads` so far. */
function chunkCounter(uploads: UploadManager): () => number {
  let chunks = 0
  uploads.on('chunk', () => (chunks += 1))
  return () => chunks
}

function seedOf(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32LE(0)
}
