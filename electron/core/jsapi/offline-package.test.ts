import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { installPackage, installedPackage } from './offline-package'
import { readZip, writeZip } from './zip'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function root(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tack-packages-'))
  dirs.push(dir)
  return dir
}

function packageZip(version: string, page = `<h1>${version}</h1>`) {
  return writeZip({
    'manifest.json': JSON.stringify({ agentId: 'demo-tasks', version }),
    'index.html': page,
    'js/app.js': 'console.log(1)',
  })
}

describe('offline packages', () => {
  it('a zip written here reads back byte for byte', () => {
    const zip = writeZip({ 'a.txt': 'hello', 'dir/b.bin': Buffer.from([0, 1, 2, 255]) })
    const files = readZip(zip)
    expect(files.get('a.txt')?.toString()).toBe('hello')
    expect([...files.get('dir/b.bin')!]).toEqual([0, 1, 2, 255])
  })

  it('installs a package and serves its files from the version folder', async () => {
    const packages = await root()
    const installed = await installPackage(packages, packageZip('1.0.0'))
    expect(installed).toMatchObject({
      agentId: 'demo-tasks',
      version: '1.0.0',
      entry: 'index.html',
    })
    expect(await readFile(join(installed.dir, 'js/app.js'), 'utf8')).toBe('console.log(1)')
  })

  it('updates only to a newer version, and the newer one replaces the old', async () => {
    const packages = await root()
    await installPackage(packages, packageZip('1.0.0'))

    await expect(installPackage(packages, packageZip('1.0.0'))).rejects.toThrow(/not newer/)
    await expect(installPackage(packages, packageZip('0.9.9'))).rejects.toThrow(/not newer/)

    const updated = await installPackage(packages, packageZip('1.2.0', 'new'))
    expect((await installedPackage(packages, 'demo-tasks'))?.version).toBe('1.2.0')
    expect(await readFile(join(updated.dir, 'index.html'), 'utf8')).toBe('new')
  })

  it('refuses a package whose paths would land outside its folder', async () => {
    const packages = await root()
    const zip = writeZip({
      'manifest.json': JSON.stringify({ agentId: 'demo-tasks', version: '1.0.0' }),
      'index.html': 'x',
      '../evil.txt': 'x',
    })
    await expect(installPackage(packages, zip)).rejects.toThrow(/unsafe path/)
  })

  it('refuses a package without a manifest or with a bad version', async () => {
    const packages = await root()
    await expect(installPackage(packages, writeZip({ 'index.html': 'x' }))).rejects.toThrow(
      /manifest.json is missing/,
    )
    const bad = writeZip({
      'manifest.json': JSON.stringify({ agentId: 'demo-tasks', version: 'latest' }),
      'index.html': 'x',
    })
    await expect(installPackage(packages, bad)).rejects.toThrow(/MAJOR.MINOR.PATCH/)
  })

  it('a damaged zip is a clear error', async () => {
    const packages = await root()
    const zip = packageZip('1.0.0')
    zip[45] = zip[45]! ^ 0xff
    await expect(installPackage(packages, zip)).rejects.toThrow()
    await expect(installPackage(packages, Buffer.from('not a zip'))).rejects.toThrow(/not a zip/)
  })
})
