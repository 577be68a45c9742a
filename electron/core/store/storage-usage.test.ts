import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { accountFilesDir, measureStorage, stagingDir } from './storage-usage'

describe('measureStorage', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tack-usage-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('adds the database, its WAL and shared memory, and every file under the file folders', async () => {
    const database = join(dir, 'accounts', 'u-1.db')
    const files = accountFilesDir(dir, 'u-1')
    const staging = stagingDir(dir)
    await mkdir(join(files, 'ab', 'cd'), { recursive: true })
    await mkdir(staging, { recursive: true })
    await mkdir(join(dir, 'accounts'))
    await mkdir(accountFilesDir(dir, 'u-2'), { recursive: true })
    await writeFile(database, Buffer.alloc(4096))
    await writeFile(`${database}-wal`, Buffer.alloc(1000))
    await writeFile(`${database}-shm`, Buffer.alloc(32))
    await writeFile(join(dir, 'accounts', 'u-2.db'), Buffer.alloc(9999))
    await writeFile(join(files, 'one.png'), Buffer.alloc(300))
    await writeFile(join(files, 'ab', 'cd', 'two.pdf'), Buffer.alloc(700))
    await writeFile(join(staging, 'staged-id'), Buffer.alloc(50))
    await writeFile(join(accountFilesDir(dir, 'u-2'), 'theirs.bin'), Buffer.alloc(8888))
    // A link is counted as nothing: its target may be anywhere, or the database itself.
    await symlink(database, join(files, 'link'))

    expect(await measureStorage(database, [files, staging])).toEqual({
      databaseBytes: 4096 + 1000 + 32,
      filesBytes: 1050,
    })
  })

  it('counts what is missing as zero: no WAL yet, no file folder yet', async () => {
    const database = join(dir, 'u-1.db')
    await writeFile(database, Buffer.alloc(512))
    expect(await measureStorage(database, [join(dir, 'nowhere')])).toEqual({
      databaseBytes: 512,
      filesBytes: 0,
    })
  })
})
