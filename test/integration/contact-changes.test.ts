// A person's directory entry changed through the open platform reaches every device: the ones
// online at once (with a contactsChanged event), the ones offline at their next sign-in.
import { request } from 'node:https'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore } from '../../electron/core/client-core'
import { hashSecret } from '../../server/open-platform/credentials'
import { DEMO_MICROAPP } from '../../server/open-platform/demo-app'
import { DATABASE_FILE } from '../../server/server'
import { openSqliteStorage } from '../../server/storage/sqlite-storage'
import { useServerAndCores } from '../support/server-and-cores'
import { until } from '../support/wait'

type Json = Record<string, unknown>

describe('contact changes', () => {
  const t = useServerAndCores('tack-contacts-')

  function call(path: string, body?: unknown): Promise<Json> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, t.server.openApiUrl),
        {
          method: body === undefined ? 'GET' : 'POST',
          ca: t.server.caPem,
          headers: { 'Content-Type': 'application/json' },
        },
        (response) => {
          let text = ''
          response.on('data', (chunk: Buffer) => (text += chunk.toString()))
          response.on('end', () => {
            lastStatus = response.statusCode ?? 0
            resolve(JSON.parse(text) as Json)
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(body === undefined ? undefined : JSON.stringify(body))
    })
  }

  /** The HTTP status of the last open API answer. */
  let lastStatus = 0

  /** Every user's sync log head, read from the running server's database. */
  function syncHeads(): bigint[] {
    const storage = openSqliteStorage(join(t.dir, 'server', DATABASE_FILE))
    try {
      return storage.listUserIds().map((userId) => storage.headSyncId(userId))
    } finally {
      storage.close()
    }
  }

  /** An HR sync, registered beside the running server with leave to change the directory. */
  const HR_SYNC = { appKey: 'hr-sync-key', appSecret: 'hr-sync-secret' }
  beforeEach(() => {
    const storage = openSqliteStorage(join(t.dir, 'server', DATABASE_FILE))
    try {
      storage.saveMicroApp({
        agentId: 'hr-sync',
        name: 'HR 同步',
        nameEn: 'HR sync',
        icon: '🗂',
        description: 'directory sync',
        homeUrl: 'https://hr.example/',
        allowedOrigins: ['https://hr.example'],
        jsApiList: [],
        appKey: HR_SYNC.appKey,
        appSecretHash: hashSecret(HR_SYNC.appSecret),
        botUserId: 'app-hr-sync',
        directoryWrite: true,
      })
    } finally {
      storage.close()
    }
  })

  async function openApi(
    path: string,
    body?: unknown,
    query = '',
    { appKey, appSecret } = HR_SYNC,
  ): Promise<Json> {
    const token = await call(`/gettoken?appkey=${appKey}&appsecret=${appSecret}`)
    return call(`${path}?access_token=${token.access_token as string}${query}`, body)
  }

  async function bobOn(core: ClientCore) {
    return (await core.listContacts()).people.find((person) => person.id === 'u-bob')
  }

  it('a changed person and department reach devices online now and offline until later', async () => {
    const desktop = await t.signedIn('desktop', 'alice')
    const laptop = await t.signedIn('laptop', 'alice')
    const direct = await desktop.openDirectConversation({ peerId: 'u-bob' })
    await laptop.close()
    const events: string[] = []
    desktop.onEvent((name, payload) => {
      if (name === 'contactsChanged') events.push(name)
      if (name === 'conversationsChanged' && 'conversationIds' in payload) {
        events.push(...payload.conversationIds)
      }
    })

    const answer = await openApi('/user/update', {
      userid: 'u-bob',
      name: '李博文',
      title: '产品总监',
      avatar_color: '#722ed1',
    })
    expect(answer).toMatchObject({ errcode: 0, name: '李博文', title: '产品总监' })
    expect(
      await openApi('/department/update', { id: 'dept-product', name_en: 'Products' }),
    ).toMatchObject({ errcode: 0 })

    await until(async () => (await bobOn(desktop))?.title === '产品总监', 'desktop updated')
    expect(await bobOn(desktop)).toMatchObject({ name: '李博文', avatarColor: '#722ed1' })
    const conversation = (await desktop.listConversations()).find((c) => c.id === direct.id)
    expect(conversation?.title).toBe('李博文')
    await until(async () => events.includes(direct.id), 'the direct conversation renamed')
    expect(events).toContain('contactsChanged')
    await until(
      async () =>
        (await desktop.listContacts()).departments.find((d) => d.id === 'dept-product')?.nameEn ===
        'Products',
      'department renamed',
    )
    expect(await desktop.searchContacts({ query: 'libowen' })).toEqual([
      expect.objectContaining({ id: 'u-bob' }),
    ])

    const again = t.makeCore('laptop')
    await again.start()
    await until(async () => (await bobOn(again))?.name === '李博文', 'laptop updated at sign-in')
  })

  it('refuses a change to nobody, or to a department that does not exist, and changes nothing', async () => {
    expect(await openApi('/user/update', { userid: 'u-nobody', title: 'x' })).toMatchObject({
      errcode: 60121,
    })
    expect(
      await openApi('/user/update', { userid: 'u-bob', department_id: 'dept-none' }),
    ).toMatchObject({ errcode: 40035 })
    expect(await openApi('/user/update', { userid: 'u-bob', avatar_color: 'red' })).toMatchObject({
      errcode: 40035,
    })
    expect(await openApi('/user/get', undefined, '&userid=u-bob')).toMatchObject({
      name: '李博',
      department_id: 'dept-product',
    })
  })

  it('refuses a directory change from an app without directory-write, and changes nothing', async () => {
    const desktop = await t.signedIn('desktop', 'alice')
    let contactsChanged = 0
    desktop.onEvent((name) => {
      if (name === 'contactsChanged') contactsChanged += 1
    })
    const demo = { appKey: DEMO_MICROAPP.appKey, appSecret: DEMO_MICROAPP.appSecret }
    const headsBefore = syncHeads()
    expect(await openApi('/user/update', { userid: 'u-bob', name: '冒名' }, '', demo)).toEqual({
      errcode: 60011,
      errmsg: `app ${DEMO_MICROAPP.agentId} may not change the directory; register it with --directory-write`,
    })
    expect(lastStatus).toBe(403)
    expect(
      await openApi('/department/update', { id: 'dept-product', name: '冒名' }, '', demo),
    ).toMatchObject({ errcode: 60011 })
    expect(lastStatus).toBe(403)
    expect(syncHeads()).toEqual(headsBefore)
    // Reading stays open to every app; the directory is as it was, and no change was synced.
    expect(await openApi('/user/get', undefined, '&userid=u-bob', demo)).toMatchObject({
      name: '李博',
    })
    await new Promise((settle) => setTimeout(settle, 500))
    expect(contactsChanged).toBe(0)
    expect((await bobOn(desktop))?.name).toBe('李博')
    expect(
      (await desktop.listContacts()).departments.find((d) => d.id === 'dept-product')?.name,
    ).not.toBe('冒名')
  })
})
