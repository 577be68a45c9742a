import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_FRAME_BYTES } from '../../shared/frame-codec'
import {
  ConversationKind,
  ErrorCode,
  GroupNoticeKind,
  type Message,
  type SyncItem,
} from '../../shared/gen/tack_pb'
import { demoUserId } from '../seed/demo-org'
import { bodyOf, type FrameClient } from '../test/frame-client'
import {
  captureLogs,
  makeSeededDataDir,
  receiveItems,
  removeDataDir,
  requestSync,
  startTestServer,
  testDevice,
  type TestServer,
} from '../test/harness'

const alice = demoUserId('alice')
const bob = demoUserId('bob')
const carol = demoUserId('carol')

describe('access layer', () => {
  let test: TestServer

  beforeAll(async () => {
    test = await startTestServer({ dataDir: await makeSeededDataDir() })
  })
  afterAll(async () => {
    await test.close()
    await removeDataDir(test.dataDir)
  })

  async function expectError(client: FrameClient, body: Parameters<FrameClient['request']>[0]) {
    return bodyOf(await client.request(body), 'error')
  }

  async function expectPong(client: FrameClient): Promise<void> {
    const pong = await client.call({ case: 'ping', value: { sentAtMs: 42n } }, 'pong')
    expect(pong.sentAtMs).toBe(42n)
  }

  describe('sessions', () => {
    it('answers a ping before login', async () => {
      await expectPong(await test.connect())
    })

    it('logs alice in with the demo password and returns a ticket, her profile and sync points', async () => {
      const { session } = await test.login('alice')

      expect(session.ticket.length).toBeGreaterThan(20)
      expect(session.me).toMatchObject({
        id: alice,
        username: 'alice',
        name: '王爱丽',
        nameEn: 'Alice Wang',
        departmentId: 'dept-eng',
      })
      expect(session.headSyncId).toBeGreaterThanOrEqual(2n)
      expect(session.deviceSyncId).toBe(0n)
    })

    it('refuses a wrong password and an unknown username with the same BAD_CREDENTIALS answer', async () => {
      const client = await test.connect()
      const login = (username: string, password: string) =>
        expectError(client, {
          case: 'login',
          value: { username, password, device: testDevice('bad-login') },
        })

      const wrongPassword = await login('alice', 'not-the-password')
      const unknownUser = await login('nobody', 'demo1234')

      expect(wrongPassword.code).toBe(ErrorCode.BAD_CREDENTIALS)
      expect(unknownUser).toEqual(wrongPassword)
    })

    it('answers UNAUTHENTICATED to a request before login and keeps the connection', async () => {
      const client = await test.connect()

      const error = await expectError(client, { case: 'directoryRequest', value: {} })

      expect(error.code).toBe(ErrorCode.UNAUTHENTICATED)
      await expectPong(client)
    })

    it('revokes the ticket on logout, so the connection and a resume are no longer signed in', async () => {
      const { client, session } = await test.login('carol', 'carol-phone')

      await client.call({ case: 'logout', value: {} }, 'ok')

      const afterLogout = await expectError(client, { case: 'directoryRequest', value: {} })
      expect(afterLogout.code).toBe(ErrorCode.UNAUTHENTICATED)
      const resume = await expectError(await test.connect(), {
        case: 'resume',
        value: { ticket: session.ticket, device: testDevice('carol-phone') },
      })
      expect(resume.code).toBe(ErrorCode.UNAUTHENTICATED)
    })

    it('resumes only on the device the ticket was issued to', async () => {
      const { session } = await test.login('bob', 'bob-laptop')
      const client = await test.connect()

      const elsewhere = await expectError(client, {
        case: 'resume',
        value: { ticket: session.ticket, device: testDevice('bob-tablet') },
      })
      const resumed = await client.call(
        { case: 'resume', value: { ticket: session.ticket, device: testDevice('bob-laptop') } },
        'session',
      )

      expect(elsewhere.code).toBe(ErrorCode.UNAUTHENTICATED)
      expect(resumed.ticket).toBe(session.ticket)
    })
  })

  describe('requests', () => {
    it('answers BAD_REQUEST to a frame with an id and no request, and keeps the connection', async () => {
      const { client } = await test.login('alice')

      const noBody = bodyOf(await client.request({ case: undefined }), 'error')
      const notARequest = await expectError(client, { case: 'pong', value: { sentAtMs: 1n } })
      const noDevice = await expectError(client, {
        case: 'login',
        value: { username: 'alice', password: 'demo1234' },
      })

      expect([noBody.code, notARequest.code, noDevice.code]).toEqual([
        ErrorCode.BAD_REQUEST,
        ErrorCode.BAD_REQUEST,
        ErrorCode.BAD_REQUEST,
      ])
      await expectPong(client)
    })

    it('lists the directory: at least 3 departments and 30 people with Chinese names', async () => {
      const { client } = await test.login('alice')

      const directory = await client.call({ case: 'directoryRequest', value: {} }, 'directoryReply')

      expect(directory.departments.length).toBeGreaterThanOrEqual(3)
      expect(directory.departments.find((d) => d.name === '前端组')?.parentId).toBe('dept-eng')
      expect(directory.users.length).toBeGreaterThanOrEqual(30)
      for (const user of directory.users) {
        expect(user.name).toMatch(/^\p{Script=Han}+$/u)
        expect(user.username).toMatch(/^[a-z]+$/)
        expect(user.nameEn && user.title && user.avatarColor).toBeTruthy()
      }
      const bobInDirectory = directory.users.find((user) => user.username === 'bob')
      expect(bobInDirectory).toMatchObject({ name: '李博', nameEn: 'Bob Li' })
    })

    it('opens one direct conversation per pair and refuses yourself and unknown people', async () => {
      const fromAlice = (await test.login('alice')).client
      const fromBob = (await test.login('bob')).client
      const open = (client: FrameClient, peerId: string) =>
        client.request({ case: 'openDirect', value: { peerId } })

      const opened = bodyOf(await open(fromAlice, bob), 'openDirectReply').conversation!
      const again = bodyOf(await open(fromBob, alice), 'openDirectReply').conversation!
      const yourself = bodyOf(await open(fromAlice, alice), 'error')
      const unknown = bodyOf(await open(fromAlice, 'u-nobody'), 'error')

      expect(opened.id).toBe(`d:${alice}:${bob}`)
      expect(opened.kind).toBe(ConversationKind.DIRECT)
      expect(opened.memberIds).toEqual([alice, bob])
      expect(again).toEqual(opened)
      expect(yourself.code).toBe(ErrorCode.BAD_REQUEST)
      expect(unknown.code).toBe(ErrorCode.NOT_FOUND)
    })

    it('creates a group with its creator as a member and refuses unknown members', async () => {
      const { client } = await test.login('alice')

      const group = (
        await client.call(
          { case: 'createGroup', value: { title: ' Launch ', memberIds: [bob, carol, bob] } },
          'createGroupReply',
        )
      ).conversation!
      const unknown = await expectError(client, {
        case: 'createGroup',
        value: { title: 'Ghosts', memberIds: [bob, 'u-ghost'] },
      })

      expect(group.id).toMatch(/^g:/)
      expect(group.title).toBe('Launch')
      expect(group.memberIds).toEqual([alice, bob, carol])
      expect(unknown.code).toBe(ErrorCode.NOT_FOUND)
    })

    it('refuses a message to a conversation you are not in, and empty or oversized text', async () => {
      const { client } = await test.login('bob')
      const send = (conversationId: string, text: string) =>
        expectError(client, {
          case: 'sendMessage',
          value: { conversationId, clientMessageId: randomBytes(8).toString('hex'), text },
        })

      const notMember = await send('g:engineering', 'hello')
      const unknown = await send('g:nowhere', 'hello')
      const empty = await send('g:all-hands', '  ')
      const oversized = await send('g:all-hands', '字'.repeat(10_001))

      expect(notMember.code).toBe(ErrorCode.FORBIDDEN)
      expect(unknown.code).toBe(ErrorCode.NOT_FOUND)
      expect(empty.code).toBe(ErrorCode.BAD_REQUEST)
      expect(oversized.code).toBe(ErrorCode.BAD_REQUEST)
    })

    it('lets only the sender recall a message, within two minutes, and twice is still ok', async () => {
      const fromAlice = (await test.login('alice')).client
      const fromBob = (await test.login('bob')).client
      const conversationId = `d:${alice}:${bob}`
      await fromAlice.call({ case: 'openDirect', value: { peerId: bob } }, 'openDirectReply')
      const sendOne = async (text: string) =>
        (
          await fromAlice.call(
            {
              case: 'sendMessage',
              value: { conversationId, clientMessageId: randomBytes(8).toString('hex'), text },
            },
            'sendMessageReply',
          )
        ).message!
      const recall = (client: FrameClient, messageId: string) =>
        client.request({ case: 'recallMessage', value: { conversationId, messageId } })
      const fresh = await sendOne('take me back')
      const old = await sendOne('too late for me')

      const byBob = bodyOf(await recall(fromBob, fresh.id), 'error')
      bodyOf(await recall(fromAlice, fresh.id), 'ok')
      bodyOf(await recall(fromAlice, fresh.id), 'ok')
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 60_000 + 1_000 })
      let late
      try {
        late = bodyOf(await recall(fromAlice, old.id), 'error')
      } finally {
        vi.useRealTimers()
      }

      expect(byBob.code).toBe(ErrorCode.FORBIDDEN)
      expect(late.code).toBe(ErrorCode.BAD_REQUEST)
    })

    it('renames and changes members of groups only, and keeps pinned and muted per person', async () => {
      const { client } = await test.login('carol')
      const group = (
        await client.call(
          { case: 'createGroup', value: { title: 'Plans', memberIds: [bob] } },
          'createGroupReply',
        )
      ).conversation!
      const update = (value: Record<string, unknown>) =>
        client.request({
          case: 'updateConversation',
          value: { conversationId: group.id, addMemberIds: [], removeMemberIds: [], ...value },
        })

      const renamed = bodyOf(
        await update({ title: 'Plans B', addMemberIds: [alice], pinned: true }),
        'updateConversationReply',
      )
      await client.call({ case: 'openDirect', value: { peerId: bob } }, 'openDirectReply')
      const direct = bodyOf(
        await client.request({
          case: 'updateConversation',
          value: {
            conversationId: `d:${bob}:${carol}`,
            title: 'no',
            addMemberIds: [],
            removeMemberIds: [],
          },
        }),
        'error',
      )

      expect(renamed.conversation).toMatchObject({
        title: 'Plans B',
        memberIds: [carol, bob, alice],
      })
      expect(renamed.settings).toMatchObject({ pinned: true, muted: false })
      expect(direct.code).toBe(ErrorCode.BAD_REQUEST)
    })
    it('lets only the owner remove others, and makes the longest-standing member owner after', async () => {
      const { client: byCarol } = await test.login('carol')
      const { client: byBob } = await test.login('bob')
      const group = (
        await byCarol.call(
          { case: 'createGroup', value: { title: 'Owned', memberIds: [bob, alice] } },
          'createGroupReply',
        )
      ).conversation!
      const change = (
        client: FrameClient,
        removeMemberIds: string[],
        addMemberIds: string[] = [],
      ) =>
        client.request({
          case: 'updateConversation',
          value: { conversationId: group.id, addMemberIds, removeMemberIds },
        })

      const notOwner = bodyOf(await change(byBob, [alice]), 'error')
      const added = bodyOf(
        await change(byBob, [], [demoUserId('henry')]),
        'updateConversationReply',
      )
      bodyOf(await change(byCarol, [carol]), 'updateConversationReply')
      const nowOwner = bodyOf(await change(byBob, [alice]), 'updateConversationReply')

      expect(notOwner).toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: expect.stringMatching(/owner/),
      })
      expect(added.conversation?.memberIds).toEqual([carol, bob, alice, demoUserId('henry')])
      // Carol left; Bob had been in longest, so he owns it now.
      expect(nowOwner.conversation?.memberIds).toEqual([bob, demoUserId('henry')])
    })

    it('lets a member leave a group: the rest go on, and each device of the leaver is told', async () => {
      const { client: byCarol } = await test.login('carol')
      const group = (
        await byCarol.call(
          { case: 'createGroup', value: { title: 'Leaving soon', memberIds: [bob, alice] } },
          'createGroupReply',
        )
      ).conversation!
      const phone = await test.login('bob', 'bob-phone')
      await requestSync(phone.client, phone.session.headSyncId)
      const { client: laptop } = await test.login('bob', 'bob-laptop')
      const send = (client: FrameClient, text: string) =>
        client.request({
          case: 'sendMessage',
          value: {
            conversationId: group.id,
            clientMessageId: randomBytes(8).toString('hex'),
            text,
          },
        })

      const left = bodyOf(
        await laptop.request({
          case: 'updateConversation',
          value: { conversationId: group.id, addMemberIds: [], removeMemberIds: [bob] },
        }),
        'updateConversationReply',
      )
      // The note that Bob left comes first, while he is still a member, so he sees it too.
      const [note, told] = await receiveItems(phone.client, 2)
      const sendAfter = bodyOf(await send(laptop, 'still here?'), 'error')
      const changeAfter = await expectError(laptop, {
        case: 'updateConversation',
        value: { conversationId: group.id, addMemberIds: [bob], removeMemberIds: [] },
      })
      bodyOf(await send(byCarol, 'we carry on'), 'sendMessageReply')

      expect(left.conversation?.memberIds).toEqual([carol, alice])
      expect(left.settings).toBeUndefined()
      expect(note?.kind.case).toBe('messageCreated')
      expect(note?.kind.value).toMatchObject({
        senderId: bob,
        text: '',
        notice: { kind: GroupNoticeKind.LEFT },
      })
      expect(told?.kind.case).toBe('conversationChanged')
      expect(told?.kind.value).toMatchObject({ id: group.id, memberIds: [carol, alice] })
      expect(sendAfter.code).toBe(ErrorCode.FORBIDDEN)
      expect(changeAfter.code).toBe(ErrorCode.FORBIDDEN)
    })
  })

  describe('notes of group changes', () => {
    /** Carol's new group with Bob, Bob's phone synced to its head, and a way to change it. */
    async function groupWatchedByBob(title: string, device: string) {
      const { client: byCarol } = await test.login('carol')
      const group = (
        await byCarol.call(
          { case: 'createGroup', value: { title, memberIds: [bob] } },
          'createGroupReply',
        )
      ).conversation!
      const bobsPhone = await test.login('bob', device)
      await requestSync(bobsPhone.client, bobsPhone.session.headSyncId)
      const change = (value: Record<string, unknown>) =>
        byCarol.call(
          {
            case: 'updateConversation',
            value: { conversationId: group.id, addMemberIds: [], removeMemberIds: [], ...value },
          },
          'updateConversationReply',
        )
      return { byCarol, group, phone: bobsPhone.client, change }
    }

    it('are written for each change, from whoever made it, and reach those removed', async () => {
      const henry = demoUserId('henry')
      const { phone, change } = await groupWatchedByBob('Notes', 'bob-notes')

      await change({ title: 'Notes 2', addMemberIds: [alice, henry] })
      await change({ title: 'Notes 2' })
      await change({ removeMemberIds: [bob, alice] })
      // Everything Bob's phone is sent, up to being told he is no longer a member.
      const seen: SyncItem['kind'][] = []
      const removed = (kind: SyncItem['kind']) =>
        kind.case === 'conversationChanged' && !kind.value.memberIds.includes(bob)
      while (!seen.some(removed)) {
        seen.push(...(await receiveItems(phone, 1)).map((item) => item.kind))
      }

      const notes = seen.filter((kind) => kind.case === 'messageCreated')
      const notices = notes.map((kind) => (kind.value as Message).notice)
      // Renaming to the same title is no change; Bob sees his own removal, then nothing more.
      expect(notices).toMatchObject([
        { kind: GroupNoticeKind.RENAMED, title: 'Notes 2' },
        { kind: GroupNoticeKind.MEMBERS_ADDED, memberIds: [alice, henry] },
        { kind: GroupNoticeKind.MEMBERS_REMOVED, memberIds: [bob, alice] },
      ])
      expect(notes.every((kind) => (kind.value as Message).senderId === carol)).toBe(true)
      expect(seen.at(-1)).toMatchObject({ case: 'conversationChanged' })
    })

    it('cannot be recalled or quoted', async () => {
      const { byCarol, group, phone, change } = await groupWatchedByBob('Quiet', 'bob-quiet')
      await change({ title: 'Still quiet' })
      let note: Message | undefined
      while (!note) {
        const items = await receiveItems(phone, 1)
        const created = items.find((item) => item.kind.case === 'messageCreated')
        note = created?.kind.value as Message | undefined
      }

      const recalled = await expectError(byCarol, {
        case: 'recallMessage',
        value: { conversationId: group.id, messageId: note.id },
      })
      const quoted = await expectError(byCarol, {
        case: 'sendMessage',
        value: {
          conversationId: group.id,
          clientMessageId: randomBytes(8).toString('hex'),
          text: 'about that',
          replyToMessageId: note.id,
          mentionIds: [],
        },
      })

      expect(note.notice?.kind).toBe(GroupNoticeKind.RENAMED)
      expect(recalled).toMatchObject({
        code: ErrorCode.BAD_REQUEST,
        message: expect.stringMatching(/recalled/),
      })
      expect(quoted).toMatchObject({
        code: ErrorCode.BAD_REQUEST,
        message: expect.stringMatching(/quoted/),
      })
    })
  })

  describe('frames that cannot be decoded', () => {
    async function expectRejected(bytes: Uint8Array, reason: string): Promise<void> {
      const logs = captureLogs('warn')
      try {
        const bystander = await test.connect()
        const offender = await test.connect()

        offender.writeRaw(bytes)
        await offender.closed

        await expectPong(bystander)
        const rejection = logs.records().find((record) => record.msg === 'frame rejected')
        expect(rejection).toMatchObject({ level: 40, scope: 'access', reason })
        expect(rejection?.remote).toMatch(/^127\.0\.0\.1:\d+$/)
      } finally {
        logs.restore()
      }
    }

    it('closes the connection that sends a malformed frame while others still get pongs', async () => {
      // Random bytes with every high bit set never end a varint, so they never decode.
      const body = randomBytes(64).map((byte) => byte | 0x80)
      const frame = new Uint8Array(4 + body.length)
      new DataView(frame.buffer).setUint32(0, body.length)
      frame.set(body, 4)

      await expectRejected(frame, 'malformed')
    })

    it('closes the connection that declares an oversized frame while others still get pongs', async () => {
      const header = new Uint8Array(4)
      new DataView(header.buffer).setUint32(0, MAX_FRAME_BYTES + 1)

      await expectRejected(header, 'oversized')
    })
  })
})
