// The open platform's HTTP API for a micro-app's own backend, on its own HTTPS listener (the same
// certificate as the access layer, so backends trust the local CA). DingTalk's shape: JSON answers
// with `errcode` and `errmsg`, the access token in the query.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { create } from '@bufbuild/protobuf'
import {
  ConversationKind,
  ConversationSchema,
  GroupNoticeKind,
  type User,
} from '../../shared/gen/tack_pb'
import { createLogger } from '../../shared/logger'
import { directPair, isBotOf, postNotice } from '../access/requests/conversations'
import type { MicroAppRecord, Storage } from '../storage/storage'
import { OPEN_API_ERRORS, OpenApiError } from './errors'
import type { OpenPlatform } from './registry'

const log = createLogger('open-api')

const MAX_BODY_BYTES = 64 * 1024
/** An offline package must fit in one frame to the client, with room to spare. */
export const MAX_PACKAGE_BYTES = 900 * 1024
const MAX_TEXT_CHARS = 10_000

export interface OpenApiServerOptions {
  storage: Storage
  platform: OpenPlatform
  certPem: string
  keyPem: string
  /** Wakes the sync streams of users whose logs grew. */
  logsGrew(userIds: string[]): void
}

type Query = URLSearchParams
type Answer = Record<string, unknown>

interface Route {
  method: 'GET' | 'POST'
  /** Without an access token: only /gettoken. */
  open?: boolean
  /** The body is bytes (an offline package), not JSON. */
  raw?: boolean
  handle(query: Query, body: unknown, app: MicroAppRecord | null): Answer
}

const textMessageSchema = z.object({
  msgtype: z.literal('text'),
  text: z.object({ content: z.string().min(1).max(MAX_TEXT_CHARS) }),
})

export class OpenApiServer {
  private readonly server: Server
  private readonly routes: Record<string, Route>

