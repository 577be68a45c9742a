// The app window's preload: exposes the HostApi as window.tackHost, and window.tackFiles, which
// names the path of a file the person picked or dropped (so the core uploads it from disk). Runs
// sandboxed, where require() knows only 'electron' and a few built-ins, so it ships as one bundle
// (scripts/bundle-electron.ts → dist/electron/preload.cjs).
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createHostBridge } from './host-bridge'

/** The global the renderer finds the host under. */
const HOST_GLOBAL = 'tackHost'

contextBridge.exposeInMainWorld(HOST_GLOBAL, createHostBridge(ipcRenderer))

/** A dropped or picked File's path on disk; '' for bytes with none (a pasted image). */
contextBridge.exposeInMainWorld('tackFiles', {
  pathForFile: (file: File) => webUtils.getPathForFile(file),
})
