// Developer mode's micro-apps: added by URL on this device, every JS-API allowed, kept in the
// profile folder as dev-micro-apps.json (written whole through a temporary file).
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { MicroAppView } from '../../../shared/jsapi/host-types'

const FILE = 'dev-micro-apps.json'

export class DevApps {
  private apps: MicroAppView[] | null = null

  constructor(private readonly profileDir: string) {}

  async list(): Promise<MicroAppView[]> {
    this.apps ??= await this.read()
    return this.apps
  }

  async add(url: string, name: string | undefined): Promise<MicroAppView> {
    const parsed = new URL(url)
    const agentId = `dev-${createHash('sha256').update(parsed.href).digest('hex').slice(0, 12)}`
    const app: MicroAppView = {
      agentId,
      name: name || parsed.host,
      icon: '🛠',
      description: parsed.href,
      homeUrl: parsed.href,
      allowedOrigins: [parsed.origin],
      jsApiList: ['*'],
      developer: true,
    }
    const apps = (await this.list()).filter((existing) => existing.agentId !== agentId)
    this.apps = [...apps, app]
    await this.write()
    return app
  }

  async remove(agentId: string): Promise<void> {
    this.apps = (await this.list()).filter((app) => app.agentId !== agentId)
    await this.write()
  }

  private async read(): Promise<MicroAppView[]> {
    try {
      const parsed = JSON.parse(await readFile(join(this.profileDir, FILE), 'utf8')) as unknown
      return Array.isArray(parsed) ? (parsed as MicroAppView[]) : []
    } catch {
      return []
    }
  }

  private async write(): Promise<void> {
    await mkdir(this.profileDir, { recursive: true, mode: 0o700 })
    const path = join(this.profileDir, FILE)
    await writeFile(`${path}.tmp`, JSON.stringify(this.apps, null, 2), { mode: 0o600 })
    await rename(`${path}.tmp`, path)
  }
}
