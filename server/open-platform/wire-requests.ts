// The access layer's micro-app requests: the registry for the workbench, free-login auth codes,
// and dd.config signature checks. The client core calls these on behalf of a micro-app.
import { z } from 'zod'
import { createLogger } from '../../shared/logger'
import { forbidden, notFound } from '../access/request-error'
import { sessionRequest } from '../access/request-handler'
import { OpenPlatform } from './registry'

const log = createLogger('open-platform')

const agentIdSchema = z.string().min(1).max(128)

export const microAppList = sessionRequest(z.object({}), (_request, { storage }) => {
  const packages = storage.microAppPackageVersions()
  return {
    case: 'microAppListReply',
    value: {
      apps: storage.listMicroApps().map((app) => ({
        agentId: app.agentId,
        name: app.name,
        icon: app.icon,
        description: app.description,
        homeUrl: app.homeUrl,
        allowedOrigins: app.allowedOrigins,
        jsapiList: app.jsApiList,
        packageVersion: packages.get(app.agentId) ?? '',
      })),
    },
  }
})

export const microAppPackage = sessionRequest(
  z.object({ agentId: agentIdSchema }),
  (request, { storage }) => {
    const stored = storage.findMicroAppPackage(request.agentId)
    if (!stored) throw notFound(`no offline package for ${request.agentId}`)
    return {
      case: 'microAppPackageReply',
      value: { version: stored.version, zip: new Uint8Array(stored.zip) },
    }
  },
)

export const authCode = sessionRequest(
  z.object({ agentId: agentIdSchema }),
  (request, { storage, session }) => {
    if (!storage.findMicroApp(request.agentId)) throw notFound(`no micro-app ${request.agentId}`)
    const issued = new OpenPlatform(storage).issueAuthCode(session.user.id, request.agentId)
    log.info({ agentId: request.agentId, userId: session.user.id }, 'auth code issued')
    return {
      case: 'authCodeReply',
      value: { code: issued.code, expiresAtMs: BigInt(issued.expiresAtMs) },
    }
  },
)

export const jsApiConfig = sessionRequest(
  z.object({
    agentId: agentIdSchema,
    url: z.string().min(1).max(4096),
    nonceStr: z.string().min(1).max(128),
    timestamp: z.bigint(),
    signature: z.string().min(1).max(128),
  }),
  (request, { storage }) => {
    if (!storage.findMicroApp(request.agentId)) throw notFound(`no micro-app ${request.agentId}`)
    const refusal = new OpenPlatform(storage).checkConfigSignature({
      ...request,
      timestamp: Number(request.timestamp),
    })
    if (refusal) {
      log.info({ agentId: request.agentId, reason: refusal }, 'dd.config refused')
      throw forbidden(refusal)
    }
    return { case: 'ok', value: {} }
  },
)