  constructor(private readonly options: OpenApiServerOptions) {
    this.routes = this.makeRoutes()
    this.server = createServer(
      { cert: options.certPem, key: options.keyPem },
      (request, response) => {
        void this.serve(request, response)
      },
    )
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        resolve((this.server.address() as AddressInfo).port)
      })
    })
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://placeholder')
    const started = Date.now()
    try {
      const route = this.routes[url.pathname]
      if (!route || route.method !== request.method) throw new OpenApiError('NO_SUCH_API')
      const body =
        route.method !== 'POST'
          ? undefined
          : route.raw
            ? await readBytes(request, MAX_PACKAGE_BYTES)
            : await readJson(request)
      const app = route.open ? null : this.appOf(url.searchParams)
      const answer = route.handle(url.searchParams, body, app)
      reply(response, 200, { errcode: 0, errmsg: 'ok', ...answer })
      log.debug({ path: url.pathname, durationMs: Date.now() - started }, 'open api served')
    } catch (error) {
      if (!(error instanceof OpenApiError)) {
        log.error({ path: url.pathname, error: String(error) }, 'open api failed')
        reply(response, 500, { errcode: -1, errmsg: 'internal error' })
        return
      }
      const known = OPEN_API_ERRORS[error.errorName]
      log.info({ path: url.pathname, errcode: known.errcode }, 'open api refused')
      reply(response, known.status, { errcode: known.errcode, errmsg: error.message })
    }
  }

  private appOf(query: Query): MicroAppRecord {
    const token = query.get('access_token')
    if (!token) throw new OpenApiError('BAD_ACCESS_TOKEN', 'access_token is missing')
    return this.options.platform.appOfAccessToken(token)
  }

  private makeRoutes(): Record<string, Route> {
    const { storage, platform } = this.options
    return {
      '/gettoken': {
        method: 'GET',
        open: true,
        handle: (query) => {
          const issued = platform.issueAccessToken(
            required(query, 'appkey'),
            required(query, 'appsecret'),
          )
          return { access_token: issued.token, expires_in: issued.expiresInS }
        },
      },
      '/get_jsapi_ticket': {
        method: 'GET',
        handle: (_query, _body, app) => {
          const { ticket, expiresInS } = platform.jsApiTicket(app!.agentId)
          return { ticket, expires_in: expiresInS }
        },
      },
      '/user/getuserinfo': {
        method: 'GET',
        handle: (query, _body, app) => {
          const user = platform.exchangeAuthCode(app!.agentId, required(query, 'code'))
          log.info({ agentId: app!.agentId, userId: user.id }, 'auth code exchanged')
          return { userid: user.id, ...userJson(user) }
        },
      },
      '/user/get': {
        method: 'GET',
        handle: (query) => {
          const user = storage.findUser(required(query, 'userid'))
          if (!user) throw new OpenApiError('NO_SUCH_USER')
          return userJson(user)
        },
      },
      '/user/update': {
        method: 'POST',
        handle: (_query, body, app) => this.updateUser(app!, body),
      },
      '/department/update': {
        method: 'POST',
        handle: (_query, body, app) => this.updateDepartment(app!, body),
      },
      '/user/list': {
        method: 'GET',
        handle: (query) => {
          const departmentId = query.get('department_id')
          const users = storage
            .listUsers()
            .filter((user) => !departmentId || user.departmentId === departmentId)
          return { userlist: users.map(userJson) }
        },
      },
      '/department/list': {
        method: 'GET',
        handle: () => ({
          department: storage.listDepartments().map((department) => ({
            id: department.id,
            name: department.name,
            name_en: department.nameEn,
            parentid: department.parentId || null,
          })),
        }),
      },
      '/message/corpconversation/asyncsend_v2': {
        method: 'POST',
        handle: (_query, body, app) => this.sendWorkNotification(app!, body),
      },
      '/microapp/package': {
        method: 'POST',
        raw: true,
        handle: (query, body, app) => this.savePackage(app!, required(query, 'version'), body),
      },
      '/chat/create': {
        method: 'POST',
        handle: (_query, body, app) => this.createGroup(app!, body),
      },
      '/chat/send': {
        method: 'POST',
        handle: (_query, body, app) => this.sendToConversation(app!, body),
      },
    }
  }

  /**
   * Changes a person's name, title, department or avatar colour. The directory is everyone's, so
   * the change goes into every user's sync log and reaches every signed-in device.
   */
  private updateUser(app: MicroAppRecord, body: unknown): Answer {
    mayWriteDirectory(app)
    const request = parse(
      z
        .object({
          userid: z.string().min(1).max(128),
          name: z.string().trim().min(1).max(100).optional(),
          name_en: z.string().trim().min(1).max(100).optional(),
          title: z.string().trim().max(100).optional(),
          department_id: z.string().min(1).max(128).optional(),
          avatar_color: z
            .string()
            .regex(/^#[0-9a-fA-F]{6}$/, 'expected #rrggbb')
            .optional(),
        })
        .strict(),
      body,
    )
    const { storage } = this.options
    if (!storage.findUser(request.userid)) throw new OpenApiError('NO_SUCH_USER')
    const department = request.department_id
    if (department && !storage.listDepartments().some((d) => d.id === department)) {
      throw new OpenApiError('BAD_PARAMS', `no department ${department}`)
    }
    const user = storage.updateUser(request.userid, {
      name: request.name,
      nameEn: request.name_en,
      title: request.title,
      departmentId: department,
      avatarColor: request.avatar_color,
    })
    if (!user) throw new OpenApiError('NO_SUCH_USER')
    this.options.logsGrew(storage.listUserIds())
    log.info({ userId: user.id }, 'user changed through the open platform')
    return userJson(user)
  }

  /** Renames a department; like a person's change, it reaches every user's devices. */
  private updateDepartment(app: MicroAppRecord, body: unknown): Answer {
    mayWriteDirectory(app)
    const request = parse(
      z
        .object({
          id: z.string().min(1).max(128),
          name: z.string().trim().min(1).max(100).optional(),
          name_en: z.string().trim().min(1).max(100).optional(),
        })
        .strict(),
      body,
    )
    const { storage } = this.options
    const department = storage.updateDepartment(request.id, {
      name: request.name,
      nameEn: request.name_en,
    })
    if (!department) throw new OpenApiError('BAD_PARAMS', `no department ${request.id}`)
    this.options.logsGrew(storage.listUserIds())
    return { id: department.id, name: department.name, name_en: department.nameEn }
  }

  /** A text to each person, in the direct conversation between the app and them. */
  private sendWorkNotification(app: MicroAppRecord, body: unknown): Answer {
    const request = parse(
      z.object({ userid_list: z.string().min(1).max(10_000), msg: textMessageSchema }),
      body,
    )
    const userIds = [...new Set(request.userid_list.split(',').map((id) => id.trim()))]
    const unknown = userIds.filter((userId) => !this.options.storage.findUser(userId))
    if (unknown.length > 0) throw new OpenApiError('NO_SUCH_USER', `no users ${unknown.join(', ')}`)

    const taskId = randomUUID()
    for (const userId of userIds) {
      const { id, memberIds } = directPair(app.botUserId, userId)
      this.options.storage.createConversation(
        create(ConversationSchema, {
          id,
          kind: ConversationKind.DIRECT,
          memberIds,
          createdAtMs: BigInt(Date.now()),
        }),
      )
      this.post(app, id, request.msg.text.content)
    }
    log.info({ agentId: app.agentId, recipients: userIds.length }, 'work notification sent')
    return { task_id: taskId }
  }

  /** Stores the app's offline package; clients install it when its version is newer. */
  private savePackage(app: MicroAppRecord, version: string, body: unknown): Answer {
    if (!/^\d{1,6}\.\d{1,6}\.\d{1,6}$/.test(version)) {
      throw new OpenApiError('BAD_PARAMS', 'version must be MAJOR.MINOR.PATCH')
    }
    const zip = body as Buffer
    if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50) {
      throw new OpenApiError('BAD_PARAMS', 'the body is not a zip')
    }
    const stored = this.options.storage.findMicroAppPackage(app.agentId)
    if (stored && compareVersions(version, stored.version) <= 0) {
      throw new OpenApiError('BAD_PARAMS', `version ${version} is not newer than ${stored.version}`)
    }
    this.options.storage.saveMicroAppPackage(app.agentId, version, zip)
    log.info({ agentId: app.agentId, version, bytes: zip.length }, 'offline package stored')
    return { version }
  }

  /** A group of the app and the people listed; the app may then post to it with /chat/send. */
  private createGroup(app: MicroAppRecord, body: unknown): Answer {
    const request = parse(
      z.object({
        name: z.string().trim().min(1).max(100),
        useridlist: z.array(z.string().min(1).max(128)).min(1).max(1000),
      }),
      body,
    )
    const unknown = request.useridlist.filter((userId) => !this.options.storage.findUser(userId))
    if (unknown.length > 0) throw new OpenApiError('NO_SUCH_USER', `no users ${unknown.join(', ')}`)
    // The app's own bot is a member anyway; another app's would never read (as refuseBots in
    // access/requests/conversations.ts keeps bots out of the groups people make).
    const isBot = isBotOf(this.options.storage)
    const otherBots = request.useridlist.filter((id) => isBot(id) && id !== app.botUserId)
    if (otherBots.length > 0) throw new OpenApiError('OTHER_APP_BOT', otherBots.join(', '))
    const memberIds = [...new Set([app.botUserId, ...request.useridlist])]
    const conversation = create(ConversationSchema, {
      id: `g:${randomUUID()}`,
      kind: ConversationKind.GROUP,
      title: request.name,
      memberIds,
      createdAtMs: BigInt(Date.now()),
    })
    this.options.storage.createConversation(conversation)
    postNotice(this.options.storage, conversation.id, app.botUserId, {
      kind: GroupNoticeKind.CREATED,
      title: request.name,
    })
    this.options.logsGrew(memberIds)
    log.info({ agentId: app.agentId, members: memberIds.length }, 'app group created')
    return { chatid: conversation.id }
  }

  private sendToConversation(app: MicroAppRecord, body: unknown): Answer {
    const request = parse(
      z.object({ chatid: z.string().min(1).max(128), msg: textMessageSchema }),
      body,
    )
    const conversation = this.options.storage.findConversation(request.chatid)
    if (!conversation) throw new OpenApiError('NO_SUCH_CONVERSATION')
    if (!conversation.memberIds.includes(app.botUserId)) {
      throw new OpenApiError('NOT_IN_CONVERSATION')
    }
    const messageId = this.post(app, request.chatid, request.msg.text.content)
    log.info({ agentId: app.agentId, conversationId: request.chatid }, 'app message sent')
    return { message_id: messageId }
  }

  private post(app: MicroAppRecord, conversationId: string, text: string): string {
    const { message } = this.options.storage.addMessage({
      conversationId,
      senderId: app.botUserId,
      clientMessageId: `app:${randomUUID()}`,
      text,
      sentAtMs: Date.now(),
    })
    this.options.logsGrew(this.options.storage.findConversation(conversationId)?.memberIds ?? [])
    return message.id
  }
}

