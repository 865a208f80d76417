/**
 * `sf-oauth check --targets --flow`: the full browser flow per target (one browser, a context per flow),
 * token files saved per target, the 5-approvals warning, and `--revoke-after`, against the worker's
 * emulator; in process, the flows in contexts of the worker's browser.
 */
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { emptyDir, expect, type Org, test } from '../support/cli-main.js'

const appEnv = (org: Org) => ({ SF_APP_ID: org.env.SF_CLIENT_ID ?? '', SF_APP_SECRET: org.env.SF_CLIENT_SECRET ?? '', SF_APP_USER: org.env.SF_USERNAME ?? '', SF_APP_PASS: org.env.SF_PASSWORD ?? '', SF_WRONG_PASS: 'Not-The-Passw0rd!', SF_TIMEOUT_MS: '10000' })
const target = (org: Org, name: string, extra: Record<string, string> = {}) => ({ name, loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', usernameEnv: 'SF_APP_USER', passwordEnv: 'SF_APP_PASS', ...extra })

test('--flow: a browser flow per target, token files saved 0600, a wrong password fails with LOGIN_FAILED', { tag: '@browser' }, async ({ org, cli }) => {
  test.setTimeout(90_000)
  const dir = emptyDir()
  const targets = [target(org, 'a'), target(org, 'b', { verify: 'introspect' }), target(org, 'c', { tokenFile: 'tokens/c.json' }), target(org, 'bad-password', { passwordEnv: 'SF_WRONG_PASS' })]
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ concurrency: 2, targets }))
  const junit = join(dir, 'junit.xml')
  const r = await cli(['check', '--targets', join(dir, 'targets.json'), '--flow', '--junit', junit], { env: appEnv(org) })
  expect(r.code, r.stderr).toBe(1)
  const lines = r.stdout.trim().split('\n')
  expect(lines).toHaveLength(5)
  expect(lines.find((l) => l.startsWith('✓ a '))).toMatch(/flow ok \(\d+ checks, saved\), signature ok, userinfo demo\.user@example\.com/)
  expect(lines.find((l) => l.startsWith('✓ b '))).toContain('introspect active')
  expect(lines.find((l) => l.startsWith('✗ bad-password'))).toContain('LOGIN_FAILED')
  expect(lines.at(-1)).toMatch(/^4 targets: 3 passed, 1 failed/)
  expect(r.stdout).not.toContain('Not-The-Passw0rd!')
  // One entry per target, where the targets file says, mode 0600; none for the failed one.
  for (const f of ['.sf-oauth/tokens/a.json', '.sf-oauth/tokens/b.json', 'tokens/c.json']) {
    expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600)
    expect(JSON.parse(readFileSync(join(dir, f), 'utf8'))).toMatchObject({ version: 1, loginUrl: org.url, refreshToken: expect.stringMatching(/^5Aep/) })
  }
  expect(existsSync(join(dir, '.sf-oauth/tokens/bad-password.json'))).toBe(false)
  expect(readFileSync(junit, 'utf8')).toMatch(/tests="4" failures="1"[\s\S]*<failure type="LOGIN_FAILED"/)
  // The saved sets work without a browser afterwards.
  const again = await cli(['check', '--targets', join(dir, 'targets.json'), '--json'], { env: appEnv(org) })
  const json = JSON.parse(again.stdout) as { mode: string; targets: { name: string; ok: boolean; error?: { code: string } }[] }
  expect(json.mode).toBe('refresh')
  expect(json.targets.filter((t) => t.ok).map((t) => t.name)).toEqual(['a', 'b', 'c'])
})

test('6 flows of one user for one app: warned before running; Salesforce revoked the oldest, so one revoke-after fails', { tag: '@browser' }, async ({ org, cli }) => {
  test.setTimeout(120_000)
  const dir = emptyDir()
  const targets = ['t1', 't2', 't3', 't4', 't5', 't6'].map((n) => target(org, n))
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets }))
  const r = await cli(['check', '--targets', join(dir, 'targets.json'), '--flow', '--revoke-after', '--concurrency', '3', '--json'], { env: appEnv(org) })
  const out = JSON.parse(r.stdout) as { summary: { concurrency: number; peakConcurrent: number }; ok: boolean; warnings: { code: string; approvals: number; username: string; targets: string[] }[]; targets: { ok: boolean }[]; revoked: { ok: boolean; kind: string; error?: { code: string } }[] }
  expect(out.warnings).toEqual([expect.objectContaining({ code: 'APPROVAL_LIMIT', approvals: 6, username: 'demo.user@example.com', targets: ['t1', 't2', 't3', 't4', 't5', 't6'] })])
  expect(out.targets.every((t) => t.ok)).toBe(true)
  // Bounded: never more than --concurrency flows (browser contexts) at once.
  expect(out.summary).toMatchObject({ concurrency: 3, peakConcurrent: 3 })
  // The emulator, like Salesforce, silently revoked the oldest of the 6 refresh tokens.
  expect(out.revoked).toHaveLength(6)
  expect(out.revoked.every((x) => x.kind === 'refresh token')).toBe(true)
  expect(out.revoked.filter((x) => !x.ok).map((x) => x.error?.code)).toEqual(['REVOKE_INVALID_TOKEN'])
  expect(out.ok).toBe(false)
  expect(r.code).toBe(1)
  // Nothing is left behind: no refresh token, no saved file (revoked tokens are not saved).
  expect((await org.state()).counts.refreshTokens).toBe(0)
  expect(existsSync(join(dir, '.sf-oauth/tokens/t1.json'))).toBe(false)

  // The warning as a line, before any target line; --runs counts repeated runs (shards, nights).
  writeFileSync(join(dir, 'two.json'), JSON.stringify({ targets: targets.slice(0, 2) }))
  const lines = await cli(['check', '--targets', join(dir, 'two.json'), '--flow', '--revoke-after', '--runs', '3'], { env: appEnv(org) })
  expect(lines.code, lines.stdout + lines.stderr).toBe(0)
  expect(lines.stdout.split('\n')[0]).toMatch(/^! APPROVAL_LIMIT: 6 approvals for user demo\.user@example\.com of app 3MVG…\(\d+ chars\) \(t1, t2, × 3 runs\): Salesforce keeps 5/)
  expect(lines.stdout).toContain('revoke-after: 2 of 2 refresh tokens revoked')
})

test('check --revoke-after revokes the access tokens it obtained and keeps the saved refresh token', { tag: '@browser' }, async ({ org, cli, httpFlow }) => {
  const dir = emptyDir()
  await httpFlow.saveTo(join(dir, 'a.json'))
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'a.json' }] }))
  const before = (await org.state()).counts.accessTokens
  const r = await cli(['check', '--targets', join(dir, 'targets.json'), '--revoke-after'], { env: appEnv(org) })
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(r.stdout).toContain('revoke-after: 1 of 1 access tokens revoked')
  expect((await org.state()).counts.accessTokens).toBe(before)
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect((await cli(['check', '--targets', join(dir, 'targets.json')], { env: appEnv(org) })).code).toBe(0)
})
