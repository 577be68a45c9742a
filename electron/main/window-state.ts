// Remembers where the app window was: its normal bounds and whether it was maximised, in
// <userData>/window-state.json, restored at the next start when they are still on a screen.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { BrowserWindow, Rectangle } from 'electron'
import { z } from 'zod'
import { createLogger } from '../../shared/logger'

const log = createLogger('window-state')

const SAVE_DELAY_MS = 500
/** How much of the window must show on one screen for the saved place to be used. */
const MIN_VISIBLE_PX = 100

const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean(),
})

export type WindowState = z.infer<typeof windowStateSchema>

export type WindowLike = Pick<
  BrowserWindow,
  'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed' | 'maximize'
>

export async function loadWindowState(path: string): Promise<WindowState | null> {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** The saved bounds if enough of them lands on one of today's screens, else null (default). */
export function restorableBounds(
  state: WindowState | null,
  workAreas: readonly Rectangle[],
): Rectangle | null {
  if (!state) return null
  const bounds = { x: state.x, y: state.y, width: state.width, height: state.height }
  const visible = workAreas.some(
    (area) =>
      overlap(bounds.x, bounds.width, area.x, area.width) >= MIN_VISIBLE_PX &&
      overlap(bounds.y, bounds.height, area.y, area.height) >= MIN_VISIBLE_PX,
  )
  return visible ? bounds : null
}

/** Saves the window's place shortly after each move or resize, and at once when it closes. */
export function rememberWindowState(window: WindowLike, path: string): void {
  let timer: NodeJS.Timeout | null = null
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (window.isDestroyed()) return
    const bounds = window.getNormalBounds()
    void writeState(path, { ...bounds, maximized: window.isMaximized() })
  }
  const saveSoon = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }

  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    window.on(event as 'resize', saveSoon)
  }
  window.on('close', save)
}

async function writeState(path: string, state: WindowState): Promise<void> {
  const checked = windowStateSchema.safeParse(state)
  if (!checked.success) return
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(`${path}.tmp`, JSON.stringify(checked.data))
    await rename(`${path}.tmp`, path)
  } catch (error) {
    log.warn({ err: error }, 'window place not saved')
  }
}

function overlap(start: number, length: number, areaStart: number, areaLength: number): number {
  return Math.min(start + length, areaStart + areaLength) - Math.max(start, areaStart)
}
