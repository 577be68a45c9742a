// Browser mode's HostApi: requests and events carried over a WebSocket to the web host, in the
// envelopes of shared/host-transport. Each request gets an id and its promise settles with the
// response carrying that id. When the socket drops (the host restarted), requests in flight fail
// with UNREACHABLE, the link reports 'down', and the client reconnects with a growing delay.
import { HostError } from '../../../shared/errors'
import {
  HOST_EVENT_NAMES,
  type HostApi,
  type HostEventListener,
  type HostEventName,
  type HostEvents,
  type HostMethod,
} from '../../../shared/host-api'
import {
  fromErrorPayload,
  responseEnvelopeSchema,
  type RequestEnvelope,
} from '../../../shared/host-transport'
import { createLogger } from '../../../shared/logger'
import { bindRequests } from './bind-requests'
import type { HostConnection, HostLinkListener, HostLinkState } from './host-connection'

const log = createLogger('host-link')

/** What a socket tells the client; the socket factory calls these. */
export interface SocketHandlers {
  opened(): void
  received(data: string): void
  /** After an error too: a socket that fails always ends up closed. */
  closed(): void
}

export interface HostSocket {
  send(data: string): void
  close(): void
}

/** Opens a socket; a real WebSocket in the page, a fake in tests. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => HostSocket

export interface WebSocketHostOptions {
  url: string
  createSocket?: SocketFactory
  /** Waits before each reconnect attempt, in ms; the last one repeats. */
  reconnectDelaysMs?: readonly number[]
}

export interface WebSocketHost extends HostConnection {
  /** Closes the socket for good; pending and later requests fail. */
  close(): void
}

const DEFAULT_RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000]

interface PendingRequest {
  resolve(result: unknown): void
  reject(error: HostError): void
}

export function connectWebSocketHost(options: WebSocketHostOptions): WebSocketHost {
  const createSocket = options.createSocket ?? openBrowserSocket
  const delays = options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS
  const pending = new Map<number, PendingRequest>()
  /** Requests made while the socket was opening, sent once it opens. */
  const unsent: { id: number; frame: string }[] = []
  const eventListeners = new Set<HostEventListener>()
  const linkListeners = new Set<HostLinkListener>()
  let socket: HostSocket | null = null
  let socketOpen = false
  let socketGeneration = 0
  let link: HostLinkState = 'connecting'
  let nextRequestId = 1
  let failedAttempts = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null
  let closedForGood = false

  function openSocket(): void {
    const generation = ++socketGeneration
    const current = () => generation === socketGeneration && !closedForGood
    socket = createSocket(options.url, {
      opened: () => {
        if (current()) socketOpened()
      },
      received: (data) => {
        if (current()) receive(data)
      },
      closed: () => {
        if (current()) socketClosed()
      },
    })
  }

  function socketOpened(): void {
    socketOpen = true
    failedAttempts = 0
    for (const { id, frame } of unsent.splice(0)) send(id, frame)
    setLink('up')
  }

  function socketClosed(): void {
    const wasOpen = socketOpen
    socket = null
    socketOpen = false
    unsent.length = 0
    failPending(
      wasOpen ? 'lost the connection to the Tack host' : 'could not connect to the Tack host',
    )
    // Once when the link drops; each failed attempt after that only at debug level.
    if (wasOpen) log.warn('host link lost')
    else log.debug({ failedAttempts }, 'host link attempt failed')
    setLink('down')
    scheduleReconnect()
  }

  function scheduleReconnect(): void {
    const delay = delays[Math.min(failedAttempts, delays.length - 1)] ?? 1000
    failedAttempts += 1
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null
      openSocket()
    }, delay)
  }

  function setLink(state: HostLinkState): void {
    if (state === link) return
    link = state
    for (const listener of linkListeners) guard(() => listener(state), 'link listener failed')
  }

  function failPending(message: string): void {
    const error = new HostError('UNREACHABLE', message)
    const failed = [...pending.values()]
    pending.clear()
    for (const request of failed) request.reject(error)
  }

  function request(method: HostMethod, params: unknown): Promise<unknown> {
    if (closedForGood) {
      return Promise.reject(new HostError('UNREACHABLE', 'the host client is closed'))
    }
    if (!socket) {
      return Promise.reject(new HostError('UNREACHABLE', 'reconnecting to the Tack host'))
    }
    const id = nextRequestId++
    const envelope: RequestEnvelope = { kind: 'request', id, method, params: params ?? {} }
    const frame = JSON.stringify(envelope)
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      if (!socketOpen) unsent.push({ id, frame })
      else send(id, frame)
    })
  }

  function send(id: number, frame: string): void {
    try {
      socket?.send(frame)
    } catch (error) {
      pending.get(id)?.reject(new HostError('UNREACHABLE', `could not send: ${String(error)}`))
      pending.delete(id)
    }
  }

  function receive(data: string): void {
    const envelope = responseEnvelopeSchema.safeParse(parseJson(data))
    if (!envelope.success) {
      log.warn({ bytes: data.length }, 'dropped a frame that is not an envelope')
      return
    }
    const message = envelope.data
    if (message.kind === 'event') {
      deliverEvent(message.name, message.payload)
      return
    }
    const request = pending.get(message.id)
    if (!request) return
    pending.delete(message.id)
    if (message.ok) request.resolve(message.result)
    else request.reject(fromErrorPayload(message.error))
  }

  function deliverEvent(name: string, payload: unknown): void {
    if (!(HOST_EVENT_NAMES as readonly string[]).includes(name)) {
      log.debug({ name }, 'ignored an unknown event')
      return
    }
    const event = name as HostEventName
    for (const listener of eventListeners) {
      guard(() => listener(event, payload as HostEvents[HostEventName]), 'event listener failed')
    }
  }

  const api: HostApi = {
    ...bindRequests(request),
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
  }

  openSocket()

  return {
    api,
    transport: 'browser',
    onLinkChange(listener) {
      linkListeners.add(listener)
      return () => linkListeners.delete(listener)
    },
    close() {
      closedForGood = true
      if (reconnectTimer) clearTimeout(reconnectTimer)
      socket?.close()
      socket = null
      failPending('the host client is closed')
    },
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    return undefined
  }
}

function guard(step: () => void, message: string): void {
  try {
    step()
  } catch (error) {
    log.error({ err: error }, message)
  }
}

/** The page's real WebSocket behind the SocketFactory shape. */
export const openBrowserSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url)
  socket.addEventListener('open', () => handlers.opened())
  socket.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (typeof event.data === 'string') handlers.received(event.data)
  })
  socket.addEventListener('close', () => handlers.closed())
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
  }
}
