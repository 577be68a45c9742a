// An upload's failure as the attachments table keeps it (`upload_error`): JSON with the code, the
// English message and the params, so the UI can word it in its language, after a restart too. A
// row written before holds the bare message; it still reads, without a code.
import {
  isUploadErrorCode,
  toErrorParams,
  type ErrorParams,
  type UploadErrorCode,
} from '../../../shared/errors'

/** What AttachmentUploadView carries of a failure. */
export interface UploadFailure {
  error: string | null
  errorCode?: UploadErrorCode
  errorParams?: ErrorParams
}

export function storedUploadFailure(error: {
  code: UploadErrorCode
  message: string
  params?: ErrorParams
}): string {
  return JSON.stringify({ code: error.code, message: error.message, params: error.params })
}

export function uploadFailureOf(stored: string | null): UploadFailure {
  if (stored === null || !stored.startsWith('{')) return { error: stored }
  try {
    const parsed = JSON.parse(stored) as { code?: unknown; message?: unknown; params?: unknown }
    if (typeof parsed.message !== 'string' || !isUploadErrorCode(parsed.code)) {
      return { error: stored }
    }
    const params = toErrorParams(parsed.params)
    return {
      error: parsed.message,
      errorCode: parsed.code,
      ...(params ? { errorParams: params } : {}),
    }
  } catch {
    return { error: stored }
  }
}
