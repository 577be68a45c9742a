// Run by upload-kill.test.ts as its own process: an upload manager on an encrypted store.
//   start PATH   starts uploading PATH and prints `CHUNK <index>` as the server confirms each
//                chunk, then waits (to be killed);
//   resume       restores the store's unfinished upload and finishes it.
// Both print `DONE <json>` (the result and the bytes this process sent) when the upload is done.
// Settings as JSON in TACK_TEST_UPLOAD: { storeDir, keyHex, endpoint, chunkSize, streams }.
import { configureLogging } from '../../shared/logger'
import type { UploadEndpoint } from '../../electron/core/upload/upload-manager'
import { makeUploadManager, openUploadStore } from '../support/uploads'

interface Settings {
  storeDir: string
  keyHex: string
  endpoint: UploadEndpoint
  chunkSize: number
  streams: number
}

configureLogging({ level: 'silent' })
const settings = JSON.parse(process.env.TACK_TEST_UPLOAD ?? '{}') as Settings
const [mode, path] = process.argv.slice(2)

const store = await openUploadStore(settings.storeDir, Buffer.from(settings.keyHex, 'hex'))
const uploads = makeUploadManager(store, () => settings.endpoint, {
  chunkSize: settings.chunkSize,
  parallelStreams: settings.streams,
})
uploads.on('chunk', ({ index }) => process.stdout.write(`CHUNK ${index}\n`))

let id: string
if (mode === 'start') {
  id = await uploads.start({ path: path!, name: 'big.bin', mime: 'application/octet-stream' })
} else {
  await uploads.restore()
  id = uploads.list()[0]!.uploadId
}
const result = await uploads.result(id)
process.stdout.write(`DONE ${JSON.stringify({ ...result, bytesOnWire: uploads.bytesOnWire })}\n`)
await uploads.close()
await store.close()
