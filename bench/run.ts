// npm run bench [-- NAME ...]: runs every benchmark, or the named ones, printing each table and
// writing bench/results/NAME.json.
import { configureLogging, type LogLevel } from '../shared/logger'
import type { BenchResult } from './harness'
import { writeResult } from './harness'

// Benchmarks print their table; the code they measure logs only what is worth a warning.
configureLogging({ level: (process.env.TACK_LOG_LEVEL as LogLevel | undefined) ?? 'warn' })

const BENCHMARKS: Record<string, () => Promise<{ run(): BenchResult | Promise<BenchResult> }>> = {
  codec: () => import('./codec.bench'),
  net: () => import('./net.bench'),
  receipts: () => import('./receipts.bench'),
  store: () => import('./store.bench'),
  sync: () => import('./sync.bench'),
  ui: () => import('./ui.bench'),
  upload: () => import('./upload.bench'),
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2)
  const unknown = asked.filter((name) => !(name in BENCHMARKS))
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; have ${Object.keys(BENCHMARKS).join(', ')}\n`,
    )
    process.exit(2)
  }
  for (const name of asked.length > 0 ? asked : Object.keys(BENCHMARKS)) {
    const module = await BENCHMARKS[name]!()
    const result = await module.run()
    process.stdout.write(`wrote ${writeResult(result)}\n`)
  }
}

await main()
