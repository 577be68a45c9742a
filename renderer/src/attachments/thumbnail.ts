// An image's preview, drawn in the page with a canvas: at most 320 px on its longer side, JPEG,
// small enough (32 KiB) to travel inside the message so everyone sees it before downloading.
import { toBase64 } from './file-source'

export interface Thumbnail {
  base64: string
  mime: 'image/jpeg'
  width: number
  height: number
}

const MAX_SIDE = 320
const MAX_BYTES = 32 * 1024

/** The preview and the picture's own size; null when the browser cannot decode it. */
export async function makeThumbnail(image: Blob): Promise<Thumbnail | null> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(image)
  } catch {
    return null
  }
  const { width, height } = bitmap
  try {
    for (const side of [MAX_SIDE, 200, 120]) {
      const scale = Math.min(1, side / Math.max(width, height))
      const canvas = document.createElement('canvas')
      canvas.width = Math.max(1, Math.round(width * scale))
      canvas.height = Math.max(1, Math.round(height * scale))
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
      const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', 0.72))
      if (blob && blob.size <= MAX_BYTES) {
        return {
          base64: toBase64(new Uint8Array(await blob.arrayBuffer())),
          mime: 'image/jpeg',
          width,
          height,
        }
      }
    }
    return null
  } finally {
    bitmap.close()
  }
}
