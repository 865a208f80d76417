import { readFileSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'
/**
 * `sf-oauth flow` and the top level in process (main with the worker's browser); the real process
 * (exit codes, streams, signals, secrets registered by the process itself) in process.spec.ts.
 */
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'

const NO_STACK = /\n\s+at .+:\d+:\d+/

test('--json prints exactly one JSON object, secrets masked', async ({ cli }) => {
  const r = await cli(['flow', '--json'])
  expect(r.code).toBe(0)
  const lines = r.stdout.trim().split('\n')
  expect(lines).toHaveLength(1)
  const out = JSON.parse(lines[0] ?? '') as { ok: boolean; tokens: Record<string, string>; steps: unknown[]; checks: unknown[] }
  expect(out.ok).toBe(true)
  expect(out.tokens.refreshToken).toMatch(/^5Aep…\(\d+ chars\)$/)
  expect(out.tokens.accessToken).toMatch(/^00D.…\(\d+ chars\)$/)
  expect(out.steps.length).toBeGreaterThan(5)
  expect(out.checks.length).toBeGreaterThan(8)
})

test('--reveal prints tokens in full', { tag: '@browser' }, async ({ cli }) => {
  const r = await cli(['flow', '--json', '--reveal'])
  expect(r.code).toBe(0)
  const out = JSON.parse(r.stdout) as { tokens: Record<string, string> }
  expect(out.tokens.refreshToken).toMatch(/^5Aep861[A-Za-z0-9._=]+$/)
})

test('--save writes the token set with mode 0600, atomically', { tag: '@browser' }, async ({ cli }) => {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await cli(['flow', '--save', file])
  expect(r.code).toBe(0)
  expect(statSync(file).mode & 0o777).toBe(0o600)
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  expect(saved.refreshToken).toMatch(/^5Aep861/)
  expect(saved.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(r.stdout).toContain('(mode 0600)')
  expect(r.stdout).not.toContain(String(saved.refreshToken))
})

test('--deny exits 1 naming access_denied, and saves nothing', { tag: '@browser' }, async ({ cli }) => {
  const r = await cli(['flow', '--deny'])
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/^✗ AUTHORIZE_ACCESS_DENIED: .*access_denied/)
  expect(r.stderr).not.toMatch(NO_STACK)
})

test('a failure never writes the --save file', { tag: '@browser' }, async ({ cli }) => {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await cli(['flow', '--save', file], { env: { SF_CLIENT_SECRET: 'wrong-secret-value' } })
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/^✗ TOKEN_INVALID_CLIENT_CREDENTIALS: /)
  expect(r.stderr).not.toContain('wrong-secret-value')
  expect(existsSync(file)).toBe(false)
})

test('usage errors exit 2 with one line and no stack', async () => {
  for (const args of [['flow', '--nope'], ['nope'], ['flow', '--save'], ['emulator', '--port', 'x'], ['flow', '--save', '/nonexistent-dir/t.json']]) {
    const r = await runMain(args)
    expect(r.code, args.join(' ')).toBe(2)
    expect(r.stderr, args.join(' ')).toMatch(/^✗ USAGE_INVALID: .+\n$/)
    expect(r.stderr).not.toMatch(NO_STACK)
  }
})

test('config errors exit 2 and list every bad key; --json reports them too', { tag: '@browser' }, async ({ cli }) => {
  const r = await cli(['flow', '--json'], { env: { SF_LOGIN_URL: 'http://login.salesforce.com', SF_TIMEOUT_MS: 'x' } })
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(/^✗ CONFIG_INVALID: /)
  const out = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; cause: { key: string }[] } }
  expect(out.ok).toBe(false)
  expect(out.error.code).toBe('CONFIG_INVALID')
  expect(out.error.cause.map((p) => p.key).sort()).toEqual(['SF_CLIENT_ID', 'SF_LOGIN_URL', 'SF_PASSWORD', 'SF_TIMEOUT_MS', 'SF_USERNAME'])
})

test('--help and no command', async () => {
  const h = await runMain(['flow', '--help'])
  expect(h.code).toBe(0)
  expect(h.stdout).toContain('Usage: sf-oauth flow')
  const none = await runMain([])
  expect(none.code).toBe(2)
  expect(none.stdout).toContain('Usage: sf-oauth <command>')
})
