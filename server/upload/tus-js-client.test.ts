// A tus client that is not ours (tus-js-client 4.3.1, in Node) against our server, with our CA
// trusted through its HTTP stack's request options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DefaultHttpStack, DetailedError, Upload, type UploadOptions } from 'tus-js-client'
import { makeSeededDataDir, removeDataDir, startTestServer, type TestServer } from '../test/harness'
import { caller, patternBytes, sha256, type Caller } from '../test/upload-client'

const MAX_UPLOAD_BYTES = 16 * 1024 * 1024

let test: TestServer
let ticket: string
let alice: Caller

beforeAll(async () => {
  test = await startTestServer({
    dataDir: await makeSeededDataDir(),
    maxUploadBytes: MAX_UPLOAD_BYTES,
  })
  ticket = (await test.login('alice')).session.ticket
  alice = caller(test.server.caPem, ticket)
})

afterAll(async () => {
  alice.agent.destroy()
  await test.close()
  await removeDataDir(test.dataDir)
})

/** Uploads with tus-js-client; resolves with the upload's URL, rejects with its error. */
function tusJsUpload(data: Buffer, options: Partial<UploadOptions> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(data, {
      endpoint: `${test.server.uploadUrl}/uploads`,
      headers: { Authorization: `Bearer ${ticket}` },
      httpStack: new DefaultHttpStack({ ca: test.server.caPem }),
      metadata: { filename: 'peer.bin', filetype: 'application/octet-stream' },
      retryDelays: [],
      storeFingerprintForResuming: false,
      onSuccess: () => resolve(upload.url!),
      onError: reject,
      ...options,
    })
    upload.start()
  })
}

describe('tus-js-client 4.3.1 against our server', () => {
  it('uploads a file in one stream', async () => {
    const data = patternBytes(5 * 1024 * 1024 + 1, 41)

    const url = await tusJsUpload(data, { chunkSize: 1024 * 1024 })

    const download = await alice('GET', `${test.server.uploadUrl}/files/${url.split('/').pop()}`)
    expect(sha256(download.body)).toBe(sha256(data))
  })

  it('uploads in four parallel parts, which our server joins through concatenation', async () => {
    const data = patternBytes(7 * 1024 * 1024 + 3, 42)

    const url = await tusJsUpload(data, { parallelUploads: 4 })

    const head = await alice('HEAD', url, { 'Tus-Resumable': '1.0.0' })
    const parts = String(head.headers['upload-concat'])
      .replace(/^final;/, '')
      .split(' ')
    expect(parts).toHaveLength(4)
    const found = await alice('GET', `${test.server.uploadUrl}/files/by-hash/${sha256(data)}`)
    expect(found.status).toBe(200)
    expect(JSON.parse(found.text)).toMatchObject({ size: data.length, name: 'peer.bin' })
    const download = await alice('GET', `${test.server.uploadUrl}/files/${url.split('/').pop()}`)
    expect(download.body.equals(data)).toBe(true)
  })

  it('gets a 413 it can show when the file is over the limit, before sending it', async () => {
    const error = await tusJsUpload(Buffer.alloc(MAX_UPLOAD_BYTES + 1)).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(DetailedError)
    const response = (error as DetailedError).originalResponse!
    expect(response.getStatus()).toBe(413)
    expect(response.getBody()).toMatch(/over the server's limit of 16 MiB/)
  })

  it('is refused with 401 without a ticket', async () => {
    const error = await tusJsUpload(Buffer.from('x'), { headers: {} }).catch((e: unknown) => e)

    expect((error as DetailedError).originalResponse!.getStatus()).toBe(401)
  })
})
