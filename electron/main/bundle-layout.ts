// Where the bundled Electron code sits in dist/. scripts/bundle-electron.ts writes these files and
// the main process finds the preload and the renderer from them, so both read the names here.

/** Output folder of the bundles, from the project root. */
export const ELECTRON_OUT_DIR = 'dist/electron'
export const MAIN_BUNDLE = 'main.cjs'
export const PRELOAD_BUNDLE = 'preload.cjs'
/** The preload every micro-app webview gets (see webview-policy.ts). */
export const MICROAPP_PRELOAD_BUNDLE = 'microapp-preload.cjs'
/** The built renderer, relative to ELECTRON_OUT_DIR. */
export const RENDERER_DIR_FROM_BUNDLE = '../renderer'
