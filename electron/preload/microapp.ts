// The preload of every micro-app webview (webview-policy.ts forces it): exposes one function,
// `window.tackMicroApp.invoke(method, params, onEachAnswer?)`, which the dd SDK builds on. The
// container that holds the webview checks each call's origin, signature, permission and
// parameters through the core before anything runs.
import { contextBridge, ipcRenderer } from 'electron'
import { createMicroAppBridge, type EachAnswer } from './microapp-bridge'

const MICROAPP_GLOBAL = 'tackMicroApp'

const bridge = createMicroAppBridge(ipcRenderer)
contextBridge.exposeInMainWorld(MICROAPP_GLOBAL, {
  invoke: (method: string, params?: unknown, onEachAnswer?: (answer: EachAnswer) => void) =>
    bridge.invoke(method, params, onEachAnswer),
})
