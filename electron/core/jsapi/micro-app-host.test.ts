import { create } from '@bufbuild/protobuf'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HostError } from '../../../shared/errors'
import type { Frame } from '../../../shared/frame-codec'
import { FrameSchema } from '../../../shared/gen/tack_pb'
import type { Person } from '../../../shared/host-api'
import type { FrameBody } from '../net/connection'
import { MicroAppHost, type JsApiCall } from './micro-app-host'
import { writeZip } from './zip'

const ORIGIN = 'http://127.0.0.1:7480'
const me: Person = {
  id: 'u-alice',
  username: 'alice',
  name: '王爱丽',
  nameEn: 'Alice Wang',
  departmentId: 'dept-eng',
  title: '',
  avatarColor: '#000',
}

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A host whose server knows the demo app and accepts only the signature "good". */
async function makeHost() {
  const profileDir = await mkdtemp(join(tmpdir(), 'tack-jsapi-'))
  dirs.push(profileDir)
  const requests: FrameBody[] = []
  const reply = (body: FrameBody): Frame => create(FrameSchema, { id: 1, body })
  const host = new MicroAppHost({
    profileDir,
    me: () => me,
    online: () => true,
    request: async (body) => {
      requests.push(body)
      if (body.case === 'microAppList') {
        return reply({
          case: 'microAppListReply',
          value: {
            apps: [
              {
                agentId: 'demo-tasks',
                name: 'Tasks',
                homeUrl: `${ORIGIN}/`,
                allowedOrigins: [ORIGIN],
                jsapiList: [
                  'biz.contact.choose',
                  'biz.chat.pickConversation',
                  'device.notification.toast',
                  'runtime.permission.requestAuthCode',
                ],
              },
            ],
          },
        })
      }
      if (body.case === 'jsapiConfig') {
        if (body.value.signature !== 'good')
          throw new HostError('SERVER_ERROR', 'signature does not match')
        return reply({ case: 'ok', value: {} })
      }
      if (body.case === 'authCode') return reply({ case: 'authCodeReply', value: { code: 'c0de' } })
      throw new Error(`unexpected ${body.case}`)
    },
  })
  const call = (method: string, params: unknown, overrides: Partial<JsApiCall> = {}) =>
    host.invoke({
      instanceId: 'tab-1',
      agentId: 'demo-tasks',
      origin: ORIGIN,
      url: `${ORIGIN}/index.html`,
      method,
      params,
      ...overrides,
    })
  const config = (signature: string, jsApiList = ['biz.contact.choose']) =>
    call('config', {
      agentId: 'demo-tasks',
      timeStamp: Date.now(),
      nonceStr: 'n',
      signature,
      jsApiList,
    })
  return { host, call, config, requests }
}

