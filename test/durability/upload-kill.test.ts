// The issue's own check of resumable uploads: a 50 MB upload in 8 parts, its process killed for
// real (SIGKILL) with parts in flight, resumed in a new process, arrives with the same SHA-256,
// and the resumed process sends nothing the server already had.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { UploadEndpoint, UploadResult } from '../../electron/core/upload/upload-manager'
import { createLogger } from '../../shared/logger'
import {
  makeSeededDataDir,
  removeDataDir,
  startTestServer,
  type TestServer,
} from '../../server/test/harness'
import { FaultProxy } from '../netsim/fault-proxy'
import { runScript } from '../support/child-process'
import {
  headUpload,
  openUploadStore,
  sha256OfDownload,
  sha256OfFile,
  writeTestFile,
} from '../support/uploads'

const log = createLogger('upload-kill-test')
const MiB = 1024 * 1024
const SIZE = 50_000_000
const PARTS = 8
const CHUNK = Math.ceil(SIZE / PARTS)
const STREAMS = 4

let dir: string
let test: TestServer
let proxy: FaultProxy

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tack-upload-kill-'))
  test = await startTestServer({ dataDir: await makeSeededDataDir() })
  const port = Number(new URL(test.server.uploadUrl).port)
  // Connection 0 asks the limit and the hash; 1 to 4 are the workers', each at its own speed, so
  // when the fastest has sent its part the others are a quarter to three quarters through theirs.
  proxy = await FaultProxy.start({
    target: { host: '127.0.0.1', port },
    faults: { bandwidthBytesPerS: 4 * MiB },
  })
  for (const [index, speed] of [4, 3, 2, 1].entries()) {
    proxy.setConnectionFaults(index + 1, { bandwidthBytesPerS: speed * MiB })
  }
})

afterEach(async () => {
  await proxy.close()
  await test.close()
  await removeDataDir(test.dataDir)
  rmSync(dir, { recursive: true, force: true })
})

it('a 50 MB upload in 8 parts, killed with parts in flight and resumed, arrives whole', async () => {
  const path = join(dir, 'big.bin')
  await writeTestFile(path, SIZE, 50)
  const { session } = await test.login('alice', 'alice-kill')
  const direct: UploadEndpoint = {
    url: test.server.uploadUrl,
    ticket: session.ticket,
    ca: test.server.caPem,
  }
  const key = randomBytes(32)
  const settings = (endpoint: UploadEndpoint) => ({
    TACK_TEST_UPLOAD: JSON.stringify({
      storeDir: dir,
      keyHex: key.toString('hex'),
      endpoint,
      chunkSize: CHUNK,
      streams: STREAMS,
    }),
  })
  const script = join(import.meta.dirname, 'upload-until-killed.ts')

  // The first process sends through the slow proxy and is killed when the first part is in.
  const first = runScript(
    script,
    ['start', path],
    settings({ ...direct, url: `https://127.0.0.1:${proxy.port}` }),
    (line, child) => {
      if (line.startsWith('CHUNK ')) child.kill('SIGKILL')
    },
  )
  expect(await first.exited, first.output()).toBe('SIGKILL')

  // What the server holds: some parts whole, some cut off mid-way.
  const store = await openUploadStore(dir, key)
  const [kept] = await store.uploads.loadUploads()
  await store.close()
  expect(kept!.chunks).toHaveLength(PARTS)
  const offsets: number[] = []
  for (const chunk of kept!.chunks) {
    offsets.push(
      chunk.url ? (await headUpload(new URL(chunk.url, direct.url).href, direct)).offset : 0,
    )
  }
  const serverHad = offsets.reduce((a, b) => a + b, 0)
  const whole = offsets.filter((offset, i) => offset === kept!.chunks[i]!.length).length
  const cut = offsets.filter((offset, i) => offset > 0 && offset < kept!.chunks[i]!.length).length
  expect(whole).toBeGreaterThanOrEqual(1)
  expect(whole).toBeLessThan(PARTS)
  expect(cut).toBeGreaterThanOrEqual(1)

  // A new process resumes it, straight to the server.
  let done: (UploadResult & { bytesOnWire: number }) | null = null
  const second = runScript(script, ['resume'], settings(direct), (line) => {
    if (line.startsWith('DONE ')) done = JSON.parse(line.slice(5))
  })
  expect(await second.exited, second.output()).toBe(0)
  const result = done! as UploadResult & { bytesOnWire: number }

  const sha256 = await sha256OfFile(path)
  expect(result.sha256).toBe(sha256)
  expect(await sha256OfDownload(result.url, direct)).toEqual({ sha256, size: SIZE })
  const resent = serverHad + result.bytesOnWire - SIZE
  log.info(
    {
      size: SIZE,
      parts: PARTS,
      streams: STREAMS,
      wholeAtKill: whole,
      cutAtKill: cut,
      serverHadAtKill: serverHad,
      sentByResumed: result.bytesOnWire,
      resentBytes: resent,
      deliveredBeforeKillInclHeaders: proxy.stats.bytesToServer,
    },
    `resumed upload: resent bytes ${resent}`,
  )
  expect(resent).toBe(0)
}, 120_000)
