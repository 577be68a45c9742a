// The upload manager's state in the encrypted store (migration 6): one row per upload in
// `uploads`, one per chunk in `upload_chunks`. A chunk's row is written as soon as the server
// made its partial upload and after every confirmed PATCH, so a restart knows where each one is.
import type {
  ChunkRecord,
  UploadErrorCode,
  UploadKind,
  UploadRecord,
  UploadStateStore,
  UploadStatus,
} from '../upload/upload-state'
import type { SqlDatabase } from './sql-database'

interface UploadRow {
  id: string
  kind: UploadKind
  name: string
  mime: string
  conversation_id: string | null
  path: string | null
  size: number | null
  mtime_ms: number | null
  sha256: string | null
  chunk_size: number
  final_url: string | null
  file_id: string | null
  status: UploadStatus
  error_code: UploadErrorCode | null
  error_message: string | null
  created_at: number
  updated_at: number
}

interface ChunkRow {
  upload_id: string
  idx: number
  start: number
  length: number
  url: string | null
  confirmed: number
}

export class UploadTable implements UploadStateStore {
  constructor(private readonly db: SqlDatabase) {}

  async loadUploads(): Promise<UploadRecord[]> {
    const uploads = await this.db.all<UploadRow>('SELECT * FROM uploads ORDER BY created_at, id')
    const chunks = await this.db.all<ChunkRow>(
      'SELECT * FROM upload_chunks ORDER BY upload_id, idx',
    )
    const byUpload = new Map<string, ChunkRecord[]>()
    for (const row of chunks) {
      const list = byUpload.get(row.upload_id) ?? []
      list.push({
        index: row.idx,
        start: row.start,
        length: row.length,
        url: row.url,
        offset: row.confirmed,
      })
      byUpload.set(row.upload_id, list)
    }
    return uploads.map((row) => recordFromRow(row, byUpload.get(row.id) ?? []))
  }

  saveUpload(record: UploadRecord): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO uploads (id, kind, name, mime, conversation_id, path, size, mtime_ms, sha256,
           chunk_size, final_url, file_id, status, error_code, error_message, created_at,
           updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256,
           final_url = excluded.final_url, file_id = excluded.file_id, status = excluded.status,
           error_code = excluded.error_code, error_message = excluded.error_message,
           updated_at = excluded.updated_at`,
        [
          record.id,
          record.kind,
          record.name,
          record.mime,
          record.conversationId,
          record.path,
          record.size,
          record.mtimeMs,
          record.sha256,
          record.chunkSize,
          record.finalUrl,
          record.fileId,
          record.status,
          record.error?.code ?? null,
          record.error?.message ?? null,
          record.createdAt,
          record.updatedAt,
        ],
      )
      // Every chunk in one statement: a 2 GB file has hundreds of them.
      await tx.run(
        `INSERT INTO upload_chunks (upload_id, idx, start, length, url, confirmed)
           SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4
           FROM json_each(?) WHERE true
         ON CONFLICT (upload_id, idx) DO UPDATE SET url = excluded.url,
           confirmed = excluded.confirmed`,
        [
          record.id,
          JSON.stringify(
            record.chunks.map((chunk) => [
              chunk.index,
              chunk.start,
              chunk.length,
              chunk.url,
              chunk.offset,
            ]),
          ),
        ],
      )
    })
  }

  async saveChunk(uploadId: string, chunk: ChunkRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO upload_chunks (upload_id, idx, start, length, url, confirmed)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, idx) DO UPDATE SET url = excluded.url,
         confirmed = excluded.confirmed`,
      [uploadId, chunk.index, chunk.start, chunk.length, chunk.url, chunk.offset],
    )
  }

  async deleteUpload(uploadId: string): Promise<void> {
    // Chunks go with it (ON DELETE CASCADE).
    await this.db.run('DELETE FROM uploads WHERE id = ?', [uploadId])
  }
}

function recordFromRow(row: UploadRow, chunks: ChunkRecord[]): UploadRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    mime: row.mime,
    conversationId: row.conversation_id,
    path: row.path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    sha256: row.sha256,
    chunkSize: row.chunk_size,
    chunks,
    finalUrl: row.final_url,
    fileId: row.file_id,
    status: row.status,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
