// The open platform's rules over storage: issuing and exchanging free-login auth codes, access
// tokens for an app's backend, jsapi tickets, and checking dd.config signatures.
import { timingSafeEqual } from 'node:crypto'
import type { User } from '../../shared/gen/tack_pb'
import type { MicroAppRecord, Storage } from '../storage/storage'
import {
  ACCESS_TOKEN_LIFETIME_MS,
  AUTH_CODE_LIFETIME_MS,
  JSAPI_TICKET_LIFETIME_MS,
  hashSecret,
  jsApiSignature,
  newSecret,
  secretMatches,
} from './credentials'
import { OpenApiError } from './errors'

/** How far a dd.config timestamp may be from the server's clock. */
export const CONFIG_TIMESTAMP_SLACK_MS = 2 * 60 * 60 * 1000

let authCodeLifetimeMs = AUTH_CODE_LIFETIME_MS

/** Shortens (or restores) the auth code lifetime for this process: for tests of expiry only. */
export function setAuthCodeLifetime(ms: number = AUTH_CODE_LIFETIME_MS): void {
  authCodeLifetimeMs = ms
}

export class OpenPlatform {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {}

  /** A one-time code for the user and the app, valid for five minutes. */
  issueAuthCode(userId: string, agentId: string): { code: string; expiresAtMs: number } {
    const app = this.storage.findMicroApp(agentId)
    if (!app) throw new OpenApiError('BAD_PARAMS', `no micro-app ${agentId}`)
    const code = newSecret()
    const expiresAtMs = this.now() + authCodeLifetimeMs
    this.storage.saveAuthCode({ codeHash: hashSecret(code), userId, agentId, expiresAtMs })
    return { code, expiresAtMs }
  }

  /** The user a code was issued to. The code is gone afterwards, whatever the answer. */
  exchangeAuthCode(agentId: string, code: string): User {
    const record = this.storage.takeAuthCode(hashSecret(code))
    if (!record) throw new OpenApiError('BAD_AUTH_CODE')
    if (record.expiresAtMs <= this.now()) throw new OpenApiError('AUTH_CODE_EXPIRED')
    if (record.agentId !== agentId) throw new OpenApiError('AUTH_CODE_OTHER_APP')
    const user = this.storage.findUser(record.userId)
    if (!user) throw new OpenApiError('NO_SUCH_USER')
    return user
  }

  issueAccessToken(appKey: string, appSecret: string): { token: string; expiresInS: number } {
    const app = this.storage.findMicroAppByKey(appKey)
    if (!app || !secretMatches(appSecret, app.appSecretHash)) {
      throw new OpenApiError('BAD_APP_CREDENTIALS')
    }
    const token = newSecret(32)
    this.storage.saveAccessToken({
      tokenHash: hashSecret(token),
      agentId: app.agentId,
      expiresAtMs: this.now() + ACCESS_TOKEN_LIFETIME_MS,
    })
    return { token, expiresInS: ACCESS_TOKEN_LIFETIME_MS / 1000 }
  }

  /** The app an access token was issued to. */
  appOfAccessToken(token: string): MicroAppRecord {
    const record = this.storage.findAccessToken(hashSecret(token))
    if (!record) throw new OpenApiError('BAD_ACCESS_TOKEN')
    if (record.expiresAtMs <= this.now()) throw new OpenApiError('ACCESS_TOKEN_EXPIRED')
    const app = this.storage.findMicroApp(record.agentId)
    if (!app) throw new OpenApiError('BAD_ACCESS_TOKEN')
    return app
  }

  /** The app's current jsapi ticket, made anew when missing or expired. */
  jsApiTicket(agentId: string): { ticket: string; expiresInS: number } {
    const now = this.now()
    let record = this.storage.findJsApiTicket(agentId)
    if (!record || record.expiresAtMs <= now) {
      record = { agentId, ticket: newSecret(32), expiresAtMs: now + JSAPI_TICKET_LIFETIME_MS }
      this.storage.saveJsApiTicket(record)
    }
    return { ticket: record.ticket, expiresInS: Math.floor((record.expiresAtMs - now) / 1000) }
  }

  /** Why a dd.config signature is refused, or null when it is valid for the URL. */
  checkConfigSignature(input: {
    agentId: string
    url: string
    nonceStr: string
    timestamp: number
    signature: string
  }): string | null {
    const record = this.storage.findJsApiTicket(input.agentId)
    if (!record || record.expiresAtMs <= this.now()) return 'no valid jsapi ticket for the app'
    if (Math.abs(this.now() - input.timestamp) > CONFIG_TIMESTAMP_SLACK_MS) {
      return 'timestamp is too far from the server clock'
    }
    const expected = Buffer.from(jsApiSignature({ ticket: record.ticket, ...input }))
    const offered = Buffer.from(input.signature.toLowerCase())
    if (expected.length !== offered.length || !timingSafeEqual(expected, offered)) {
      return 'signature does not match the ticket, nonce, timestamp and url'
    }
    return null
  }
}
