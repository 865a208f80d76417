/**
 * Scrubbing must not depend on the reporter list (issue 11, defect 10). A nested run of a few real flow
 * tests plus one careless test that fails on raw tokens (tests/heavy/scrub-run/), with reporters this
 * project never configures and `--trace on`. Every secret the run's emulator saw or issued and every
 * secret the workers registered goes to a ledger; then stdout, stderr and every file the run left
 * (traces and the blob report unzipped, the HTML report's embedded data too) are searched for each, in
 * every spelling. None may be found.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { DEMO_APP, DEMO_USER } from '../../src/emulator/seed.js'
import { redactor } from '../../src/redact.js'
import { expandTexts } from '../../src/report/scrub.js'
import { baseEnv } from '../support/env.js'
import { notInSources, readLedger } from '../support/ledger.js'
// Guarded too: should this test fail, its own report must not show what it found.
import { test } from '../support/scrub.js'

test.setTimeout(180_000)

const spellings = (v: string) => [...new Set([v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2), JSON.stringify(v).slice(1, -1)])]

test('no secret reaches any output or artifact, whatever reporters and trace option the run picks', async () => {
  const work = mkdtempSync(join(tmpdir(), 'sf-oauth-scrub-'))
  const ledger = join(work, 'ledger.txt')
  const env = baseEnv({
    SF_HARNESS_TEST_LEDGER: ledger,
    CI: '',
    PLAYWRIGHT_HTML_OUTPUT_DIR: join(work, 'html'),
    PLAYWRIGHT_HTML_OPEN: 'never',
    PLAYWRIGHT_JUNIT_OUTPUT_FILE: join(work, 'reports', 'junit.xml'),
    PLAYWRIGHT_JSON_OUTPUT_FILE: join(work, 'reports', 'report.json'),
    PLAYWRIGHT_BLOB_OUTPUT_DIR: join(work, 'blob'),
    // The list reporter then prints every step title too.
    PLAYWRIGHT_LIST_PRINT_STEPS: '1',
    FORCE_COLOR: '0',
  })
  const args = [
    'node_modules/@playwright/test/cli.js', 'test', '-c', 'tests/heavy/scrub-run/playwright.config.ts',
    '--reporter=list,line,dot,html,junit,json,blob', '--trace', 'on', '--output', join(work, 'results'), '--workers=1',
    '--grep', 'whole flow|two-step|wrong client secret|503 on the code exchange is not|careless',
  ]
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  const logged = [...new Set([DEMO_USER.password, DEMO_APP.clientSecret, ...readLedger(ledger)])]
  // Registered here too, so a failure of this test shows them masked.
  for (const s of logged) redactor.add(s)
  // Exactly the careless test fails; the real flow tests pass.
  expect(code, `${stdout.slice(-2000)}\n${stderr.slice(-2000)}`).toBe(1)
  expect(stdout).toMatch(/1 failed[\s\S]*careless[\s\S]*4 passed/)

  const secrets = notInSources(logged, ['tests/flow', 'tests/support', 'tests/heavy/scrub-run'])
  expect(secrets).toEqual(expect.arrayContaining([DEMO_USER.password, DEMO_APP.clientSecret]))
  expect(secrets.filter((s) => s.startsWith('5Aep')).length).toBeGreaterThan(1)
  expect(secrets.filter((s) => /^00D\w{12}!/.test(s)).length).toBeGreaterThan(1)

  const haystacks: [string, string][] = [['stdout', stdout], ['stderr', stderr]]
  let traces = 0
  for (const e of readdirSync(work, { withFileTypes: true, recursive: true })) {
    const full = join(e.parentPath, e.name)
    if (!e.isFile() || full === ledger) continue
    if (e.name === 'trace.zip') traces++
    haystacks.push(...expandTexts(full, readFileSync(full)))
  }
  expect(traces).toBe(5)
  const found = new Set<string>()
  for (const secret of secrets) {
    for (const form of spellings(secret)) {
      for (const [where, text] of haystacks) if (text.includes(form)) found.add(`${secret.slice(0, 4)}… in ${where.replace(work, '')}`)
    }
  }
  test.info().annotations.push({ type: 'scanned', description: `${haystacks.length} texts, ${secrets.length} secrets` })
  expect([...found], `${found.size} findings`).toEqual([])
  rmSync(work, { recursive: true, force: true })
})
