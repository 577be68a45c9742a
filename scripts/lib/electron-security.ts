// Electronegativity, the scanner for Electron misconfiguration, over the shell's own code: the
// main process and preload sources (tests and the test double left out) and the renderer's page.
// Its report is printed as it is; then every finding is matched against the justifications in
// electron/electronegativity.json, and an unjustified high-severity finding fails the run.
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { REPO_ROOT } from './paths'

export const SECURITY_CONFIG = 'electron/electronegativity.json'
const SCANNER = join(REPO_ROOT, 'node_modules', '.bin', 'electronegativity')
const SOURCES = [
  { from: 'electron/main', to: 'main' },
  { from: 'electron/preload', to: 'preload' },
]
const RENDERER_PAGE = 'renderer/index.html'
const FAILING_SEVERITIES = new Set(['HIGH', 'CRITICAL'])

const configSchema = z.object({
  /** The Electron version the checks assume (the scanner cannot read it from a bundle). */
  electronVersion: z.string(),
  /** Checks not run at all, each with its reason. */
  excludedChecks: z.record(z.string(), z.string()),
  /** Findings looked at and accepted: check id, file (or "N/A" for global checks), reason. */
  justified: z.array(z.object({ check: z.string(), file: z.string(), reason: z.string().min(20) })),
})

export type SecurityConfig = z.infer<typeof configSchema>

export interface Finding {
  check: string
  severity: string
  confidence: string
  file: string
  location: string
  sample: string
  description: string
}

export interface Verdict {
  finding: Finding
  justification: string | null
  fails: boolean
}

export async function loadSecurityConfig(): Promise<SecurityConfig> {
  return configSchema.parse(JSON.parse(await readFile(join(REPO_ROOT, SECURITY_CONFIG), 'utf8')))
}

/** Runs the scanner, streaming its report to `out`; returns its findings. */
export async function runElectronegativity(
  config: SecurityConfig,
  out: NodeJS.WritableStream,
): Promise<Finding[]> {
  const work = await mkdtemp(join(tmpdir(), 'tack-electronegativity-'))
  try {
    const input = await stageSources(join(work, 'input'))
    const report = join(work, 'report.csv')
    const args = [
      '--input',
      input,
      '--relative',
      '--electron-version',
      config.electronVersion,
      '--verbose',
      'false',
      '--output',
      report,
    ]
    const excluded = Object.keys(config.excludedChecks)
    if (excluded.length > 0) args.push('--exclude-checks', excluded.join(','))
    await run(SCANNER, args, out)
    return parseReport(await readFile(report, 'utf8'))
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** Each finding with its justification, if any; high ones without one fail. */
export function judge(findings: readonly Finding[], config: SecurityConfig): Verdict[] {
  return findings.map((finding) => {
    const accepted = config.justified.find(
      (entry) => entry.check === finding.check && entry.file === finding.file,
    )
    const justification = accepted?.reason ?? null
    return {
      finding,
      justification,
      fails: justification === null && FAILING_SEVERITIES.has(finding.severity),
    }
  })
}

/**
 * The scanner's CSV report: a header row, then one row per finding. A quoted cell may hold
 * commas, doubled quotes and line breaks (a CSP sample spans lines), so rows are split here, not
 * by lines.
 */
export function parseReport(csv: string): Finding[] {
  return parseCsv(csv)
    .filter((cells) => cells.some((cell) => cell !== ''))
    .slice(1)
    .map(([check, severity, confidence, file, location, sample, description]) => ({
      check: check ?? '',
      severity: severity ?? '',
      confidence: confidence ?? '',
      file: file ?? '',
      location: location ?? '',
      sample: sample ?? '',
      description: description ?? '',
    }))
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  const endCell = () => {
    cells.push(cell.trim())
    cell = ''
  }
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!
    if (quoted && character === '"' && text[index + 1] === '"') {
      cell += '"'
      index++
    } else if (character === '"') {
      quoted = !quoted
    } else if (character === ',' && !quoted) {
      endCell()
    } else if ((character === '\n' || character === '\r') && !quoted) {
      if (character === '\r' && text[index + 1] === '\n') index++
      endCell()
      rows.push(cells)
      cells = []
    } else {
      cell += character
    }
  }
  endCell()
  rows.push(cells)
  return rows
}

/** Copies the shipped sources, without tests and test doubles, where the scanner can read them. */
async function stageSources(dir: string): Promise<string> {
  for (const { from, to } of SOURCES) {
    await mkdir(join(dir, to), { recursive: true })
    for (const entry of await readdir(join(REPO_ROOT, from), { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts'))
        continue
      await cp(join(REPO_ROOT, from, entry.name), join(dir, to, entry.name))
    }
  }
  await cp(join(REPO_ROOT, RENDERER_PAGE), join(dir, 'renderer', 'index.html'))
  return dir
}

function run(command: string, args: string[], out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.pipe(out, { end: false })
    child.stderr.pipe(out, { end: false })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`electronegativity exited with ${code}`)),
    )
  })
}

/** The report as the test output shows it: every finding, its verdict, and the outcome. */
export function formatReport(verdicts: readonly Verdict[], config: SecurityConfig): string {
  const lines = [
    '',
    `Electronegativity report (Electron ${config.electronVersion}, sources of electron/main, ` +
      `electron/preload and ${RENDERER_PAGE}): ${verdicts.length} finding(s)`,
  ]
  for (const { finding, justification, fails } of verdicts) {
    const where = finding.file === 'N/A' ? 'whole app' : `${finding.file}:${finding.location}`
    const verdict = fails
      ? 'UNJUSTIFIED high-severity finding'
      : (justification ?? 'not justified in the configuration (below high severity)')
    lines.push(`  [${finding.severity}/${finding.confidence}] ${finding.check} at ${where}`)
    lines.push(`      ${finding.description}`)
    if (finding.sample && finding.sample !== 'N/A') lines.push(`      code: ${finding.sample}`)
    lines.push(`      verdict: ${verdict}`)
  }
  for (const [check, reason] of Object.entries(config.excludedChecks)) {
    lines.push(`  [not run] ${check}`, `      verdict: ${reason}`)
  }
  const failing = verdicts.filter((verdict) => verdict.fails).length
  lines.push(
    failing === 0
      ? `Electronegativity: no unjustified high-severity finding (${SECURITY_CONFIG}).`
      : `Electronegativity: ${failing} unjustified high-severity finding(s): fix them or justify them in ${SECURITY_CONFIG}.`,
    '',
  )
  return lines.join('\n')
}
