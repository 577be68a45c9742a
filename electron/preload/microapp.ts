// The preload of every micro-app webview (webview-policy.ts forces it): exposes one function,
// `window.tackMicroApp.invoke(method, params)`, which the dd SDK builds on. The main process
// checks each call's origin, signature, permission and parameters before it runs.
import { contextBridge, ipcRenderer } from 'electron'
import { MICROAPP_INVOKE_CHANNEL } from '../main/ipc-channels'

const MICROAPP_GLOBAL = 'tackMicroApp'

contextBridge.exposeInMainWorld(MICROAPP_GLOBAL, {
  invoke: (method: unknown, params: unknown): Promise<unknown> =>
    ipcRenderer.invoke(MICROAPP_INVOKE_CHANNEL, {
      method: typeof method === 'string' ? method : '',
      params: params ?? {},
    }),
})
