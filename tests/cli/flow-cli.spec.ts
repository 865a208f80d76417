import { readFileSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { emptyDir, runCli, startCli, waitForLine } from '../support/cli.js'

// Secrets the CLI handles in these runs: the seeded demo password and secret (see src/emulator/seed.ts).
import { DEMO_APP, DEMO_USER } from '../../src/emulator/seed.js'

const NO_STACK = /\n\s+at .+:\d+:\d+/

test('flow against the embedded emulator prints steps, checks and a masked refresh token; exit 0', async () => {
  const r = await runCli(['flow'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(/sf-oauth flow → embedded emulator http:\/\/127\.0\.0\.1:\d+/)
  for (const step of ['open authorize URL', 'login', 'consent', 'callback', 'token request']) expect(r.stdout).toContain(`✓ ${step}`)
  expect(r.stdout).toMatch(/✓ check signature\s+HMAC-SHA256/)
  expect(r.stdout).toMatch(/refresh token {2}5Aep…\(\d+ chars\)/)
  expect(r.stdout).toMatch(/^ok: \d+ checks/m)
  expect(r.stdout).not.toContain(DEMO_USER.password)
  expect(r.stdout).not.toContain(DEMO_APP.clientSecret)
  expect(r.stdout).not.toMatch(/5Aep861[A-Za-z0-9._]{20}/)
})

test('--json prints exactly one JSON object, secrets masked', async () => {
  const r = await runCli(['flow', '--json'])
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

test('--reveal prints tokens in full', async () => {
  const r = await runCli(['flow', '--json', '--reveal'])
  expect(r.code).toBe(0)
  const out = JSON.parse(r.stdout) as { tokens: Record<string, string> }
  expect(out.tokens.refreshToken).toMatch(/^5Aep861[A-Za-z0-9._=]+$/)
})

test('--save writes the token set with mode 0600, atomically', async () => {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await runCli(['flow', '--save', file], { cwd: dir })
  expect(r.code).toBe(0)
  expect(statSync(file).mode & 0o777).toBe(0o600)
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  expect(saved.refreshToken).toMatch(/^5Aep861/)
  expect(saved.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(r.stdout).toContain('(mode 0600)')
  expect(r.stdout).not.toContain(String(saved.refreshToken))
})

test('--deny exits 1 naming access_denied, and saves nothing', async () => {
  const r = await runCli(['flow', '--deny'])
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/^✗ AUTHORIZE_ACCESS_DENIED: .*access_denied/)
  expect(r.stderr).not.toMatch(NO_STACK)
})

test('a failure never writes the --save file', async () => {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await runCli(['flow', '--save', file], { cwd: dir, env: { SF_CLIENT_SECRET: 'wrong-secret-value' } })
  expect(r.code).toBe(1)
  expect(r.stderr).toMatch(/^✗ TOKEN_INVALID_CLIENT_CREDENTIALS: /)
  expect(r.stderr).not.toContain('wrong-secret-value')
  expect(existsSync(file)).toBe(false)
})

test('usage errors exit 2 with one line and no stack', async () => {
  for (const args of [['flow', '--nope'], ['nope'], ['flow', '--save'], ['emulator', '--port', 'x'], ['flow', '--save', '/nonexistent-dir/t.json']]) {
    const r = await runCli(args)
    expect(r.code, args.join(' ')).toBe(2)
    expect(r.stderr, args.join(' ')).toMatch(/^✗ USAGE_INVALID: .+\n$/)
    expect(r.stderr).not.toMatch(NO_STACK)
  }
})

test('config errors exit 2 and list every bad key; --json reports them too', async () => {
  const r = await runCli(['flow', '--json'], { env: { SF_LOGIN_URL: 'http://login.salesforce.com', SF_TIMEOUT_MS: 'x' } })
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(/^✗ CONFIG_INVALID: /)
  const out = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; cause: { key: string }[] } }
  expect(out.ok).toBe(false)
  expect(out.error.code).toBe('CONFIG_INVALID')
  expect(out.error.cause.map((p) => p.key).sort()).toEqual(['SF_CLIENT_ID', 'SF_LOGIN_URL', 'SF_PASSWORD', 'SF_TIMEOUT_MS', 'SF_USERNAME'])
})

test('--help and no command', async () => {
  const h = await runCli(['flow', '--help'])
  expect(h.code).toBe(0)
  expect(h.stdout).toContain('Usage: sf-oauth flow')
  const none = await runCli([])
  expect(none.code).toBe(2)
  expect(none.stdout).toContain('Usage: sf-oauth <command>')
})

test('emulator --json prints its seed, serves, and exits 0 on SIGTERM; flow runs against it as an org', async () => {
  const child = startCli(['emulator', '--json'])
  const info = JSON.parse(await waitForLine(child, /^\{/)) as { url: string; passkeyUrl: string; clientId: string; clientSecret: string; username: string; password: string; redirectUris: string[] }
  expect(Object.keys(info)).toEqual(['url', 'passkeyUrl', 'clientId', 'clientSecret', 'username', 'password', 'redirectUris'])
  // An IP address cannot be a WebAuthn RP ID: the same socket by name, for passkeys.
  expect(info.passkeyUrl).toBe(info.url.replace('127.0.0.1', 'localhost'))
  expect(info.redirectUris).toContain('http://localhost:1717/OauthRedirect')
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  try {
    // The live path: the harness only knows SF_LOGIN_URL and credentials, as with a real org.
    const r = await runCli(['flow', '--json'], { env: { SF_LOGIN_URL: info.url, SF_CLIENT_ID: info.clientId, SF_CLIENT_SECRET: info.clientSecret, SF_USERNAME: info.username, SF_PASSWORD: info.password } })
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { target: string }).target).toBe(`org ${info.url}`)
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
})
