import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Builds the renderer into dist/renderer (or $TACK_RENDERER_DIR); browser mode's host and Electron
// both load it from there.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: process.env['TACK_RENDERER_DIR'] ?? '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
})
