// Messages with files end to end, on the real server and real encrypted stores: a file reaches
// the other person with its attachment and downloads byte-identical (resuming a part with a
// range request); a failed upload marks the message failed and retry sends it once; a restart
// mid-upload resumes the upload and then sends the message once; a recording is sent as voice;
// a failed file of mine hides no newer message; staged copies and storage used.
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClientCore, ClientCoreOptions } from '../../electron/core/client-core'
import type { HostEvents, MessageView } from '../../shared/host-api'
import { notifiesOf } from '../../shared/message-notice'
import { startServer, type ServerOptions, type TackServer } from '../../server/server'
import { FAST_CONNECTION, makeTestCore, signInTestCore } from '../support/cores'
import { sha256OfFile, writeTestFile } from '../support/uploads'
import { until } from '../support/wait'

const MiB = 1024 * 1024

describe('attachments between two people', () => {
  let dir: string
  let server: TackServer
  const cores: ClientCore[] = []

  async function start(options: Partial<ServerOptions> = {}): Promise<void> {
    server = await startServer({ dataDir: join(dir, 'server'), ...options })
  }

  function makeCore(name: string, uploads?: ClientCoreOptions['uploads']): ClientCore {
    const core = makeTestCore(dir, name, server, FAST_CONNECTION, uploads)
    cores.push(core)
    return core
  }

  async function signedIn(
    name: string,
    username: string,
    uploads?: ClientCoreOptions['uploads'],
  ): Promise<ClientCore> {
    return signInTestCore(makeCore(name, uploads), server.address, username)
  }

  async function directConversation(from: ClientCore, to: ClientCore): Promise<string> {
    const peerId = (await to.getState()).session!.me.id
    return (await from.openDirectConversation({ peerId })).id
  }

  async function messageOf(
    core: ClientCore,
    conversationId: string,
    clientMessageId: string,
  ): Promise<MessageView | undefined> {
    const messages = await core.loadMessages({ conversationId })
    return messages.find((message) => message.clientMessageId === clientMessageId)
  }

  /**
   * A server that takes files up to 1 MiB, Alice and Bob signed in, and a 2 MiB file `name` that
   * Alice sent Bob (by path, or staged as the page would) until it failed: refused for its size.
   */
  async function sendRefusedFile(name: string, by: 'path' | 'staged' = 'path') {
    await start({ maxUploadBytes: 1 * MiB })
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, name)
    await writeTestFile(path, 2 * MiB, 5)
    const stagedId = by === 'staged' ? await staged(alice, path) : undefined
    const source = stagedId ? { stagedId } : { path }
    const sent = await alice.sendFile({ conversationId, source, name })
    const failed = await until(async () => {
      const message = await messageOf(alice, conversationId, sent.clientMessageId)
      return message?.state === 'failed' ? message : undefined
    }, 'the refused message')
    return { alice, bob, conversationId, sent, failed, stagedId }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-attach-'))
  })

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('delivers a file with its attachment, which downloads byte-identical, resuming a part', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'plan.bin')
    await writeTestFile(path, 3 * MiB + 123, 7)

    const sent = await alice.sendFile({
      conversationId,
      source: { path },
      name: 'plan.bin',
      text: 'the plan',
    })
    expect(sent.state).toBe('sending')
    expect(sent.attachment).toMatchObject({ kind: 'file', name: 'plan.bin', size: 3 * MiB + 123 })

    const received = await until(async () => {
      const message = await messageOf(bob, conversationId, sent.clientMessageId)
      return message?.attachment?.fileId ? message : undefined
    }, 'the file message at bob')
    expect(received).toMatchObject({ text: 'the plan', state: 'sent' })
    expect(received.attachment).toMatchObject({
      kind: 'file',
      name: 'plan.bin',
      size: 3 * MiB + 123,
      mime: 'application/octet-stream',
    })
    expect(received.attachment!.url).toBeUndefined()

    // Bob stopped a download two MiB in: its part is on disk, and the download goes on from there.
    const filesDir = join(dir, 'b', 'files', (await bob.getState()).session!.me.id)
    await mkdir(filesDir, { recursive: true })
    const part = join(filesDir, `${received.attachment!.fileId}.bin.part`)
    await copyPrefix(path, part, 2 * MiB)
    const progress: HostEvents['downloadProgress'][] = []
    bob.onEvent((name, payload) => {
      if (name === 'downloadProgress') progress.push(payload as HostEvents['downloadProgress'])
    })
    bob.serveAttachmentsAt((senderId, clientMessageId) => `/files/${senderId}/${clientMessageId}`)

    await bob.downloadFile({
      conversationId,
      clientMessageId: sent.clientMessageId,
      senderId: sent.senderId,
    })
    const done = await until(async () => {
      const message = await messageOf(bob, conversationId, sent.clientMessageId)
      return message?.attachment?.url ? message : undefined
    }, 'the download')

    const local = await bob.attachmentFile(sent.senderId, sent.clientMessageId)
    expect(local).not.toBeNull()
    expect(await sha256OfFile(local!.path)).toBe(await sha256OfFile(path))
    expect(done.attachment!.url).toBe(`/files/${sent.senderId}/${sent.clientMessageId}`)
    // Every byte counted came after the part: the range request did not start over.
    expect(progress.length).toBeGreaterThan(0)
    expect(Math.min(...progress.map((event) => event.receivedBytes))).toBeGreaterThan(2 * MiB)
    expect(progress.at(-1)!.receivedBytes).toBe(3 * MiB + 123)
    expect(await readdir(filesDir)).not.toContain(`${received.attachment!.fileId}.bin.part`)
  })

  it('marks a message failed when its upload fails, and retry sends it once', async () => {
    await start()
    const retry = { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 2 }
    const alice = await signedIn('a', 'alice', { retry })
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'report.pdf')
    await writeTestFile(path, 2 * MiB, 3)
    const { port } = server
    const uploadPort = Number(new URL(server.uploadUrl).port)

    // The server goes away: the upload runs out of attempts and the message shows failed.
    await server.close()
    const sent = await alice.sendFile({ conversationId, source: { path }, name: 'report.pdf' })
    const failed = await until(
      async () => {
        const message = await messageOf(alice, conversationId, sent.clientMessageId)
        return message?.state === 'failed' ? message : undefined
      },
      'the failed message',
      { timeoutMs: 20_000 },
    )
    expect(failed.attachment?.upload).toMatchObject({ state: 'failed' })
    expect(failed.attachment?.upload?.error).toBeTruthy()
    expect(failed.attachment?.upload?.permanent).toBeUndefined()

    // It comes back; retry resumes the upload and the message goes out, once.
    await start({ port, uploadPort })
    await alice.retryMessage({ conversationId, clientMessageId: sent.clientMessageId })
    const delivered = await until(
      async () => {
        const message = await messageOf(bob, conversationId, sent.clientMessageId)
        return message?.attachment?.fileId ? message : undefined
      },
      'the retried message at bob',
      { timeoutMs: 20_000 },
    )
    expect(delivered.attachment).toMatchObject({ name: 'report.pdf', mime: 'application/pdf' })
    await until(
      async () => (await messageOf(alice, conversationId, sent.clientMessageId))?.state === 'sent',
      'the message sent at alice',
    )
    const atBob = (await bob.loadMessages({ conversationId })).filter(
      (message) => message.clientMessageId === sent.clientMessageId,
    )
    expect(atBob).toHaveLength(1)
  })

  it('resumes an upload after a restart, then sends the message once', async () => {
    await start()
    const tuning = { chunkSize: 256 * 1024, parallelStreams: 2 }
    let alice = await signedIn('a', 'alice', tuning)
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'big.bin')
    await writeTestFile(path, 24 * MiB, 11)

    const sent = await alice.sendFile({ conversationId, source: { path }, name: 'big.bin' })
    await until(
      async () => {
        const message = await messageOf(alice, conversationId, sent.clientMessageId)
        return (message?.attachment?.upload?.sentBytes ?? 0) > 0
      },
      'some bytes uploaded',
      { timeoutMs: 20_000 },
    )
    await alice.close()
    cores.splice(cores.indexOf(alice), 1)

    alice = makeCore('a', tuning)
    await alice.start()
    const delivered = await until(
      async () => {
        const message = await messageOf(bob, conversationId, sent.clientMessageId)
        return message?.attachment?.fileId ? message : undefined
      },
      'the message after the restart',
      { timeoutMs: 60_000 },
    )
    expect(delivered.attachment?.size).toBe(24 * MiB)
    await until(
      async () => (await messageOf(alice, conversationId, sent.clientMessageId))?.state === 'sent',
      'the message sent at alice',
    )
    const copies = (await bob.loadMessages({ conversationId })).filter(
      (message) => message.clientMessageId === sent.clientMessageId,
    )
    expect(copies).toHaveLength(1)
    // Fewer bytes than twice the file reached the server: the restart resumed, not restarted.
    expect(server.uploadBytesReceived()).toBeLessThan(2 * 24 * MiB)
  }, 90_000)

  it('sends a file the server already has without its bytes, though another person uploaded it', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'shared.bin')
    await writeTestFile(path, 1 * MiB, 21)

    const first = await alice.sendFile({ conversationId, source: { path }, name: 'shared.bin' })
    await until(
      async () => (await messageOf(bob, conversationId, first.clientMessageId))?.attachment?.fileId,
      'alice’s file at bob',
    )
    const received = server.uploadBytesReceived()

    // Bob sends the same bytes back: the server finds them by hash and takes his message.
    const again = await bob.sendFile({ conversationId, source: { path }, name: 'again.bin' })
    const atAlice = await until(async () => {
      const message = await messageOf(alice, conversationId, again.clientMessageId)
      return message?.attachment?.fileId ? message : undefined
    }, 'bob’s copy at alice')
    expect(atAlice.attachment).toMatchObject({ name: 'again.bin', size: 1 * MiB })
    expect(server.uploadBytesReceived()).toBe(received)
  })

  it('cancelling an upload takes its message away', async () => {
    await start()
    const alice = await signedIn('a', 'alice', { chunkSize: 256 * 1024, parallelStreams: 1 })
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'cancel.bin')
    await writeTestFile(path, 16 * MiB, 5)

    const sent = await alice.sendFile({ conversationId, source: { path }, name: 'cancel.bin' })
    await alice.cancelUpload({ conversationId, clientMessageId: sent.clientMessageId })

    expect(await messageOf(alice, conversationId, sent.clientMessageId)).toBeUndefined()
    await alice.sendMessage({ conversationId, text: 'never mind' })
    await until(
      async () => (await bob.loadMessages({ conversationId })).some((m) => m.text === 'never mind'),
      'the next message at bob',
    )
    expect(await messageOf(bob, conversationId, sent.clientMessageId)).toBeUndefined()
  })

  it('sends a voice message while it is recorded, with its duration', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)

    alice.serveAttachmentsAt((senderId, clientMessageId) => `/files/${senderId}/${clientMessageId}`)
    const { recordingId, message } = await alice.startVoice({ conversationId, mime: 'audio/webm' })
    expect(message.attachment).toMatchObject({ kind: 'voice', size: 0 })
    const pieces = [Buffer.alloc(40_000, 1), Buffer.alloc(40_000, 2), Buffer.alloc(9_000, 3)]
    for (const piece of pieces) {
      await alice.appendVoice({ recordingId, chunkBase64: piece.toString('base64') })
    }
    // While it is being recorded the page gets no URL: it would load a file still growing.
    expect((await messageOf(alice, conversationId, message.clientMessageId))?.attachment?.url).toBe(
      undefined,
    )
    expect(await alice.attachmentFile(message.senderId, message.clientMessageId)).toBeNull()
    const finished = await alice.finishVoice({ recordingId, durationMs: 3_200 })
    // Once it stops, the sender can play it at once: the URL serves the whole recording.
    expect(finished.attachment?.url).toBe(`/files/${message.senderId}/${message.clientMessageId}`)
    const playable = await alice.attachmentFile(message.senderId, message.clientMessageId)
    expect((await stat(playable!.path)).size).toBe(89_000)

    const received = await until(async () => {
      const found = await messageOf(bob, conversationId, message.clientMessageId)
      return found?.attachment?.fileId ? found : undefined
    }, 'the voice message at bob')
    expect(received.attachment).toMatchObject({
      kind: 'voice',
      mime: 'audio/webm',
      size: 89_000,
      durationMs: 3_200,
    })
    // The conversation list says what the last message carries, and how long, since it has no text.
    const listed = (await bob.listConversations()).find((c) => c.id === conversationId)
    expect(listed?.lastMessage).toMatchObject({
      text: '',
      attachment: { kind: 'voice', durationMs: 3_200 },
    })
    // Alice keeps her recording to play it back.
    const mine = await alice.attachmentFile(message.senderId, message.clientMessageId)
    expect((await stat(mine!.path)).size).toBe(89_000)
  })

  it('a recording cut off by a restart shows failed, and retry sends what was recorded', async () => {
    await start()
    let alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const { recordingId, message } = await alice.startVoice({ conversationId, mime: 'audio/ogg' })
    await alice.appendVoice({
      recordingId,
      chunkBase64: Buffer.alloc(30_000, 7).toString('base64'),
    })

    // The app closes mid-recording; its next start finds the recording cut off.
    await alice.close()
    cores.splice(cores.indexOf(alice), 1)
    alice = makeCore('a')
    await alice.start()
    const failed = await until(async () => {
      const found = await messageOf(alice, conversationId, message.clientMessageId)
      return found?.state === 'failed' ? found : undefined
    }, 'the cut-off recording marked failed')
    expect(failed.attachment?.upload?.state).toBe('failed')

    await alice.retryMessage({ conversationId, clientMessageId: message.clientMessageId })
    const received = await until(async () => {
      const found = await messageOf(bob, conversationId, message.clientMessageId)
      return found?.attachment?.fileId ? found : undefined
    }, 'the recording at bob after retry')
    expect(received.attachment).toMatchObject({ kind: 'voice', size: 30_000 })
  })

  it('uploads a file a micro-app asked for and answers with its id, size and hash', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const path = join(dir, 'form.pdf')
    await writeTestFile(path, 700_000, 9)

    const uploaded = await alice.uploadFileForMicroApp({ source: { path }, name: 'form.pdf' })

    expect(uploaded).toMatchObject({ name: 'form.pdf', size: 700_000, type: 'application/pdf' })
    expect(uploaded.sha256).toBe(await sha256OfFile(path))
    expect(uploaded.fileId).toMatch(/^[0-9a-f]{32}$/)
  })

  it('refuses a file past the server limit before sending any byte, with a clear error', async () => {
    const { alice, conversationId, sent, failed } = await sendRefusedFile('huge.bin')
    expect(failed.attachment?.upload?.error).toMatch(
      /huge\.bin is 2 MiB \(2097152 bytes\); the server accepts files up to 1 MiB \(1048576 bytes\)/,
    )
    expect(failed.attachment?.upload).toMatchObject({
      errorCode: 'FILE_TOO_LARGE',
      errorParams: { name: 'huge.bin', size: 2 * MiB, limit: 1 * MiB },
    })
    expect(server.uploadBytesReceived()).toBe(0)
    // No retry can mend it: only cancel is offered, and a retry is refused with the reason.
    expect(failed.attachment?.upload?.permanent).toBe(true)
    await expect(
      alice.retryMessage({ conversationId, clientMessageId: sent.clientMessageId }),
    ).rejects.toThrow(/accepts files up to 1 MiB.*cannot be sent/)
    await alice.cancelUpload({ conversationId, clientMessageId: sent.clientMessageId })
    expect(await messageOf(alice, conversationId, sent.clientMessageId)).toBeUndefined()
  })

  it('sends a file whose name and type the server would refuse as they are, mended; refuses an empty file', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'notes.txt')
    await writeFile(path, 'notes')

    // A Linux file name may hold a backslash or a line break; a dropped file's type, parameters.
    const sent = await alice.sendFile({
      conversationId,
      source: { path },
      name: 'q3\\notes\n.txt',
      mime: 'text/plain;charset=utf-8',
      kind: 'image',
    })
    const received = await until(async () => {
      const message = await messageOf(bob, conversationId, sent.clientMessageId)
      return message?.attachment?.fileId ? message : undefined
    }, 'the file message at bob')
    expect(received.attachment).toMatchObject({
      kind: 'file',
      name: 'q3_notes_.txt',
      mime: 'text/plain',
    })
    expect((await messageOf(alice, conversationId, sent.clientMessageId))?.state).toBe('sent')

    const empty = join(dir, 'empty.txt')
    await writeFile(empty, '')
    await expect(
      alice.sendFile({ conversationId, source: { path: empty }, name: 'empty.txt' }),
    ).rejects.toThrow(/empty.txt is empty/)
    expect((await alice.loadMessages({ conversationId })).map((m) => m.clientMessageId)).toEqual([
      sent.clientMessageId,
    ])
  })

  it('a failed file of mine stays in the chat but newer messages from others are the preview and notify', async () => {
    const { alice, bob, conversationId, sent } = await sendRefusedFile('big.bin')
    const listed = async () =>
      (await alice.listConversations()).find((c) => c.id === conversationId)
    const before = (await listed())!
    expect(before.lastMessage).toMatchObject({
      senderId: sent.senderId,
      attachment: { name: 'big.bin' },
    })

    await bob.sendMessage({ conversationId, text: 'notify test 2' })
    const after = await until(async () => {
      const conversation = await listed()
      return conversation?.unreadCount === 1 ? conversation : undefined
    }, 'bob’s message at alice')

    expect(after.lastMessage).toMatchObject({ text: 'notify test 2' })
    const reader = { me: sent.senderId, notificationsEnabled: true, conversationInFront: null }
    expect(notifiesOf(after, before.lastMessage, reader)).toBe(true)
    // The failed message is still there to retry or cancel.
    expect((await messageOf(alice, conversationId, sent.clientMessageId))?.state).toBe('failed')
  })

  it('counts the files sent and downloaded in the storage used', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const path = join(dir, 'plan.bin')
    await writeTestFile(path, 1 * MiB, 4)
    expect((await bob.getStorageUsage()).filesBytes).toBe(0)

    const stagedId = await staged(alice, path)
    const sent = await alice.sendFile({ conversationId, source: { stagedId }, name: 'plan.bin' })
    expect((await alice.getStorageUsage()).filesBytes).toBe(1 * MiB)
    await downloaded(bob, conversationId, sent)

    expect((await bob.getStorageUsage()).filesBytes).toBe(1 * MiB)
  })

  it('keeps no staged copy once a file is sent or cancelled; the sender still opens the sent file', async () => {
    await start()
    const alice = await signedIn('a', 'alice')
    const bob = await signedIn('b', 'bob')
    const conversationId = await directConversation(alice, bob)
    const me = (await alice.getState()).session!.me.id
    const stagingDir = alice.stagingDir()
    const path = join(dir, 'plan.bin')
    await writeTestFile(path, 1 * MiB, 8)
    alice.serveAttachmentsAt((senderId, clientMessageId) => `/files/${senderId}/${clientMessageId}`)

    // Sent: the staged copy leaves staging for the kept files, and still serves the sender.
    const sent = await alice.sendFile({
      conversationId,
      source: { stagedId: await staged(alice, path) },
      name: 'plan.bin',
    })
    await until(
      async () => (await messageOf(alice, conversationId, sent.clientMessageId))?.state === 'sent',
      'the message sent at alice',
    )
    expect(await readdir(stagingDir)).toEqual([])
    const kept = await alice.attachmentFile(me, sent.clientMessageId)
    expect(kept!.path.startsWith(join(dir, 'a', 'files', me))).toBe(true)
    expect(await sha256OfFile(kept!.path)).toBe(await sha256OfFile(path))
    expect((await messageOf(alice, conversationId, sent.clientMessageId))?.attachment?.url).toBe(
      `/files/${me}/${sent.clientMessageId}`,
    )

    // Cancelled: the staged copy is deleted with the message.
    const big = join(dir, 'big.bin')
    await writeTestFile(big, 8 * MiB, 9)
    const cancelled = await alice.sendFile({
      conversationId,
      source: { stagedId: await staged(alice, big) },
      name: 'big.bin',
    })
    await alice.cancelUpload({ conversationId, clientMessageId: cancelled.clientMessageId })
    expect(await readdir(stagingDir)).toEqual([])
  })

  it('sweeps staged files no message waits for at start, and keeps those of failed messages', async () => {
    const refused = await sendRefusedFile('huge.bin', 'staged')
    let alice = refused.alice
    const { conversationId, failed } = refused
    const stagingDir = alice.stagingDir()
    const stagedId = refused.stagedId!
    // A page's post that was never sent, left by an earlier run.
    const orphan = (await alice.stageChunk({ chunkBase64: 'b3JwaGFu' })).stagedId
    await alice.close()
    cores.splice(cores.indexOf(alice), 1)

    alice = makeCore('a')
    await alice.start()
    await until(async () => !(await readdir(stagingDir)).includes(orphan), 'the orphan swept')
    expect(await readdir(stagingDir)).toEqual([stagedId])
    expect((await messageOf(alice, conversationId, failed.clientMessageId))?.state).toBe('failed')
  })
})

/** Stages `path` the way browser mode's page does, in one piece. */
async function staged(core: ClientCore, path: string): Promise<string> {
  const bytes = await readFile(path)
  return (await core.stageChunk({ chunkBase64: bytes.toString('base64') })).stagedId
}

/** Waits for `sent` to reach `core`, downloads its file there, and waits until it is kept. */
async function downloaded(core: ClientCore, conversationId: string, sent: MessageView) {
  const find = async () =>
    (await core.loadMessages({ conversationId })).find(
      (message) => message.clientMessageId === sent.clientMessageId,
    )
  await until(async () => (await find())?.attachment?.fileId, 'the file message')
  core.serveAttachmentsAt((senderId, clientMessageId) => `/files/${senderId}/${clientMessageId}`)
  await core.downloadFile({
    conversationId,
    clientMessageId: sent.clientMessageId,
    senderId: sent.senderId,
  })
  return until(async () => {
    const message = await find()
    return message?.attachment?.url ? message : undefined
  }, 'the download')
}

async function copyPrefix(from: string, to: string, bytes: number): Promise<void> {
  const source = await open(from, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    await source.read(buffer, 0, bytes, 0)
    await writeFile(to, buffer)
  } finally {
    await source.close()
  }
}
