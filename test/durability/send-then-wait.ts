// Run by durability.test.ts as its own process: restores a signed-in account from its profile,
// waits until online, sends messages, says SENT on stdout the moment the last send returns, and
// then waits to be killed. Usage: tsx send-then-wait.ts (settings as JSON in TACK_TEST_SEND)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ClientCore } from '../../electron/core/client-core'
import { FileKeyStore } from '../../electron/core/store/key-store'
import { configureLogging } from '../../shared/logger'

interface Settings {
  profileDir: string
  serverAddress: string
  caPath: string
  conversationId: string
  texts: string[]
}

configureLogging({ level: 'silent' })
const settings = JSON.parse(process.env.TACK_TEST_SEND ?? '{}') as Settings

const core = new ClientCore({
  profileDir: settings.profileDir,
  keyStore: new FileKeyStore(join(settings.profileDir, 'keys')),
  defaultServerAddress: settings.serverAddress,
  trustedCaPem: readFileSync(settings.caPath, 'utf8'),
  device: { name: 'killed', platform: 'test' },
})
await core.start()
while ((await core.getState()).connection.status !== 'online') {
  await new Promise((resolve) => setTimeout(resolve, 20))
}
for (const text of settings.texts) {
  await core.sendMessage({ conversationId: settings.conversationId, text })
}
process.stdout.write('SENT\n')
setInterval(() => undefined, 60_000)
