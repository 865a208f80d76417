/**
 * `sf-oauth check --targets`: 20 targets served by one emulator, some made to fail; the right verdict
 * for each, a summary, exit 1, and a JUnit report that names every failure's code. In process.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { SyntaxValidator } from 'fast-xml-validator'
import { emptyDir, expect, test } from '../support/cli-main.js'

test('20 targets: 16 pass, 4 fail with their own codes; JUnit written; exit 1', { tag: '@browser' }, async ({ org, cli, httpFlow }) => {
  test.setTimeout(90_000)
  const dir = emptyDir()
  const saved = join(dir, 'seed-tokens.json')
  await httpFlow.saveTo(saved)
  const targets: Record<string, unknown>[] = []
  for (let i = 1; i <= 16; i++) {
    copyFileSync(saved, join(dir, `t${i}.json`))
    targets.push({ name: `org-${i}`, kind: i % 2 ? 'production' : 'sandbox', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: `t${i}.json`, verify: i % 2 ? 'userinfo' : 'introspect' })
  }
  const bogus = { ...(JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>), refreshToken: '5Aep861NotARealTokenNotARealTokenNotARealToken' }
  writeFileSync(join(dir, 'bogus.json'), JSON.stringify(bogus), { mode: 0o600 })
  copyFileSync(saved, join(dir, 'wrong-secret.json'))
  targets.push({ name: 'revoked-token', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'bogus.json' })
  targets.push({ name: 'wrong-secret', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_OTHER_SECRET', tokenFile: 'wrong-secret.json' })
  targets.push({ name: 'never-saved', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'missing.json' })
  // The saved set carries its login URL: point a copy at a port where nothing listens.
  const down = { ...(JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>), loginUrl: 'http://127.0.0.1:59999' }
  writeFileSync(join(dir, 'down.json'), JSON.stringify(down), { mode: 0o600 })
  targets.push({ name: 'org-down', loginUrl: 'http://127.0.0.1:59999', clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'down.json' })
  const file = join(dir, 'targets.json')
  writeFileSync(file, JSON.stringify({ $schema: '../schemas/targets.schema.json', concurrency: 6, targets }))

  const junit = join(dir, 'junit.xml')
  const env = { SF_APP_ID: org.env.SF_CLIENT_ID ?? '', SF_APP_SECRET: org.env.SF_CLIENT_SECRET ?? '', SF_OTHER_SECRET: 'not-the-secret-value', SF_TIMEOUT_MS: '5000' }
  const r = await cli(['check', '--targets', file, '--junit', junit], { env })
  expect(r.code, r.stderr).toBe(1)
  const lines = r.stdout.trim().split('\n')
  expect(lines).toHaveLength(21)
  for (let i = 1; i <= 16; i++) expect(lines.find((l) => l.startsWith(`✓ org-${i} `)), `org-${i}`).toMatch(i % 2 ? /userinfo demo\.user@example\.com/ : /introspect active/)
  expect(lines.find((l) => l.startsWith('✗ revoked-token'))).toContain('TOKEN_REFRESH_TOKEN_EXPIRED')
  expect(lines.find((l) => l.startsWith('✗ wrong-secret'))).toContain('TOKEN_INVALID_CLIENT_CREDENTIALS')
  expect(lines.find((l) => l.startsWith('✗ never-saved'))).toContain('USAGE_INVALID')
  expect(lines.find((l) => l.startsWith('✗ org-down'))).toContain('NETWORK_CONNECT_FAILED')
  expect(lines.at(-1)).toMatch(/^20 targets: 16 passed, 4 failed in \d+ ms \(JUnit: /)
  expect(r.stdout).not.toContain('not-the-secret-value')

  const xml = readFileSync(junit, 'utf8')
  expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="sf-oauth check" tests="20" failures="4"/)
  expect(xml.match(/<testcase /g)).toHaveLength(20)
  expect(xml.match(/<failure type="[A-Z_]+"/g)?.map((m) => m.slice(15, -1)).sort()).toEqual(['NETWORK_CONNECT_FAILED', 'TOKEN_INVALID_CLIENT_CREDENTIALS', 'TOKEN_REFRESH_TOKEN_EXPIRED', 'USAGE_INVALID'])
  // Well-formed XML (a real parser), and the counts CI servers read agree with the cases.
  expect(SyntaxValidator.validate(xml)).toBe(true)
  expect(xml).not.toMatch(/&(?!(lt|gt|amp|quot|apos);)/)
  type Case = { '@_name': string; failure?: { '@_type': string } }
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml) as { testsuites: { testsuite: { '@_tests': string; '@_failures': string; testcase: Case[] } } }
  const suite = doc.testsuites.testsuite
  expect([suite['@_tests'], suite['@_failures']]).toEqual(['20', '4'])
  expect(suite.testcase.map((c) => c['@_name']).sort()).toEqual(targets.map((t) => t.name).sort())
  expect(Object.fromEntries(suite.testcase.filter((c) => c.failure).map((c) => [c['@_name'], c.failure?.['@_type']]))).toEqual({ 'revoked-token': 'TOKEN_REFRESH_TOKEN_EXPIRED', 'wrong-secret': 'TOKEN_INVALID_CLIENT_CREDENTIALS', 'never-saved': 'USAGE_INVALID', 'org-down': 'NETWORK_CONNECT_FAILED' })
})

test('--json: one object with a verdict per target', { tag: '@browser' }, async ({ org, cli, httpFlow }) => {
  const dir = emptyDir()
  const saved = join(dir, 'a.json')
  await httpFlow.saveTo(saved)
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'a.json' }] }))
  const r = await cli(['check', '--targets', join(dir, 'targets.json'), '--json'], { env: { SF_APP_ID: org.env.SF_CLIENT_ID ?? '', SF_APP_SECRET: org.env.SF_CLIENT_SECRET ?? '' } })
  expect(r.code, r.stderr).toBe(0)
  const out = JSON.parse(r.stdout) as { ok: boolean; targets: { name: string; ok: boolean }[]; summary: { passed: number } }
  expect(out.ok).toBe(true)
  expect(out.targets).toEqual([expect.objectContaining({ name: 'a', ok: true })])
  expect(out.summary.passed).toBe(1)
})
