import { readdir } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeSeededDataDir, removeDataDir, startTestServer, type TestServer } from '../test/harness'
import {
  PATCH_BODY,
  TUS,
  caller,
  patternBytes,
  sha256,
  tusMetadata,
  type Caller,
} from '../test/upload-client'
import { until } from '../../test/support/wait'
import { AttachmentKind } from '../../shared/gen/tack_pb'
import type { FrameClient } from '../test/frame-client'
import { DEFAULT_MAX_UPLOAD_BYTES } from './upload-server'

const MAX_UPLOAD_BYTES = 8 * 1024 * 1024

let test: TestServer
let base: string
let alice: Caller
let bob: Caller
let anonymous: Caller
const tickets: Record<string, string> = {}
let aliceFrames: FrameClient

beforeAll(async () => {
  test = await startTestServer({
    dataDir: await makeSeededDataDir(),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  })
  base = test.server.uploadUrl
  const caPem = test.server.caPem
  for (const name of ['alice', 'bob', 'carol']) {
    const { client, session } = await test.login(name)
    tickets[name] = session.ticket
    if (name === 'alice') aliceFrames = client
  }
  alice = caller(caPem, tickets.alice)
  bob = caller(caPem, tickets.bob)
  anonymous = caller(caPem)
})

afterAll(async () => {
  for (const call of [alice, bob, anonymous]) call.agent.destroy()
  await test.close()
  await removeDataDir(test.dataDir)
})

/** Creates an upload and returns its URL. */
async function create(call: Caller, headers: Record<string, string | number>): Promise<string> {
  const created = await call('POST', `${base}/uploads`, { ...TUS, ...headers })
  expect(created.status, created.text).toBe(201)
  return created.headers.location!
}

/** A request of alice's whose body the test writes (or withholds) itself. */
function rawRequest(method: string, url: string, headers: Record<string, string | number>) {
  return request(url, {
    method,
    ca: test.server.caPem,
    headers: { ...PATCH_BODY, Authorization: `Bearer ${tickets.alice}`, ...headers },
  })
}

/** Sends the upload from `start` in PATCHes of `chunk` bytes; returns the finishing answer. */
async function sendFrom(call: Caller, url: string, data: Buffer, start = 0, chunk = data.length) {
  let last
  for (let offset = start; offset < data.length; offset += chunk) {
    last = await call(
      'PATCH',
      url,
      { ...PATCH_BODY, 'Upload-Offset': offset },
      data.subarray(offset, offset + chunk),
    )
    expect(last.status, last.text).toBe(204)
  }
  return last!
}

