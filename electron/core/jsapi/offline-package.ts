// Offline packages: a zip with manifest.json at its root ({ agentId, version, entry? }), installed
// per app under <profile>/micro-app-packages/<agentId>/<version>/ and only ever updated to a newer
// version. current.json names the version in use; it is written last, so a crash mid-install
// leaves the previous version serving.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { ZipError, readZip } from './zip'

export const PACKAGES_FOLDER = 'micro-app-packages'

const manifestSchema = z.object({
  agentId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'agentId: lowercase letters, digits, -'),
  version: z.string().regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'version: MAJOR.MINOR.PATCH'),
  name: z.string().max(60).optional(),
  entry: z.string().max(200).default('index.html'),
})

export type PackageManifest = z.infer<typeof manifestSchema>

export interface InstalledPackage extends PackageManifest {
  dir: string
}

export class PackageError extends Error {}

/** Installs the package if it is newer than the installed one; returns what now serves. */
export async function installPackage(root: string, zip: Buffer): Promise<InstalledPackage> {
  const files = unzip(zip)
  const manifest = parseManifest(files.get('manifest.json'))
  if (!files.has(manifest.entry)) throw new PackageError(`the entry ${manifest.entry} is missing`)

  const installed = await installedPackage(root, manifest.agentId)
  if (installed && compareVersions(manifest.version, installed.version) <= 0) {
    throw new PackageError(
      `version ${manifest.version} is not newer than the installed ${installed.version}`,
    )
  }

  const dir = join(root, manifest.agentId, manifest.version)
  await rm(dir, { recursive: true, force: true })
  for (const [name, content] of files) {
    const target = join(dir, name)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, content)
  }
  const current = join(root, manifest.agentId, 'current.json')
  await writeFile(`${current}.tmp`, JSON.stringify(manifest))
  await rename(`${current}.tmp`, current)
  if (installed) await rm(installed.dir, { recursive: true, force: true })
  return { ...manifest, dir }
}

/** The version of the app's package in use, if any. */
export async function installedPackage(
  root: string,
  agentId: string,
): Promise<InstalledPackage | null> {
  try {
    const text = await readFile(join(root, agentId, 'current.json'), 'utf8')
    const manifest = manifestSchema.parse(JSON.parse(text))
    return { ...manifest, dir: join(root, agentId, manifest.version) }
  } catch {
    return null
  }
}

export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number)
  const right = b.split('.').map(Number)
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}

function unzip(zip: Buffer): Map<string, Buffer> {
  try {
    return readZip(zip)
  } catch (error) {
    throw new PackageError(error instanceof ZipError ? error.message : 'not a zip file')
  }
}

function parseManifest(bytes: Buffer | undefined): PackageManifest {
  if (!bytes) throw new PackageError('manifest.json is missing')
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new PackageError('manifest.json is not JSON')
  }
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success) {
    throw new PackageError(`manifest.json: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  }
  return parsed.data
}
