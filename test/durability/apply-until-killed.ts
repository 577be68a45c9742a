// Run by durability.test.ts as its own process: applies large synthetic sync packets through the
// real sync engine into a real encrypted store, saying on stdout when each starts and commits,
// until the test kills it. Usage: tsx apply-until-killed.ts DB_PATH KEY_HEX PACKETS SIZE
import { Store } from '../../electron/core/store/store'
import { SyncEngine } from '../../electron/core/sync/sync-engine'
import { configureLogging } from '../../shared/logger'
import { syntheticPacket } from './packets'

configureLogging({ level: 'silent' })
const [path, keyHex, packets, size] = process.argv.slice(2)

const store = await Store.open(path!, Buffer.from(keyHex!, 'hex'), { create: true })
const engine = new SyncEngine(store, 'u-me', () => undefined)
for (let packetNo = 1; packetNo <= Number(packets); packetNo += 1) {
  const packet = syntheticPacket(packetNo, Number(size))
  process.stdout.write(`APPLYING ${packetNo}\n`)
  await engine.apply(packet)
  process.stdout.write(`COMMITTED ${packet.toSyncId}\n`)
}
process.stdout.write('DONE\n')
await store.close()