describe('the upload endpoint', () => {
  it('tells the session where uploads live', async () => {
    const { session } = await test.login('carol')

    expect(session.uploadPort).toBe(Number(new URL(base).port))
    expect(session.uploadPort).not.toBe(test.server.port)
  })

  it('advertises tus 1.0.0, its extensions and its size limit to OPTIONS without a ticket', async () => {
    const answer = await anonymous('OPTIONS', `${base}/uploads`)

    expect(answer.status).toBe(204)
    expect(answer.headers['tus-version']).toBe('1.0.0')
    expect(String(answer.headers['tus-extension']).split(',')).toEqual(
      expect.arrayContaining([
        'creation',
        'creation-with-upload',
        'creation-defer-length',
        'termination',
        'expiration',
        'concatenation',
      ]),
    )
    expect(answer.headers['tus-max-size']).toBe(String(MAX_UPLOAD_BYTES))
    expect(DEFAULT_MAX_UPLOAD_BYTES).toBe(4 * 1024 ** 3)
  })

  it('creates, patches in pieces and reports offsets, then keeps the file with its SHA-256', async () => {
    const data = patternBytes(3 * 1024 * 1024 + 17)
    const url = await create(alice, {
      'Upload-Length': data.length,
      'Upload-Metadata': tusMetadata({ filename: '设计稿 v2.fig', filetype: 'application/x-fig' }),
    })
    expect(url).toMatch(new RegExp(`^${base}/uploads/[0-9a-f]{32}$`))

    await alice('PATCH', url, { ...PATCH_BODY, 'Upload-Offset': 0 }, data.subarray(0, 1_000_000))
    const head = await alice('HEAD', url, TUS)
    expect(head.headers['upload-offset']).toBe('1000000')
    expect(head.headers['upload-length']).toBe(String(data.length))
    const answer = await sendFrom(alice, url, data, 1_000_000, 1 << 20)

    expect(answer.status).toBe(204)
    expect(answer.headers['tack-file-sha256']).toBe(sha256(data))
    const fileId = answer.headers['tack-file-id'] as string
    expect(url.endsWith(fileId)).toBe(true)
    const download = await alice('GET', `${base}/files/${fileId}`)
    expect(download.status).toBe(200)
    expect(sha256(download.body)).toBe(sha256(data))
    expect(download.headers['content-type']).toBe('application/x-fig')
    expect(download.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('设计稿 v2.fig')}`,
    )
  })

  it('answers a PATCH at the wrong offset with 409 and the right offset, keeping what it has', async () => {
    const url = await create(alice, { 'Upload-Length': 10 })
    await alice('PATCH', url, { ...PATCH_BODY, 'Upload-Offset': 0 }, Buffer.from('hello'))

    const wrong = await alice('PATCH', url, { ...PATCH_BODY, 'Upload-Offset': 2 }, Buffer.from('x'))

    expect(wrong.status).toBe(409)
    expect(wrong.headers['upload-offset']).toBe('5')
    expect((await alice('HEAD', url, TUS)).headers['upload-offset']).toBe('5')

    // With Expect: 100-continue the stale body is never sent.
    let continued = false
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = rawRequest('PATCH', url, {
        'Upload-Offset': 0,
        'Content-Length': 5,
        Expect: '100-continue',
      })
      outgoing.on('continue', () => (continued = true))
      outgoing.on('response', (incoming) => {
        incoming.resume()
        resolve(incoming.statusCode!)
        outgoing.destroy()
      })
      outgoing.on('error', reject)
      outgoing.flushHeaders()
    })
    expect(status).toBe(409)
    expect(continued).toBe(false)
  })

  it('keeps the bytes a dropped connection delivered, and the upload resumes from there', async () => {
    const data = patternBytes(6 * 1024 * 1024, 7)
    const url = await create(alice, { 'Upload-Length': data.length })

    // Send half the body of one PATCH, then cut the connection under it.
    await new Promise<void>((resolve) => {
      const outgoing = rawRequest('PATCH', url, {
        'Upload-Offset': 0,
        'Content-Length': data.length,
      })
      outgoing.on('error', () => resolve())
      outgoing.write(data.subarray(0, 3 * 1024 * 1024), () => {
        setTimeout(() => outgoing.destroy(), 300)
      })
      outgoing.on('close', () => resolve())
    })
    const offset = await until(async () => {
      const head = await alice('HEAD', url, TUS)
      const value = Number(head.headers['upload-offset'])
      return value > 0 && value
    }, 'the server to keep the delivered bytes')
    expect(offset).toBeLessThanOrEqual(3 * 1024 * 1024)

    const rest = await alice(
      'PATCH',
      url,
      { ...PATCH_BODY, 'Upload-Offset': offset },
      data.subarray(offset),
    )
    expect(rest.status, rest.text).toBe(204)
    expect(rest.headers['tack-file-sha256']).toBe(sha256(data))
  })
})

describe('concatenation', () => {
  /** Uploads `data` as `count` partial uploads and returns their URLs in order. */
  async function partials(data: Buffer, count: number): Promise<string[]> {
    const size = Math.ceil(data.length / count)
    const urls: string[] = []
    for (let index = 0; index < count; index += 1) {
      const piece = data.subarray(index * size, (index + 1) * size)
      const url = await create(alice, { 'Upload-Concat': 'partial', 'Upload-Length': piece.length })
      if (piece.length) await sendFrom(alice, url, piece)
      urls.push(url)
    }
    return urls
  }

  it('joins 400 partial uploads in order into one byte-identical file', async () => {
    const data = patternBytes(2 * 1024 * 1024 + 3, 11)
    const urls = await partials(data, 400)
    const header = `final;${urls.join(' ')}`
    // Node's default header limit is 16 KiB; this list is well past it.
    expect(header.length).toBeGreaterThan(16 * 1024)
    const partialHead = await alice('HEAD', urls[0]!, TUS)
    expect(partialHead.headers['upload-concat']).toBe('partial')

    const final = await alice('POST', `${base}/uploads`, {
      ...TUS,
      'Upload-Concat': header,
      'Upload-Metadata': tusMetadata({ filename: 'joined.bin' }),
    })

    expect(final.status, final.text).toBe(201)
    expect(final.headers['tack-file-sha256']).toBe(sha256(data))
    const head = await alice('HEAD', final.headers.location!, TUS)
    expect(head.headers['upload-offset']).toBe(String(data.length))
    expect(head.headers['upload-length']).toBe(String(data.length))
    expect(head.headers['upload-concat']).toBe(
      `final;${urls.map((url) => new URL(url).pathname).join(' ')}`,
    )
    const download = await alice('GET', `${base}/files/${final.headers['tack-file-id']}`)
    expect(download.body.equals(data)).toBe(true)
  })

  it('answers a repeated final upload with the same file, and refuses to patch it', async () => {
    const data = patternBytes(100_000, 12)
    const urls = await partials(data, 3)
    const headers = { ...TUS, 'Upload-Concat': `final;${urls.join(' ')}` }

    const first = await alice('POST', `${base}/uploads`, headers)
    const again = await alice('POST', `${base}/uploads`, headers)

    expect(again.status).toBe(201)
    expect(again.headers.location).toBe(first.headers.location)
    const patch = await alice(
      'PATCH',
      first.headers.location!,
      { ...PATCH_BODY, 'Upload-Offset': data.length },
      Buffer.from('x'),
    )
    expect(patch.status).toBe(403)
  })

  it('refuses a final upload of unfinished, foreign or plain uploads, saying which', async () => {
    const unfinished = await create(alice, { 'Upload-Concat': 'partial', 'Upload-Length': 10 })
    const plain = await create(alice, { 'Upload-Length': 0 })
    const [bobs] = await (async () => {
      const url = await create(bob, { 'Upload-Concat': 'partial', 'Upload-Length': 1 })
      await sendFrom(bob, url, Buffer.from('b'))
      return [url]
    })()

    for (const [url, reason] of [
      [unfinished, /not finished: 0 of 10 bytes/],
      [plain, /not one of your partial uploads/],
      [bobs!, /not one of your partial uploads/],
      [`${base}/elsewhere/x`, /not an upload of this server/],
      ['http://[::1', /not an upload of this server/],
    ] as const) {
      const answer = await alice('POST', `${base}/uploads`, {
        ...TUS,
        'Upload-Concat': `final;${url}`,
      })
      expect(answer.status).toBe(400)
      expect(answer.text).toMatch(reason)
    }
  })
})

describe('deferred length and the size limit', () => {
  it('takes an upload whose length is declared with its last bytes', async () => {
    const data = patternBytes(300_000, 21)
    const url = await create(alice, { 'Upload-Defer-Length': 1 })
    await alice('PATCH', url, { ...PATCH_BODY, 'Upload-Offset': 0 }, data.subarray(0, 100_000))

    const head = await alice('HEAD', url, TUS)
    expect(head.headers['upload-defer-length']).toBe('1')
    expect(head.headers['upload-offset']).toBe('100000')
    const last = await alice(
      'PATCH',
      url,
      { ...PATCH_BODY, 'Upload-Offset': 100_000, 'Upload-Length': data.length },
      data.subarray(100_000),
    )

    expect(last.status, last.text).toBe(204)
    expect(last.headers['tack-file-sha256']).toBe(sha256(data))
  })

  it('refuses a creation over the limit with 413 and a sentence, before any byte is read', async () => {
    const answer = await alice('POST', `${base}/uploads`, {
      ...TUS,
      'Upload-Length': MAX_UPLOAD_BYTES + 1,
    })

    expect(answer.status).toBe(413)
    expect(answer.text).toBe(
      "This upload is 8 MiB (8388609 bytes), over the server's limit of 8 MiB (8388608 bytes) per file.\n",
    )
  })

  it('answers Expect: 100-continue over the limit with 413 and never asks for the body', async () => {
    let continued = false
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = rawRequest('POST', `${base}/uploads`, {
        'Upload-Length': MAX_UPLOAD_BYTES * 2,
        'Content-Length': MAX_UPLOAD_BYTES * 2,
        Expect: '100-continue',
      })
      outgoing.on('continue', () => (continued = true))
      outgoing.on('response', (incoming) => {
        incoming.resume()
        resolve(incoming.statusCode!)
        outgoing.destroy()
      })
      outgoing.on('error', reject)
      outgoing.flushHeaders()
    })

    expect(status).toBe(413)
    expect(continued).toBe(false)
  })

  it('stops a deferred-length upload that grows past the limit with 413', async () => {
    const url = await create(alice, { 'Upload-Defer-Length': 1 })
    await sendFrom(alice, url, patternBytes(MAX_UPLOAD_BYTES - 10))

    const declared = await alice(
      'PATCH',
      url,
      { ...PATCH_BODY, 'Upload-Offset': MAX_UPLOAD_BYTES - 10 },
      Buffer.alloc(11),
    )
    expect(declared.status).toBe(413)
    expect(declared.text).toMatch(/grew past the server's limit of 8 MiB/)

    // Without Content-Length the stream is cut at the limit.
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = rawRequest('PATCH', url, {
        'Upload-Offset': MAX_UPLOAD_BYTES - 10,
        'Transfer-Encoding': 'chunked',
      })
      outgoing.on('response', (incoming) => {
        let text = ''
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()))
        incoming.on('end', () => resolve({ status: incoming.statusCode!, text }))
      })
      outgoing.on('error', reject)
      outgoing.end(Buffer.alloc(64 * 1024))
    })
    expect(streamed.status).toBe(413)
    expect(streamed.text).toMatch(/grew past the server's limit/)
  })
})

describe('who may touch what', () => {
  it('refuses every request but OPTIONS without a valid ticket', async () => {
    const url = await create(alice, { 'Upload-Length': 5 })
    const forged = caller(test.server.caPem, 'A'.repeat(43))

    for (const call of [anonymous, forged]) {
      expect((await call('POST', `${base}/uploads`, { ...TUS, 'Upload-Length': 5 })).status).toBe(
        401,
      )
      expect((await call('HEAD', url, TUS)).status).toBe(401)
      expect((await call('GET', `${base}/files/by-hash/${'0'.repeat(64)}`)).status).toBe(401)
    }
    forged.agent.destroy()
  })

  it("keeps another user's uploads out of reach", async () => {
    const url = await create(alice, { 'Upload-Length': 5 })

    expect((await bob('HEAD', url, TUS)).status).toBe(404)
    expect(
      (await bob('PATCH', url, { ...PATCH_BODY, 'Upload-Offset': 0 }, Buffer.from('12345'))).status,
    ).toBe(404)
    expect((await bob('DELETE', url, TUS)).status).toBe(404)
    expect((await alice('HEAD', url, TUS)).headers['upload-offset']).toBe('0')
  })

  it('lets the owner terminate an unfinished upload but not a finished one', async () => {
    const unfinished = await create(alice, { 'Upload-Length': 5 })
    const finished = await create(alice, { 'Upload-Length': 1 })
    await sendFrom(alice, finished, Buffer.from('f'))

    expect((await alice('DELETE', unfinished, TUS)).status).toBe(204)
    expect((await alice('HEAD', unfinished, TUS)).status).toBe(404)
    expect((await alice('DELETE', finished, TUS)).status).toBe(400)
  })
})

describe('downloads and the hash lookup', () => {
  let fileId: string
  let data: Buffer
  let fileUrl: string

  beforeAll(async () => {
    data = patternBytes(1_000_000, 31)
    const url = await create(alice, { 'Upload-Length': data.length })
    fileId = (await sendFrom(alice, url, data)).headers['tack-file-id'] as string
    fileUrl = `${base}/files/${fileId}`
  })

  it('sends ranges that join into the file, with 206 and Content-Range', async () => {
    const pieces: Buffer[] = []
    for (let start = 0; start < data.length; start += 300_000) {
      const end = Math.min(start + 300_000, data.length) - 1
      const answer = await alice('GET', fileUrl, { Range: `bytes=${start}-${end}` })
      expect(answer.status).toBe(206)
      expect(answer.headers['content-range']).toBe(`bytes ${start}-${end}/${data.length}`)
      pieces.push(answer.body)
    }

    expect(Buffer.concat(pieces).equals(data)).toBe(true)
    const tail = await alice('GET', fileUrl, { Range: 'bytes=-10' })
    expect(tail.body.equals(data.subarray(-10))).toBe(true)
    const open = await alice('GET', fileUrl, { Range: 'bytes=999990-' })
    expect(open.body.equals(data.subarray(999_990))).toBe(true)
  })

  it('answers 416 for ranges outside the file and ignores a malformed Range', async () => {
    for (const range of [`bytes=${data.length}-`, 'bytes=500-100', 'bytes=-0']) {
      const answer = await alice('GET', fileUrl, { Range: range })
      expect(answer.status, range).toBe(416)
      expect(answer.headers['content-range']).toBe(`bytes */${data.length}`)
    }
    const malformed = await alice('GET', fileUrl, { Range: 'lines=1-2' })
    expect(malformed.status).toBe(200)
    expect(malformed.body.length).toBe(data.length)
  })

  it('validates with the content hash: If-Range, If-None-Match', async () => {
    const etag = `"${sha256(data)}"`
    const head = await alice('HEAD', fileUrl)
    expect(head.headers.etag).toBe(etag)
    expect(head.headers['accept-ranges']).toBe('bytes')

    const same = await alice('GET', fileUrl, { Range: 'bytes=0-9', 'If-Range': etag })
    expect(same.status).toBe(206)
    const changed = await alice('GET', fileUrl, { Range: 'bytes=0-9', 'If-Range': '"other"' })
    expect(changed.status).toBe(200)
    expect(changed.body.length).toBe(data.length)
    expect((await alice('GET', fileUrl, { 'If-None-Match': etag })).status).toBe(304)
  })

  it('finds a file by its SHA-256, and says when there is none', async () => {
    const found = await bob('GET', `${base}/files/by-hash/${sha256(data).toUpperCase()}`)

    expect(found.status).toBe(200)
    expect(JSON.parse(found.text)).toEqual({
      fileId,
      url: fileUrl,
      size: data.length,
      sha256: sha256(data),
      name: '',
      mime: 'application/octet-stream',
    })
    expect((await bob('GET', `${base}/files/by-hash/${'ab'.repeat(32)}`)).status).toBe(404)
    expect((await bob('GET', `${base}/files/by-hash/xyz`)).status).toBe(400)
  })

  it('keeps a file from users it was not shared with', async () => {
    expect((await bob('GET', fileUrl)).status).toBe(404)
    expect((await anonymous('GET', fileUrl)).status).toBe(401)
  })
})

describe('sharing a file in a conversation', () => {
  it('lets the members download it once a message carries it, and nobody else', async () => {
    const data = patternBytes(50_000, 51)
    const url = await create(alice, {
      'Upload-Length': data.length,
      'Upload-Metadata': tusMetadata({ filename: 'plan.pdf', filetype: 'application/pdf' }),
    })
    const fileId = (await sendFrom(alice, url, data)).headers['tack-file-id'] as string
    const fileUrl = `${base}/files/${fileId}`
    const carol = caller(test.server.caPem, tickets.carol)
    expect((await bob('GET', fileUrl)).status).toBe(404)

    await aliceFrames.call({ case: 'openDirect', value: { peerId: 'u-bob' } }, 'openDirectReply')
    await aliceFrames.call(
      {
        case: 'sendMessage',
        value: {
          conversationId: 'd:u-alice:u-bob',
          clientMessageId: 'share-1',
          text: '',
          attachment: {
            kind: AttachmentKind.FILE,
            fileId,
            name: 'plan.pdf',
            size: BigInt(data.length),
            mime: 'application/pdf',
            sha256: sha256(data),
          },
        },
      },
      'sendMessageReply',
    )

    const download = await bob('GET', fileUrl)
    expect(download.status).toBe(200)
    expect(download.body.equals(data)).toBe(true)
    expect((await carol('GET', fileUrl)).status).toBe(404)
    carol.agent.destroy()
  })
})

describe('expiration', () => {
  it('answers 410 for an expired upload; the next start deletes it and unused partials, files stay', async () => {
    const dataDir = await makeSeededDataDir()
    const options = { dataDir, uploadExpiryMs: 300 }
    let short = await startTestServer(options)
    const call = caller(short.server.caPem, (await short.login('alice')).session.ticket)
    const shortBase = short.server.uploadUrl
    const created = await call('POST', `${shortBase}/uploads`, { ...TUS, 'Upload-Length': 10 })
    const unfinished = created.headers.location!
    await call('PATCH', unfinished, { ...PATCH_BODY, 'Upload-Offset': 0 }, Buffer.from('abc'))
    const part = await call('POST', `${shortBase}/uploads`, {
      ...TUS,
      'Upload-Concat': 'partial',
      'Upload-Length': 1,
    })
    await call(
      'PATCH',
      part.headers.location!,
      { ...PATCH_BODY, 'Upload-Offset': 0 },
      Buffer.from('p'),
    )
    const done = await call('POST', `${shortBase}/uploads`, { ...TUS, 'Upload-Length': 2 })
    const fileId = (
      await call(
        'PATCH',
        done.headers.location!,
        { ...PATCH_BODY, 'Upload-Offset': 0 },
        Buffer.from('ok'),
      )
    ).headers['tack-file-id'] as string
    await new Promise((resolve) => setTimeout(resolve, 400))

    const late = await call(
      'PATCH',
      unfinished,
      { ...PATCH_BODY, 'Upload-Offset': 3 },
      Buffer.from('d'),
    )
    expect(late.status).toBe(410)
    call.agent.destroy()
    await short.close()

    short = await startTestServer(options)
    const again = caller(short.server.caPem, (await short.login('alice')).session.ticket)
    const expired = [unfinished, part.headers.location!].map((url) => url.split('/').pop()!)
    await until(async () => {
      const files = await readdir(join(dataDir, 'uploads'))
      return expired.every((id) => !files.includes(id) && !files.includes(`${id}.json`))
    }, 'the expired upload and the unused partial upload to be deleted')
    const file = await again('GET', `${short.server.uploadUrl}/files/${fileId}`)
    expect(file.text).toBe('ok')
    again.agent.destroy()
    await short.close()
    await removeDataDir(dataDir)
  })
})