describe('JS-API checks in the host', () => {
  it('refuses a frame from an origin the app does not allow, whatever URL the page claims', async () => {
    const { call } = await makeHost()
    const outcome = await call(
      'device.notification.toast',
      { text: 'hi' },
      {
        origin: 'http://evil.example',
      },
    )
    expect(outcome).toMatchObject({ kind: 'error', error: { errorCode: 1002 } })
  })

  it('refuses bad parameters with BAD_PARAMS naming the field', async () => {
    const { call } = await makeHost()
    const outcome = await call('device.notification.toast', { text: 42 })
    expect(outcome).toMatchObject({
      kind: 'error',
      error: { error: 'BAD_PARAMS', errorCode: 1004 },
    })
    if (outcome.kind === 'error') expect(outcome.error.errorMessage).toMatch(/text/)
  })

  it('a method that needs dd.config is NOT_CONFIGURED before a valid signature and runs after', async () => {
    const { call, config } = await makeHost()
    expect(await call('biz.contact.choose', {})).toMatchObject({
      error: { error: 'NOT_CONFIGURED' },
    })

    expect(await config('bad')).toMatchObject({
      error: { error: 'BAD_SIGNATURE', errorCode: 1007 },
    })
    expect(await call('biz.contact.choose', {})).toMatchObject({
      error: { error: 'NOT_CONFIGURED' },
    })

    expect(await config('good')).toEqual({ kind: 'result', result: {} })
    expect(await call('biz.contact.choose', { multiple: false })).toEqual({
      kind: 'ui',
      params: { multiple: false },
    })
  })

  it('a method outside the jsApiList of dd.config fails with PERMISSION_DENIED', async () => {
    const { call, config } = await makeHost()
    await config('good', ['biz.contact.choose'])
    expect(await call('biz.chat.pickConversation', {})).toMatchObject({
      error: { error: 'PERMISSION_DENIED', errorCode: 1005 },
    })
  })

  it("a method outside the app's registered list fails even without dd.config", async () => {
    const { call } = await makeHost()
    expect(await call('device.notification.alert', { message: 'x' })).toMatchObject({
      error: { error: 'PERMISSION_DENIED' },
    })
  })

  it('requestAuthCode asks the server for a code for this app', async () => {
    const { call, requests } = await makeHost()
    expect(await call('runtime.permission.requestAuthCode', {})).toEqual({
      kind: 'result',
      result: { code: 'c0de' },
    })
    expect(requests.at(-1)).toEqual({ case: 'authCode', value: { agentId: 'demo-tasks' } })
  })

  it('an offline package served at tack-app://<agentId> (Electron) calls from its own origin only', async () => {
    const { host } = await makeHost()
    host.servePackagesAt((agentId) => `tack-app://${agentId}`)
    await host.list()
    const manifest = JSON.stringify({ agentId: 'demo-tasks', version: '1.0.0' })
    const app = await host.installPackage(writeZip({ 'manifest.json': manifest, 'index.html': '' }))
    expect(app.homeUrl).toBe('tack-app://demo-tasks/index.html')
    const call = (origin: string, url: string) =>
      host.invoke({
        instanceId: 'tab-3',
        agentId: 'demo-tasks',
        origin,
        url,
        method: 'runtime.permission.requestAuthCode',
        params: {},
      })
    expect(await call('tack-app://demo-tasks', app.homeUrl)).toEqual({
      kind: 'result',
      result: { code: 'c0de' },
    })
    expect(await call('tack-app://other-app', 'tack-app://other-app/index.html')).toMatchObject({
      error: { errorCode: 1002 },
    })
    expect(await call('tack-app://demo-tasks', 'tack-app://other-app/index.html')).toMatchObject({
      error: { errorCode: 1002 },
    })
    expect(await call('tack-app://demo-tasks', 'data:text/html,x')).toMatchObject({
      error: { errorCode: 1002 },
    })
  })

  it('a developer-mode app may call every method without dd.config', async () => {
    const { host } = await makeHost()
    const app = await host.addDevApp('http://localhost:5173/', 'My app')
    const outcome = await host.invoke({
      instanceId: 'tab-2',
      agentId: app.agentId,
      origin: 'http://localhost:5173',
      url: 'http://localhost:5173/',
      method: 'biz.chat.pickConversation',
      params: {},
    })
    expect(outcome).toEqual({ kind: 'ui', params: {} })
  })

  it('an OAuth2 authorize URL opens as the redirect URI with a code for the app and the state', async () => {
    const { host } = await makeHost()
    await host.list()
    const authorize = `https://open.example/connect/oauth2/authorize?appid=k&response_type=code&state=s1&redirect_uri=${encodeURIComponent(`${ORIGIN}/login`)}`

    expect(await host.authorize('demo-tasks', authorize)).toBe(`${ORIGIN}/login?code=c0de&state=s1`)
  })

  it("an OAuth2 redirect off the app's origins is refused", async () => {
    const { host } = await makeHost()
    const authorize = `https://open.example/connect/oauth2/authorize?redirect_uri=${encodeURIComponent('https://evil.example/steal')}`

    await expect(host.authorize('demo-tasks', authorize)).rejects.toThrow(/redirect_uri/)
  })
})
