/** The credential check over fixtures/ (part of npm test), and proof that it catches real-looking values. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { FAKE_CLIENT_SECRET, FAKE_JWT, fakeAccessToken, fakeCode, fakeRefreshToken } from '../../src/record/fakes.js'
import { baseEnv } from '../support/env.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURES = join(ROOT, 'fixtures')

// Real-looking values, built at run time so this file itself holds none.
const REAL = {
  access: ['00D5g000004ABCDE', 'AQ4AQFakeNot' + 'x'.repeat(90)].join('!'),
  refresh: `5Aep861${'k'.repeat(80)}`,
  jwt: ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiIwMDUifQ', 'c2lnbmF0dXJl'].join('.'),
  force: ['force', '//PlatformCLI::5Aep861abc@example.my.salesforce.com'].join(':'),
  secret: 'A1B2C3D4E5F6'.repeat(5) + 'ABCD',
}

test('fixtures/ holds only known fakes (the credential check, as npm test runs it)', () => {
  const findings: string[] = []
  for (const e of readdirSync(FIXTURES, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue
    const path = join(e.parentPath, e.name)
    for (const f of findCredentials(readFileSync(path, 'utf8'))) findings.push(`${path}:${f.line} ${f.kind}`)
  }
  expect(findings).toEqual([])
})

test('each shape is caught, and each known fake is let through', () => {
  expect(findCredentials(`{"access_token":"${REAL.access}"}`).map((f) => f.kind)).toEqual(['access token (00D…!…)'])
  expect(findCredentials(`refresh_token=${REAL.refresh}`).map((f) => f.kind)).toEqual(['refresh token (5Aep…)'])
  expect(findCredentials(`"id_token":"${REAL.jwt}"`).map((f) => f.kind)).toEqual(['JWT'])
  expect(findCredentials(REAL.force).map((f) => f.kind)).toContain('sfdx auth URL (force://)')
  expect(findCredentials(`client_secret=${REAL.secret}`).map((f) => f.kind)).toEqual(['client secret', 'client secret (64 hex)'])
  expect(findCredentials(`{"clientSecret":"hunter2hunter2"}`).map((f) => f.kind)).toEqual(['client secret'])
  // A fake with one character changed is no longer a known fake.
  expect(findCredentials(fakeAccessToken(1).replace(/A$/, 'B'))).toHaveLength(1)
  const fakes = [fakeAccessToken(7), fakeRefreshToken(7), fakeCode(7), FAKE_JWT, `client_secret=${FAKE_CLIENT_SECRET}`]
  expect(findCredentials(fakes.join('\n'))).toEqual([])
  // Findings never print the value itself.
  expect(JSON.stringify(findCredentials(REAL.refresh))).not.toContain(REAL.refresh)
})

/**
 * Planted real-looking values live outside test-results/: the CI artifact scan reads every file there after
 * the run and would flag them.
 */
function planted(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-planted-'))
  try {
    run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('scripts/check-fixtures.mjs exits 1 on a planted real-looking token, 0 on fixtures/', () => planted((dir) => {
  writeFileSync(join(dir, 'token.json'), JSON.stringify({ access_token: fakeAccessToken(1), refresh_token: REAL.refresh }))
  const bad = spawnSync(process.execPath, ['scripts/check-fixtures.mjs', dir], { cwd: ROOT, env: baseEnv(), encoding: 'utf8' })
  expect(bad.status).toBe(1)
  expect(bad.stderr).toContain('refresh token (5Aep…)')
  expect(bad.stderr).not.toContain(REAL.refresh)
  const good = spawnSync(process.execPath, ['scripts/check-fixtures.mjs', 'fixtures'], { cwd: ROOT, env: baseEnv(), encoding: 'utf8' })
  expect(good.stderr).toBe('')
  expect(good.status).toBe(0)
}))

test('the CI artifact scan lets the known fakes through and still flags a real-looking token', () => planted((dir) => {
  writeFileSync(join(dir, 'report.json'), readFileSync(join(FIXTURES, 'salesforce/token/refresh_token/200-rotation.json')))
  const clean = spawnSync(process.execPath, ['scripts/scan-artifacts.mjs', dir], { cwd: ROOT, env: baseEnv(), encoding: 'utf8' })
  expect(clean.stderr).toBe('')
  expect(clean.status).toBe(0)
  writeFileSync(join(dir, 'junit.xml'), `<failure>${REAL.refresh}</failure>`)
  const dirty = spawnSync(process.execPath, ['scripts/scan-artifacts.mjs', dir], { cwd: ROOT, env: baseEnv(), encoding: 'utf8' })
  expect(dirty.status).toBe(1)
  expect(dirty.stderr).toContain('refresh token in')
}))
