// The shared frame of every benchmark: run variants, print a table of ratios against the
// baseline measured in the same run, and write bench/results/NAME.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface Variant {
  name: string
  /** Runs the measured work once and returns how many units it processed. */
  run(): number
}

export interface BenchResult {
  name: string
  date: string
  node: string
  metrics: Record<string, number>
}

const RESULTS_DIR = resolve(import.meta.dirname, 'results')

/** Best-of-N throughput in units per second, after one warm-up run. */
export function throughput(variant: Variant, rounds: number): number {
  variant.run()
  let best = 0
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint()
    const units = variant.run()
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    best = Math.max(best, units / seconds)
  }
  return best
}

export function compare(
  name: string,
  unit: string,
  baseline: Variant,
  contenders: Variant[],
  rounds = 5,
): BenchResult {
  const base = throughput(baseline, rounds)
  const rows = [{ variant: `${baseline.name} (baseline)`, rate: base, ratio: 1 }]
  const metrics: Record<string, number> = { [`${baseline.name}_per_s`]: Math.round(base) }
  for (const contender of contenders) {
    const rate = throughput(contender, rounds)
    rows.push({ variant: contender.name, rate, ratio: rate / base })
    metrics[`${contender.name}_per_s`] = Math.round(rate)
    metrics[`${contender.name}_ratio`] = Number((rate / base).toFixed(3))
  }
  printTable(name, unit, rows)
  return { name, date: new Date().toISOString(), node: process.version, metrics }
}

function printTable(
  name: string,
  unit: string,
  rows: { variant: string; rate: number; ratio: number }[],
) {
  const width = Math.max(...rows.map((row) => row.variant.length), 7)
  const lines = [
    `\n${name}`,
    `${'variant'.padEnd(width)}  ${`${unit}/s`.padStart(14)}  ${'ratio'.padStart(7)}`,
    ...rows.map(
      (row) =>
        `${row.variant.padEnd(width)}  ${Math.round(row.rate).toLocaleString('en').padStart(14)}  ${row.ratio.toFixed(2).padStart(7)}`,
    ),
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const path = join(RESULTS_DIR, `${result.name}.json`)
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}
