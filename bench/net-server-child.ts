// The reference server in its own process for the net benchmark, so its CPU time is measured
// apart from the clients'. Driven over IPC: it reports { address, port, caPem } once listening,
// answers 'cpu' with process.cpuUsage(), and 'close' by shutting down (kicking every client).
import { configureLogging } from '../shared/logger'
import { startServer } from '../server/server'

interface ChildRequest {
  kind: 'cpu' | 'close'
}

const [dataDir, port] = process.argv.slice(2)

async function main(): Promise<void> {
  configureLogging({ level: 'warn' })
  const server = await startServer({ dataDir: dataDir!, port: Number(port ?? 0) })
  process.on('message', (message: ChildRequest) => {
    if (message.kind === 'cpu') process.send!({ kind: 'cpu', usage: process.cpuUsage() })
    if (message.kind === 'close') {
      void server.close().then(() => {
        process.send!({ kind: 'closed' })
        process.exit(0)
      })
    }
  })
  process.send!({ kind: 'ready', address: server.address, port: server.port, caPem: server.caPem })
}

void main()
