import { describe, expect, it } from 'vitest'
import { formatReport, judge, parseReport, type SecurityConfig } from './electron-security'

const CSV = [
  'issue, severity, confidence, filename, location, sample, description, url',
  'CONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","main/window.ts","3:2","contextIsolation: false,","Review the use of the contextIsolation option",https://x',
  'OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","main/window.ts","9:2","shell.openExternal(url, {a: ""b""})","Review the use of openExternal",https://y',
].join('\n')

const config: SecurityConfig = {
  electronVersion: '45.6.0',
  excludedChecks: {},
  justified: [],
}

describe('Electronegativity verdicts', () => {
  it("reads the scanner's CSV report, quotes and commas included", () => {
    const findings = parseReport(CSV)
    expect(findings).toHaveLength(2)
    expect(findings[0]).toMatchObject({
      check: 'CONTEXT_ISOLATION_JS_CHECK',
      severity: 'HIGH',
      file: 'main/window.ts',
      location: '3:2',
    })
    expect(findings[1]!.sample).toBe('shell.openExternal(url, {a: "b"})')
  })

  it('keeps a quoted cell that spans lines in its row (a CSP sample)', () => {
    const csv = [
      'issue, severity, confidence, filename, location, sample, description, url',
      'CSP_GLOBAL_CHECK,"INFORMATIONAL","CERTAIN","renderer/index.html","0:0","default-src',
      '  \'self\'; frame-src https:","One or more CSP directives detected are vulnerable",https://z',
      'PRELOAD_JS_CHECK,"MEDIUM","FIRM","main/window.ts","57:6","preload: x,","Review",https://w',
    ].join('\r\n')
    const findings = parseReport(csv)
    expect(findings.map((finding) => finding.check)).toEqual([
      'CSP_GLOBAL_CHECK',
      'PRELOAD_JS_CHECK',
    ])
    expect(findings[0]).toMatchObject({
      severity: 'INFORMATIONAL',
      file: 'renderer/index.html',
      sample: "default-src\r\n  'self'; frame-src https:",
      description: 'One or more CSP directives detected are vulnerable',
    })
  })

  it('fails an unjustified high finding, and passes it once justified', () => {
    const findings = parseReport(CSV)
    const failing = judge(findings, config)
    expect(failing.map((verdict) => verdict.fails)).toEqual([true, false])
    expect(formatReport(failing, config)).toContain('1 unjustified high-severity finding')

    const justified = judge(findings, {
      ...config,
      justified: [
        {
          check: 'CONTEXT_ISOLATION_JS_CHECK',
          file: 'main/window.ts',
          reason: 'a reason long enough to be a real one',
        },
      ],
    })
    expect(justified.every((verdict) => !verdict.fails)).toBe(true)
  })

  it('does not let a justification for one file cover another', () => {
    const verdicts = judge(parseReport(CSV), {
      ...config,
      justified: [
        {
          check: 'CONTEXT_ISOLATION_JS_CHECK',
          file: 'main/other.ts',
          reason: 'a reason long enough to be a real one',
        },
      ],
    })
    expect(verdicts[0]!.fails).toBe(true)
  })
})
