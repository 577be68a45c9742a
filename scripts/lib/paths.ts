// Where things are, from the project root, whatever folder a script is started from.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
// TACK_RENDERER_DIR moves the built renderer, so two checkouts' e2e runs never share one build.
export const RENDERER_DIR = process.env['TACK_RENDERER_DIR'] ?? join(REPO_ROOT, 'dist', 'renderer')
export const DEFAULT_SERVER_DATA_DIR = join(REPO_ROOT, '.tack', 'server')
export const DEFAULT_PROFILE_DIR = join(REPO_ROOT, '.tack', 'profile')
export const DEFAULT_SERVER_PORT = 7443
