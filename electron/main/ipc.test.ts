// The IPC binding and the preload's bridge, joined by a fake IPC pipe: what the renderer calls
// reaches the core only from the app window's top frame, and answers and errors come back intact.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { HostError } from '../../shared/errors'
import type { HostEventListener, HostEvents, HostHandlers } from '../../shared/host-api'
import { createHostBridge, type IpcRendererLike } from '../preload/host-bridge'
import { bindHostApi, type HostCore } from './ipc'
import { HOST_EVENT_CHANNEL } from './ipc-channels'
import { ShellEvents } from './shell-events'

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

interface Frame {
  parent: Frame | null
  url: string
}

function setUp() {
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  }

  const rendererListeners = new Set<(event: unknown, envelope: unknown) => void>()
  const webContents = {
    send: vi.fn((_channel: string, envelope: unknown) => {
      for (const listener of rendererListeners) listener({}, envelope)
    }),
  }
  const window = { isDestroyed: () => false, webContents } as unknown as BrowserWindow

  let coreListener: HostEventListener | null = null
  const core = {
    getState: vi.fn(async () => ({ session: null })),
    login: vi.fn(async () => {
      throw new HostError('BAD_CREDENTIALS', 'wrong username or password')
    }),
    listConversations: vi.fn(async () => {
      throw new Error('database exploded: secret details')
    }),
    onEvent: (listener: HostEventListener) => {
      coreListener = listener
      return () => {
        coreListener = null
      }
    },
  } as unknown as HostCore & Record<keyof HostHandlers, ReturnType<typeof vi.fn>>

  // The frame the renderer calls from; tests swap it for a sub-frame or a foreign page.
  let senderFrame: Frame | null = { parent: null, url: 'app://tack/index.html' }
  let sender: unknown = webContents
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      const event = { sender, senderFrame } as unknown as IpcMainInvokeEvent
      return handler(event, ...args)
    },
    on: (_channel: string, listener: (event: unknown, envelope: unknown) => void) => {
      rendererListeners.add(listener)
    },
    removeListener: (_channel: string, listener: (event: unknown, envelope: unknown) => void) => {
      rendererListeners.delete(listener)
    },
  } as unknown as IpcRendererLike

  let openWindow: BrowserWindow | null = window
  const shellEvents = new ShellEvents()
  const unbind = bindHostApi({ ipcMain, core, getWindow: () => openWindow, shellEvents })
  return {
    shellEvents,
    closeWindow: () => (openWindow = null),
    api: createHostBridge(ipcRenderer),
    core,
    handlers,
    unbind,
    webContents,
    emit: <E extends keyof HostEvents>(name: E, payload: HostEvents[E]) =>
      coreListener?.(name, payload),
    hasCoreListener: () => coreListener !== null,
    callFrom: (frame: Frame | null, from: unknown = webContents) => {
      senderFrame = frame
      sender = from
    },
  }
}

describe('HostApi over IPC', () => {
  it('registers one channel per contract method', () => {
    const { handlers } = setUp()
    expect([...handlers.keys()]).toContain('tack:getState')
    expect([...handlers.keys()]).toContain('tack:sendMessage')
    expect([...handlers.keys()].every((channel) => channel.startsWith('tack:'))).toBe(true)
  })

  it('answers a valid request with the core result', async () => {
    const { api, core } = setUp()
    await expect(api.getState({})).resolves.toEqual({ session: null })
    expect(core.getState).toHaveBeenCalledWith({})
  })

  it('rejects bad parameters before the core sees them', async () => {
    const { api, core } = setUp()
    await expect(
      api.login({ serverAddress: 'no port', username: 'alice', password: 'x' }),
    ).rejects.toMatchObject({ name: 'HostError', code: 'BAD_PARAMS' })
    expect(core.login).not.toHaveBeenCalled()
  })

  it("carries the core's error code and message to the renderer", async () => {
    const { api } = setUp()
    await expect(
      api.login({ serverAddress: 'localhost:7443', username: 'alice', password: 'nope' }),
    ).rejects.toEqual({
      name: 'HostError',
      code: 'BAD_CREDENTIALS',
      message: 'wrong username or password',
    })
  })

  it('hides the details of unexpected errors', async () => {
    const { api } = setUp()
    await expect(api.listConversations({})).rejects.toEqual({
      name: 'HostError',
      code: 'INTERNAL',
      message: 'internal error',
    })
  })

  it('refuses calls from a sub-frame, another page, or another window', async () => {
    const { api, core, callFrom, webContents } = setUp()
    const top = { parent: null, url: 'app://tack/index.html' }

    callFrom({ parent: top, url: 'app://tack/index.html' })
    await expect(api.getState({})).rejects.toMatchObject({ code: 'INTERNAL' })
    callFrom({ parent: null, url: 'https://evil.example/' })
    await expect(api.getState({})).rejects.toMatchObject({ code: 'INTERNAL' })
    callFrom(null)
    await expect(api.getState({})).rejects.toMatchObject({ code: 'INTERNAL' })
    callFrom(top, { ...webContents })
    await expect(api.getState({})).rejects.toMatchObject({ code: 'INTERNAL' })

    expect(core.getState).not.toHaveBeenCalled()
  })

  it('refuses every call while the app window is closed', async () => {
    const { api, core, closeWindow } = setUp()
    closeWindow()
    await expect(api.getState({})).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(core.getState).not.toHaveBeenCalled()
  })

  it("sends the shell's own events, such as openConversation, to the window", () => {
    const { api, shellEvents } = setUp()
    const heard: unknown[] = []
    api.onEvent((name, payload) => heard.push([name, payload]))
    shellEvents.emit('openConversation', { conversationId: 'c7' })
    expect(heard).toEqual([['openConversation', { conversationId: 'c7' }]])
  })

  it('forwards core events to the window until the listener is removed', () => {
    const { api, emit, webContents } = setUp()
    const heard: unknown[] = []
    const stop = api.onEvent((name, payload) => heard.push([name, payload]))

    emit('messagesChanged', { conversationId: 'c1' })
    expect(webContents.send).toHaveBeenCalledWith(HOST_EVENT_CHANNEL, {
      name: 'messagesChanged',
      payload: { conversationId: 'c1' },
    })
    expect(heard).toEqual([['messagesChanged', { conversationId: 'c1' }]])

    stop()
    emit('contactsChanged', {})
    expect(heard).toHaveLength(1)
  })

  it('unbinds handlers and the event subscription', () => {
    const { handlers, unbind, hasCoreListener } = setUp()
    unbind()
    expect(handlers.size).toBe(0)
    expect(hasCoreListener()).toBe(false)
  })
})
