/** The live project skips, naming the missing variables, when no org is named (nested run, no browser). */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { baseEnv } from '../support/env.js'

interface Report { stats: { skipped: number; expected: number }; suites: unknown[] }

function skipReasons(report: Report): string[] {
  const out: string[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (typeof v === 'object' && v !== null) {
      const o = v as { type?: unknown; description?: unknown }
      if (o.type === 'skip' && typeof o.description === 'string') out.push(o.description)
      Object.values(v).forEach(walk)
    }
  }
  walk(report.suites)
  return out
}

for (const [title, extra, missing] of [
  ['nothing named', {}, 'SF_LOGIN_URL, SF_CLIENT_ID, SF_USERNAME, SF_PASSWORD'],
  ['only a login URL', { SF_LOGIN_URL: 'https://login.salesforce.com' }, 'SF_CLIENT_ID, SF_USERNAME, SF_PASSWORD'],
] as const) {
  test(`live tests skip with a reason naming what is missing: ${title}`, () => {
    const dir = test.info().outputPath()
    const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--project=live', '--output', join(dir, 'out')], {
      env: baseEnv({ ...extra, SF_TEST_REPORT_DIR: dir, SF_TEST_HTML_DIR: join(dir, 'html'), CI: '1' }),
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(r.status, r.stdout.slice(-1000)).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report
    expect(report.stats.expected).toBe(0)
    expect(report.stats.skipped).toBeGreaterThanOrEqual(6)
    const reasons = skipReasons(report)
    // Each skip is listed on the test and on its result.
    expect(reasons.length).toBeGreaterThanOrEqual(report.stats.skipped)
    for (const reason of reasons) expect(reason).toBe(`no org named: set ${missing} (in .env or the environment) to run the live tests`)
  })
}
