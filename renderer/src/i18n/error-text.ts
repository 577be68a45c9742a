// Errors in the UI's language. A HostError, an upload's failure and a signed-out reason are worded
// from their code and params; their English message is detail for the log and a "Details" line
// (errorDetail), never the sentence a person reads.
import type { TFunction } from 'i18next'
import {
  isUploadErrorCode,
  type ErrorParams,
  type HostErrorCode,
  type UploadErrorCode,
} from '../../../shared/errors'
import type { SignedOutCode } from '../../../shared/signed-out'
import { formatBytes, formatCount } from '../format/number'

export function errorText(t: TFunction, error: { code: HostErrorCode; params?: ErrorParams }) {
  const address = error.params?.address
  if (error.code === 'UNREACHABLE' && typeof address === 'string') {
    return t('errors.codes.UNREACHABLE_AT', { address })
  }
  return t(`errors.codes.${error.code}`)
}

/** The English message as a line under the worded error (a title, a report). */
export function errorDetail(t: TFunction, message: string): string {
  return t('errors.details', { message })
}

/** An upload's failure; without a code (an older record) its message is all there is. */
export function uploadErrorText(
  t: TFunction,
  language: string,
  upload: { error: string | null; errorCode?: UploadErrorCode | string; errorParams?: ErrorParams },
): string {
  const code = upload.errorCode
  if (!isUploadErrorCode(code)) return upload.error ?? ''
  if (code !== 'FILE_TOO_LARGE') return t(`errors.upload.${code}`)
  const { name, size, limit } = upload.errorParams ?? {}
  if (typeof name !== 'string' || typeof size !== 'number' || typeof limit !== 'number') {
    return t('errors.upload.FILE_TOO_LARGE_SOME')
  }
  // The exact counts beside the short ones, so a file a little past the limit reads as such.
  return t('errors.upload.FILE_TOO_LARGE', {
    name,
    size: formatBytes(size, language),
    sizeBytes: formatCount(size, language),
    limit: formatBytes(limit, language),
    limitBytes: formatCount(limit, language),
  })
}

export function signedOutText(t: TFunction, code: SignedOutCode): string {
  return t('login.signedOut', { reason: t(`login.signedOutReasons.${code}`) })
}

const PLATFORMS = ['browser', 'linux', 'darwin', 'win32'] as const

/** A device's platform as the UI names it; one this version does not know is shown as sent. */
export function platformName(t: TFunction, platform: string): string {
  const known = PLATFORMS.find((name) => name === platform)
  return known ? t(`devices.platforms.${known}`) : platform
}
