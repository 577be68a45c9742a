// npm run test:security: Electronegativity over the Electron shell (scripts/lib/electron-security.ts).
// Prints its report, each finding with its justification from electron/electronegativity.json,
// and fails on a high-severity finding nobody has justified.
import {
  formatReport,
  judge,
  loadSecurityConfig,
  runElectronegativity,
} from './lib/electron-security'
import { runScript } from './lib/run-script'

runScript(async () => {
  const config = await loadSecurityConfig()
  const findings = await runElectronegativity(config, process.stdout)
  const verdicts = judge(findings, config)
  process.stdout.write(formatReport(verdicts, config))
  if (verdicts.some((verdict) => verdict.fails)) process.exitCode = 1
})
