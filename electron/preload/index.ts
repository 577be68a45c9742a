// The app window's preload: exposes the HostApi as window.tackHost and nothing else. Runs
// sandboxed, where require() knows only 'electron' and a few built-ins, so it ships as one bundle
// (scripts/bundle-electron.ts → dist/electron/preload.cjs).
import { contextBridge, ipcRenderer } from 'electron'
import { createHostBridge } from './host-bridge'

/** The global the renderer finds the host under. */
const HOST_GLOBAL = 'tackHost'

contextBridge.exposeInMainWorld(HOST_GLOBAL, createHostBridge(ipcRenderer))
