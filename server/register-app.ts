// Registers a micro-app in a server's database, or updates it, and prints its new app key and
// secret once (only the secret's SHA-256 is kept):
//   npm run register-microapp -- --agent-id my-app --name 我的应用 --url http://localhost:5173/
// A running server sees the app at once (SQLite, WAL).
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { JSAPI_METHODS } from '../shared/jsapi/methods'
import { configureLogging } from '../shared/logger'
import { hashSecret, newSecret } from './open-platform/credentials'
import { DATABASE_FILE } from './server'
import { openSqliteStorage } from './storage/sqlite-storage'

const USAGE = `usage: npm run register-microapp -- --agent-id ID --name NAME --url URL
  [--name-en NAME] [--icon EMOJI] [--origin ORIGIN ...] [--jsapi METHOD ...] [--directory-write]
  [--data DIR]
  Without --jsapi the app may call every JS-API method; --origin defaults to the URL's origin.
  --directory-write lets the app change people and departments (/user/update,
  /department/update), for an HR or directory sync; registering again without it takes it away.`

function main(): void {
  configureLogging({ level: 'warn' })
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '.tack/server' },
      'agent-id': { type: 'string' },
      name: { type: 'string' },
      'name-en': { type: 'string' },
      icon: { type: 'string', default: '🧩' },
      url: { type: 'string' },
      origin: { type: 'string', multiple: true },
      jsapi: { type: 'string', multiple: true },
      'directory-write': { type: 'boolean', default: false },
    },
  })
  const agentId = values['agent-id']
  if (!agentId || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(agentId) || !values.name || !values.url) {
    process.stderr.write(`${USAGE}\n`)
    process.exitCode = 2
    return
  }
  const url = new URL(values.url)
  const unknown = (values.jsapi ?? []).filter(
    (method) => !(JSAPI_METHODS as readonly string[]).includes(method),
  )
  if (unknown.length > 0) {
    process.stderr.write(`unknown JS-API methods: ${unknown.join(', ')}\n`)
    process.exitCode = 2
    return
  }

  const appKey = `${agentId}-${newSecret(6)}`
  const appSecret = newSecret()
  const storage = openSqliteStorage(join(values.data, DATABASE_FILE))
  try {
    storage.saveMicroApp({
      agentId,
      name: values.name,
      nameEn: values['name-en'] ?? values.name,
      icon: values.icon,
      description: url.href,
      homeUrl: url.href,
      allowedOrigins: values.origin ?? [url.origin],
      jsApiList: values.jsapi ?? [...JSAPI_METHODS],
      appKey,
      appSecretHash: hashSecret(appSecret),
      botUserId: `app-${agentId}`,
      directoryWrite: values['directory-write'],
    })
  } finally {
    storage.close()
  }
  process.stdout.write(
    `micro-app ${agentId} registered` +
      `${values['directory-write'] ? ' (may change the directory)' : ''}\n` +
      `appkey:    ${appKey}\nappsecret: ${appSecret}\n`,
  )
}

main()
