import { afterEach, describe, expect, it, vi } from 'vitest'
import { HostError } from '../../../shared/errors'
import type { HostEventListener } from '../../../shared/host-api'
import type { HostLinkState } from './host-connection'
import {
  connectWebSocketHost,
  type HostSocket,
  type SocketFactory,
  type SocketHandlers,
} from './websocket-host'

/** A socket the test drives by hand: open it, answer requests, push events, drop it. */
class FakeSocket implements HostSocket {
  readonly sent: { kind: string; id: number; method: string; params: unknown }[] = []
  closedByClient = false

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    this.closedByClient = true
  }

  open(): void {
    this.handlers.opened()
  }

  receive(frame: unknown): void {
    this.handlers.received(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  respond(id: number, result: unknown): void {
    this.receive({ kind: 'response', id, ok: true, result })
  }

  drop(): void {
    this.handlers.closed()
  }
}

function setUp(reconnectDelaysMs = [100, 200, 400]) {
  const sockets: FakeSocket[] = []
  const createSocket: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers)
    sockets.push(socket)
    return socket
  }
  const host = connectWebSocketHost({
    url: 'ws://127.0.0.1:5000/host?token=t',
    createSocket,
    reconnectDelaysMs,
  })
  const links: HostLinkState[] = []
  host.onLinkChange((state) => links.push(state))
  const socket = () => sockets.at(-1) as FakeSocket
  return { host, api: host.api, sockets, socket, links }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('WebSocket HostApi client', () => {
  it('opens the socket on the URL it was given', () => {
    const { socket } = setUp()

    expect(socket().url).toBe('ws://127.0.0.1:5000/host?token=t')
  })

  it('sends each request with its own id and settles it with the response carrying that id', async () => {
    const { api, socket } = setUp()
    socket().open()

    const conversations = api.listConversations({})
    const messages = api.loadMessages({ conversationId: 'c1' })
    const [first, second] = socket().sent
    expect(first).toEqual({
      kind: 'request',
      id: first?.id,
      method: 'listConversations',
      params: {},
    })
    expect(second).toMatchObject({ method: 'loadMessages', params: { conversationId: 'c1' } })
    expect(first?.id).not.toBe(second?.id)

    socket().respond(second!.id, ['message'])
    socket().respond(first!.id, ['conversation'])

    await expect(messages).resolves.toEqual(['message'])
    await expect(conversations).resolves.toEqual(['conversation'])
  })

  it('rebuilds an error response as a HostError with its code and message', async () => {
    const { api, socket } = setUp()
    socket().open()

    const login = api.login({ serverAddress: 'localhost:7443', username: 'alice', password: 'x' })
    socket().receive({
      kind: 'response',
      id: socket().sent[0]!.id,
      ok: false,
      error: { code: 'BAD_CREDENTIALS', message: 'wrong username or password' },
    })

    const error = await login.catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(HostError)
    expect(error).toMatchObject({ code: 'BAD_CREDENTIALS', message: 'wrong username or password' })
  })

  it('holds requests made while the socket opens and sends them once it is open', async () => {
    const { api, socket } = setUp()

    const state = api.getState({})
    expect(socket().sent).toEqual([])

    socket().open()
    expect(socket().sent).toMatchObject([{ method: 'getState' }])
    socket().respond(socket().sent[0]!.id, { session: null })
    await expect(state).resolves.toEqual({ session: null })
  })

  it('delivers events to every listener until it unsubscribes, and skips unknown events', () => {
    const { api, socket } = setUp()
    socket().open()
    const first = vi.fn<HostEventListener>()
    const second = vi.fn<HostEventListener>()
    const stopFirst = api.onEvent(first)
    api.onEvent(second)

    socket().receive({ kind: 'event', name: 'messagesChanged', payload: { conversationId: 'c1' } })
    stopFirst()
    socket().receive({ kind: 'event', name: 'contactsChanged', payload: {} })
    socket().receive({ kind: 'event', name: 'somethingNew', payload: {} })

    expect(first.mock.calls).toEqual([['messagesChanged', { conversationId: 'c1' }]])
    expect(second.mock.calls).toEqual([
      ['messagesChanged', { conversationId: 'c1' }],
      ['contactsChanged', {}],
    ])
  })

  it('keeps delivering events to the others when one listener throws', () => {
    const { api, socket } = setUp()
    socket().open()
    const after = vi.fn<HostEventListener>()
    api.onEvent(() => {
      throw new Error('listener bug')
    })
    api.onEvent(after)

    socket().receive({ kind: 'event', name: 'contactsChanged', payload: {} })

    expect(after).toHaveBeenCalledOnce()
  })

  it('ignores frames that are not envelopes and still answers later responses', async () => {
    const { api, socket } = setUp()
    socket().open()
    const state = api.getState({})

    socket().receive('not json')
    socket().receive({ kind: 'response', id: 'nope' })
    socket().respond(socket().sent[0]!.id, { ok: 1 })

    await expect(state).resolves.toEqual({ ok: 1 })
  })

  it('fails requests in flight with UNREACHABLE when the socket drops', async () => {
    const { api, socket, links } = setUp()
    socket().open()
    const contacts = api.listContacts({})

    socket().drop()

    await expect(contacts).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: 'lost the connection to the Tack host',
    })
    expect(links).toEqual(['up', 'down'])
  })

  it('rejects requests at once while it waits to reconnect', async () => {
    vi.useFakeTimers()
    const { api, socket } = setUp()
    socket().open()
    socket().drop()

    await expect(api.getState({})).rejects.toMatchObject({ code: 'UNREACHABLE' })
  })

  it('reconnects after a growing delay and reports the link up again once open', () => {
    vi.useFakeTimers()
    const { sockets, socket, links } = setUp([100, 200, 400])
    socket().open()

    socket().drop()
    vi.advanceTimersByTime(99)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(2)

    socket().drop()
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)

    socket().open()
    expect(links).toEqual(['up', 'down', 'up'])

    socket().drop()
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(4)
  })

  it('stops for good on close: the socket closes, pending requests fail, no reconnect', async () => {
    vi.useFakeTimers()
    const { host, api, sockets, socket } = setUp()
    socket().open()
    const state = api.getState({})

    host.close()

    await expect(state).rejects.toMatchObject({ code: 'UNREACHABLE' })
    expect(socket().closedByClient).toBe(true)
    socket().drop()
    vi.advanceTimersByTime(10_000)
    expect(sockets).toHaveLength(1)
    await expect(api.getState({})).rejects.toMatchObject({ code: 'UNREACHABLE' })
  })
})
