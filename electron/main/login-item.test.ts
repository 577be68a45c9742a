import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyOpenAtLogin, AUTOSTART_FILE, linuxAutostartEntry } from './login-item'

describe('applyOpenAtLogin', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tack-autostart-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("uses the system's login items on macOS and Windows", async () => {
    const app = { setLoginItemSettings: vi.fn() }
    await applyOpenAtLogin(true, { platform: 'darwin', app, executable: '/Applications/Tack.app' })
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] })
  })

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const app = { setLoginItemSettings: vi.fn() }
    const target = {
      platform: 'linux' as const,
      app,
      executable: '/opt/Tack/tack',
      autostartDir: dir,
    }
    await applyOpenAtLogin(true, target)
    expect(await readFile(join(dir, AUTOSTART_FILE), 'utf8')).toContain(
      'Exec="/opt/Tack/tack" --hidden',
    )

    await applyOpenAtLogin(false, target)
    await expect(stat(join(dir, AUTOSTART_FILE))).rejects.toThrow()
    expect(app.setLoginItemSettings).not.toHaveBeenCalled()
  })

  it('quotes a path with spaces and shell characters', () => {
    expect(linuxAutostartEntry('/home/a b/Tack $x.AppImage')).toContain(
      'Exec="/home/a b/Tack \\$x.AppImage" --hidden',
    )
  })
})