function userJson(user: User): Answer {
  return {
    userid: user.id,
    username: user.username,
    name: user.name,
    name_en: user.nameEn,
    department_id: user.departmentId,
    title: user.title,
  }
}

function required(query: Query, name: string): string {
  const value = query.get(name)
  if (!value || value.length > 512) throw new OpenApiError('BAD_PARAMS', `${name} is missing`)
  return value
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new OpenApiError('BAD_PARAMS', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`)
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number)
  const right = b.split('.').map(Number)
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}

async function readBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw new OpenApiError('BAD_PARAMS', 'body is too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const bytes = await readBytes(request, MAX_BODY_BYTES)
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new OpenApiError('BAD_PARAMS', 'body is not JSON')
  }
}

function reply(response: ServerResponse, status: number, answer: Answer): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(answer))
}

/**
 * The directory is everyone's: only an app registered with `--directory-write` (an HR or
 * directory sync) may change it; any other app's token is refused
 * before anything in the body is looked at.
 */
function mayWriteDirectory(app: MicroAppRecord): void {
  if (app.directoryWrite) return
  log.warn({ agentId: app.agentId }, 'directory change refused: the app lacks directory-write')
  throw new OpenApiError(
    'NO_DIRECTORY_WRITE',
    `app ${app.agentId} may not change the directory; register it with --directory-write`,
  )
}
