/**
 * The secret scan: run the emulator flow scenarios in a nested Playwright run with trace and screenshot
 * on for every test and every reporter (list, JSON, JUnit, HTML), while the emulator writes every secret
 * it sees or issues to a ledger. Then search stdout, stderr and every file the run left, unzipping
 * traces and the HTML report's embedded data, for each secret in every spelling. None may be found.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { expandTexts as texts } from '../../src/report/scrub.js'
import { baseEnv } from '../support/env.js'
import { notInSources, readLedger } from '../support/ledger.js'

test.setTimeout(180_000)

function spellings(v: string): string[] {
  return [...new Set([v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2), JSON.stringify(v).slice(1, -1)])]
}

test('no secret in any output or artifact of a run with trace and screenshots on', async () => {
  const work = mkdtempSync(join(tmpdir(), 'sf-oauth-scan-'))
  const ledger = join(work, 'ledger.txt')
  const env = baseEnv({ SF_TEST_ARTIFACTS: 'all', SF_HARNESS_TEST_LEDGER: ledger, SF_TEST_REPORT_DIR: join(work, 'reports'), SF_TEST_HTML_DIR: join(work, 'html'), CI: '' })
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--project=emulator', 'tests/flow/', '--output', join(work, 'results'), '--workers=2'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  expect(code, stdout.slice(-2000)).toBe(0)

  const secrets = notInSources(readLedger(ledger), ['tests/flow', 'tests/support'])
  // The ledger must hold every kind: password, client secret, codes, verifiers, access and refresh tokens.
  expect(secrets).toContain('Demo-Passw0rd!')
  expect(secrets.filter((s) => s.startsWith('aPrx')).length).toBeGreaterThan(5)
  expect(secrets.filter((s) => s.startsWith('5Aep')).length).toBeGreaterThan(3)
  expect(secrets.filter((s) => /^00D\w{12}!/.test(s)).length).toBeGreaterThan(3)
  expect(secrets.filter((s) => /^[A-Za-z0-9_-]{128}$/.test(s)).length).toBeGreaterThan(3)

  const haystacks: [string, string][] = [['stdout', stdout], ['stderr', stderr]]
  let files = 0
  let traces = 0
  for (const dir of ['results', 'reports', 'html']) {
    for (const e of readdirSync(join(work, dir), { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue
      files++
      if (e.name.endsWith('.zip')) traces++
      const full = join(e.parentPath, e.name)
      haystacks.push(...texts(full, readFileSync(full)))
    }
  }
  expect(traces).toBeGreaterThan(5)
  const found: string[] = []
  for (const secret of secrets) {
    for (const form of spellings(secret)) {
      for (const [where, text] of haystacks) if (text.includes(form)) found.push(`${secret.slice(0, 4)}… in ${where.replace(work, '')}`)
    }
  }
  expect(found, `${files} files scanned`).toEqual([])
})
