import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTackOptions } from './options'
import { DEFAULT_PROFILE_DIR, DEFAULT_SERVER_DATA_DIR, DEFAULT_SERVER_PORT } from './paths'
import { UsageError } from './run-script'

describe('parseTackOptions', () => {
  it('starts a local server on 7443 with the .tack folders by default', () => {
    expect(parseTackOptions([])).toEqual({
      help: false,
      server: {
        kind: 'local',
        dataDir: DEFAULT_SERVER_DATA_DIR,
        port: DEFAULT_SERVER_PORT,
        portIsExplicit: false,
      },
      profileDir: DEFAULT_PROFILE_DIR,
      hostPort: undefined,
    })
  })

  it('takes ports and folders from the command line', () => {
    const options = parseTackOptions([
      '--port',
      '0',
      '--server-port',
      '9443',
      '--profile',
      'p',
      '--data',
      'd',
    ])
    expect(options.hostPort).toBe(0)
    expect(options.profileDir).toBe(resolve('p'))
    expect(options.server).toEqual({
      kind: 'local',
      dataDir: resolve('d'),
      port: 9443,
      portIsExplicit: true,
    })
  })

  it('attaches to a running server with --no-server --server --ca', () => {
    const options = parseTackOptions([
      '--no-server',
      '--server',
      '127.0.0.1:7443',
      '--ca',
      'ca.pem',
    ])
    expect(options.server).toEqual({
      kind: 'existing',
      address: '127.0.0.1:7443',
      caPath: resolve('ca.pem'),
    })
  })

  it('explains what is missing or contradictory', () => {
    expect(() => parseTackOptions(['--no-server'])).toThrow(/needs --server HOST:PORT and --ca/)
    expect(() => parseTackOptions(['--server', 'h:1', '--ca', 'c'])).toThrow(/add --no-server/)
    expect(() =>
      parseTackOptions(['--no-server', '--server', 'h:1', '--ca', 'c', '--data', 'd']),
    ).toThrow(/drop --no-server/)
    expect(() => parseTackOptions(['--port', '70000'])).toThrow(/port number/)
    expect(() => parseTackOptions(['--port', '-1'])).toThrow(UsageError)
    expect(() => parseTackOptions(['--whatever'])).toThrow(/Unknown option/)
  })
})
