// The register-microapp command against a real database: the directory-write grant is given
// only when asked for, and registering again without it takes it away.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from './server'
import { openSqliteStorage } from './storage/sqlite-storage'

let dir = ''

function register(...extra: string[]): string {
  const args = [
    '--data',
    dir,
    '--agent-id',
    'hr-sync',
    '--name',
    'HR',
    '--url',
    'https://hr.example/',
  ]
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', 'server/register-app.ts', ...args, ...extra],
    {
      encoding: 'utf8',
    },
  )
}

function directoryWrite(): boolean | undefined {
  const storage = openSqliteStorage(join(dir, DATABASE_FILE))
  try {
    return storage.findMicroApp('hr-sync')?.directoryWrite
  } finally {
    storage.close()
  }
}

describe('register-microapp', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tack-register-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('grants directory-write only with --directory-write, and a new registration without it takes it away', () => {
    expect(register('--directory-write')).toMatch(
      /^micro-app hr-sync registered \(may change the directory\)\nappkey: /,
    )
    expect(directoryWrite()).toBe(true)
    expect(register()).toMatch(/^micro-app hr-sync registered\nappkey: /)
    expect(directoryWrite()).toBe(false)
  })
})
