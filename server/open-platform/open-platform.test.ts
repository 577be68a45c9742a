import { request } from 'node:https'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode, GroupNoticeKind } from '../../shared/gen/tack_pb'
import { DATABASE_FILE } from '../server'
import { openSqliteStorage } from '../storage/sqlite-storage'
import { bodyOf } from '../test/frame-client'
import {
  makeSeededDataDir,
  receiveItems,
  removeDataDir,
  requestSync,
  startTestServer,
  type TestServer,
} from '../test/harness'
import { AUTH_CODE_LIFETIME_MS, jsApiSignature } from './credentials'
import { DEMO_MICROAPP, registerDemoMicroApp } from './demo-app'
import type { OpenApiError } from './errors'
import { OpenPlatform } from './registry'

type Json = Record<string, unknown>

function call(test: TestServer, path: string, body?: unknown): Promise<Json> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, test.server.openApiUrl)
    const outgoing = request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca: test.server.caPem,
        headers: { 'Content-Type': 'application/json' },
      },
      (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => resolve(JSON.parse(text) as Json))
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

async function accessToken(test: TestServer): Promise<string> {
  const answer = await call(
    test,
    `/gettoken?appkey=${DEMO_MICROAPP.appKey}&appsecret=${DEMO_MICROAPP.appSecret}`,
  )
  expect(answer.errcode).toBe(0)
  return answer.access_token as string
}

let test: TestServer | undefined
const dataDirs: string[] = []

afterEach(async () => {
  await test?.close()
  test = undefined
  for (const dir of dataDirs.splice(0)) await removeDataDir(dir)
})

async function start(): Promise<TestServer> {
  const dataDir = await makeSeededDataDir()
  dataDirs.push(dataDir)
  test = await startTestServer({ dataDir })
  return test
}

