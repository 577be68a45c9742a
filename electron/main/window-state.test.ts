import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  loadWindowState,
  rememberWindowState,
  restorableBounds,
  type WindowLike,
} from './window-state'

const screen = { x: 0, y: 0, width: 1920, height: 1080 }

describe('restorableBounds', () => {
  it('restores a place that is still on a screen', () => {
    const state = { x: 100, y: 80, width: 1000, height: 700, maximized: false }
    expect(restorableBounds(state, [screen])).toEqual({ x: 100, y: 80, width: 1000, height: 700 })
  })

  it('falls back to the default place when that screen is gone', () => {
    const state = { x: 2500, y: 100, width: 1000, height: 700, maximized: false }
    expect(restorableBounds(state, [screen])).toBeNull()
    expect(restorableBounds(null, [screen])).toBeNull()
  })
})

describe('rememberWindowState', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tack-window-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('saves the window place when it closes, for the next start', async () => {
    const path = join(dir, 'window-state.json')
    const window = Object.assign(new EventEmitter(), {
      getNormalBounds: () => ({ x: 10, y: 20, width: 900, height: 600 }),
      isMaximized: () => true,
      isDestroyed: () => false,
      maximize: () => undefined,
    })
    rememberWindowState(window as unknown as WindowLike, path)
    window.emit('close')

    await expect
      .poll(() => loadWindowState(path))
      .toEqual({
        x: 10,
        y: 20,
        width: 900,
        height: 600,
        maximized: true,
      })
  })
})