describe('open platform', () => {
  it('exchanges a free-login code once for the person who asked; a reused code fails', async () => {
    const server = await start()
    const alice = await server.login('alice')
    const { code } = await alice.client.call(
      { case: 'authCode', value: { agentId: DEMO_MICROAPP.agentId } },
      'authCodeReply',
    )
    const token = await accessToken(server)

    const first = await call(server, `/user/getuserinfo?access_token=${token}&code=${code}`)
    expect(first).toMatchObject({ errcode: 0, userid: 'u-alice', name: '王爱丽' })

    const again = await call(server, `/user/getuserinfo?access_token=${token}&code=${code}`)
    expect(again.errcode).toBe(40078)
  })

  it('refuses wrong app credentials and unknown access tokens', async () => {
    const server = await start()
    const wrong = await call(server, `/gettoken?appkey=${DEMO_MICROAPP.appKey}&appsecret=nope`)
    expect(wrong.errcode).toBe(40001)
    const unknown = await call(server, '/department/list?access_token=made-up')
    expect(unknown.errcode).toBe(40014)
  })

  it('a work notification sent through the open API reaches the recipient as from the app', async () => {
    const server = await start()
    const bob = await server.login('bob')
    await requestSync(bob.client, bob.session.headSyncId)
    const token = await accessToken(server)

    const answer = await call(
      server,
      `/message/corpconversation/asyncsend_v2?access_token=${token}`,
      {
        userid_list: 'u-bob',
        msg: { msgtype: 'text', text: { content: 'A task for you' } },
      },
    )
    expect(answer.errcode).toBe(0)

    const items = await receiveItems(bob.client, 2)
    const message = items.find((item) => item.kind.case === 'messageCreated')
    expect(message?.kind.value).toMatchObject({
      senderId: 'app-demo-tasks',
      text: 'A task for you',
    })
  })

  it('posts to a group it created, but not to a conversation it is not in', async () => {
    const server = await start()
    const bob = await server.login('bob')
    await requestSync(bob.client, bob.session.headSyncId)
    const token = await accessToken(server)
    const msg = { msgtype: 'text', text: { content: 'Stand-up in 5' } }

    const created = await call(server, `/chat/create?access_token=${token}`, {
      name: 'Tasks',
      useridlist: ['u-alice', 'u-bob'],
    })
    expect(created.errcode).toBe(0)
    const sent = await call(server, `/chat/send?access_token=${token}`, {
      chatid: created.chatid,
      msg,
    })
    expect(sent.errcode).toBe(0)
    // The group starts with the note that the app made it, then the app's message.
    const messages: unknown[] = []
    while (messages.length < 2) {
      const items = await receiveItems(bob.client, 1)
      messages.push(
        ...items.flatMap((item) => (item.kind.case === 'messageCreated' ? [item.kind.value] : [])),
      )
    }
    expect(messages).toMatchObject([
      {
        senderId: 'app-demo-tasks',
        text: '',
        notice: { kind: GroupNoticeKind.CREATED, title: 'Tasks' },
      },
      { senderId: 'app-demo-tasks', text: 'Stand-up in 5' },
    ])

    const elsewhere = await call(server, `/chat/send?access_token=${token}`, {
      chatid: 'g:all-hands',
      msg,
    })
    expect(elsewhere.errcode).toBe(60021)
  })

  it("makes the first person it names the owner of an app's group, never its bot", async () => {
    const server = await start()
    const token = await accessToken(server)
    const { client: byAlice } = await server.login('alice')
    const { client: byBob } = await server.login('bob')
    const { chatid } = await call(server, `/chat/create?access_token=${token}`, {
      name: 'Tasks',
      useridlist: ['u-alice', 'u-bob', 'u-carol'],
    })
    const remove = (client: typeof byAlice, userId: string) =>
      client.request({
        case: 'updateConversation',
        value: { conversationId: chatid as string, addMemberIds: [], removeMemberIds: [userId] },
      })

    const byNotOwner = bodyOf(await remove(byBob, 'u-carol'), 'error')
    const byOwner = bodyOf(await remove(byAlice, 'u-carol'), 'updateConversationReply')

    expect(byNotOwner.code).toBe(ErrorCode.FORBIDDEN)
    expect(byOwner.conversation?.memberIds).toEqual([
      `app-${DEMO_MICROAPP.agentId}`,
      'u-alice',
      'u-bob',
    ])
  })

  it("refuses another app's bot in an app's group, with its own error", async () => {
    const dataDir = await makeSeededDataDir()
    dataDirs.push(dataDir)
    const storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
    registerDemoMicroApp(storage)
    storage.saveMicroApp({
      ...storage.listMicroApps().find((app) => app.agentId === DEMO_MICROAPP.agentId)!,
      agentId: 'expenses',
      name: '报销',
      nameEn: 'Expenses',
      appKey: 'expenses-key',
      botUserId: 'app-expenses',
    })
    storage.close()
    test = await startTestServer({ dataDir })
    const token = await accessToken(test)

    const refused = await call(test, `/chat/create?access_token=${token}`, {
      name: 'Tasks',
      useridlist: ['u-alice', 'app-expenses'],
    })
    // Its own bot named among the members is no error: it is in the group anyway.
    const own = await call(test, `/chat/create?access_token=${token}`, {
      name: 'Tasks',
      useridlist: ['u-alice', `app-${DEMO_MICROAPP.agentId}`],
    })

    expect(refused).toMatchObject({
      errcode: 60122,
      errmsg: expect.stringContaining('app-expenses'),
    })
    expect(own.errcode).toBe(0)
  })

  it("keeps a micro-app's bot out of groups people make or change, but not out of its own", async () => {
    const server = await start()
    const token = await accessToken(server)
    const bot = `app-${DEMO_MICROAPP.agentId}`
    const { client } = await server.login('alice')
    const appGroup = await call(server, `/chat/create?access_token=${token}`, {
      name: 'Tasks',
      useridlist: ['u-alice', 'u-bob'],
    })
    const update = (conversationId: string, addMemberIds: string[]) =>
      client.request({
        case: 'updateConversation',
        value: { conversationId, addMemberIds, removeMemberIds: [] },
      })

    const created = bodyOf(
      await client.request({ case: 'createGroup', value: { title: 'Plans', memberIds: [bot] } }),
      'error',
    )
    const mine = (
      await client.call(
        { case: 'createGroup', value: { title: 'Plans', memberIds: ['u-bob'] } },
        'createGroupReply',
      )
    ).conversation!
    const added = bodyOf(await update(mine.id, ['u-carol', bot]), 'error')
    const appGroupGrew = bodyOf(
      await update(appGroup.chatid as string, ['u-carol', bot]),
      'updateConversationReply',
    )

    expect(created.code).toBe(ErrorCode.BOT_MEMBER_REFUSED)
    expect(added.code).toBe(ErrorCode.BOT_MEMBER_REFUSED)
    expect(appGroupGrew.conversation?.memberIds).toEqual([bot, 'u-alice', 'u-bob', 'u-carol'])
    const sent = await call(server, `/chat/send?access_token=${token}`, {
      chatid: appGroup.chatid,
      msg: { msgtype: 'text', text: { content: 'Still here' } },
    })
    expect(sent.errcode).toBe(0)
  })

  it('rejects a message with bad parameters with errcode 40035', async () => {
    const server = await start()
    const token = await accessToken(server)
    const answer = await call(server, `/chat/send?access_token=${token}`, { chatid: 'g:all-hands' })
    expect(answer.errcode).toBe(40035)
  })
})

describe('offline packages on the open platform', () => {
  function upload(server: TestServer, token: string, version: string, zip: Buffer): Promise<Json> {
    return new Promise((resolve, reject) => {
      const url = new URL(
        `/microapp/package?version=${version}&access_token=${token}`,
        server.server.openApiUrl,
      )
      const outgoing = request(url, { method: 'POST', ca: server.server.caPem }, (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => resolve(JSON.parse(text) as Json))
      })
      outgoing.on('error', reject)
      outgoing.end(zip)
    })
  }

  it('stores a package only at a newer version, lists its version and hands it to clients', async () => {
    const server = await start()
    const token = await accessToken(server)
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)])

    expect((await upload(server, token, '1.0.0', zip)).errcode).toBe(0)
    expect(await upload(server, token, '1.0.0', zip)).toMatchObject({ errcode: 40035 })
    expect(await upload(server, token, '1.0.1', Buffer.from('not a zip'))).toMatchObject({
      errcode: 40035,
    })

    const alice = await server.login('alice')
    const { apps } = await alice.client.call(
      { case: 'microAppList', value: {} },
      'microAppListReply',
    )
    expect(apps.find((app) => app.agentId === DEMO_MICROAPP.agentId)?.packageVersion).toBe('1.0.0')
    const reply = await alice.client.call(
      { case: 'microAppPackage', value: { agentId: DEMO_MICROAPP.agentId } },
      'microAppPackageReply',
    )
    expect(Buffer.from(reply.zip).equals(zip)).toBe(true)
  })
})

describe('free-login codes and dd.config signatures', () => {
  async function platformAt(clock: { now: number }) {
    const dataDir = await makeSeededDataDir()
    dataDirs.push(dataDir)
    const storage = openSqliteStorage(join(dataDir, DATABASE_FILE))
    registerDemoMicroApp(storage)
    return { storage, platform: new OpenPlatform(storage, () => clock.now) }
  }

  it('an expired code fails at the exchange', async () => {
    const clock = { now: 1_000_000 }
    const { storage, platform } = await platformAt(clock)
    const { code } = platform.issueAuthCode('u-alice', DEMO_MICROAPP.agentId)

    clock.now += AUTH_CODE_LIFETIME_MS + 1

    expect(() => platform.exchangeAuthCode(DEMO_MICROAPP.agentId, code)).toThrow(
      expect.objectContaining({ errorName: 'AUTH_CODE_EXPIRED' }) as OpenApiError,
    )
    storage.close()
  })

  it('a code issued for one app does not sign anyone in to another', async () => {
    const clock = { now: 1_000_000 }
    const { storage, platform } = await platformAt(clock)
    const { code } = platform.issueAuthCode('u-alice', DEMO_MICROAPP.agentId)

    expect(() => platform.exchangeAuthCode('another-app', code)).toThrow(/another app/)
    storage.close()
  })

  it('accepts a signature only over the same ticket, nonce, timestamp and url', async () => {
    const clock = { now: Date.now() }
    const { storage, platform } = await platformAt(clock)
    const { ticket } = platform.jsApiTicket(DEMO_MICROAPP.agentId)
    const signed = { nonceStr: 'n0nce', timestamp: clock.now, url: 'http://127.0.0.1:7480/' }
    const signature = jsApiSignature({ ticket, ...signed })

    const check = (changes: Partial<typeof signed>) =>
      platform.checkConfigSignature({
        agentId: DEMO_MICROAPP.agentId,
        ...signed,
        ...changes,
        signature,
      })

    expect(check({})).toBeNull()
    expect(check({ url: 'http://127.0.0.1:7480/#/tasks' })).toBeNull()
    expect(check({ url: 'http://127.0.0.1:7480/other' })).toMatch(/does not match/)
    expect(check({ nonceStr: 'other' })).toMatch(/does not match/)
    expect(check({ timestamp: clock.now - 3 * 60 * 60 * 1000 })).toMatch(/timestamp/)
    storage.close()
  })
})
