/**
 * The real process, a handful of runs: what only a process shows (exit codes, stdout and stderr kept
 * apart, signals, a reader gone from a pipe, secrets the process registers itself, the standalone
 * emulator as an org). Each launches Chromium or several processes, so heavy; quick process checks
 * are tests/cli/process.spec.ts, and everything else about the commands is tested in process
 * (main(argv, io, config): tests/support/cli-main.ts).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { BIN, emptyDir, runCli, startCli, waitForLine } from '../support/cli.js'
import { baseEnv } from '../support/env.js'

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

test('Playwright\'s own debug log (DEBUG=pw:api,pw:protocol) reaches stderr redacted: no password, no code; --reveal still prints the tokens', async () => {
  const r = await runCli(['flow', '--json', '--reveal'], { env: { DEBUG: 'pw:api,pw:protocol' } })
  expect(r.code, r.stderr.slice(-500)).toBe(0)
  // The log is there (the guard redacts, it does not drop), with the callback URL it names.
  expect(r.stderr).toContain('pw:api')
  expect(r.stderr).toMatch(/OauthRedirect\?code=aPrx…\(\d+ chars\)/)
  expect(r.stderr).not.toContain(DEMO_USER.password)
  expect(r.stderr).not.toMatch(/code=aPrx[A-Za-z0-9._%-]{10}/)
  const { tokens } = JSON.parse(r.stdout) as { tokens: { refreshToken: string } }
  expect(tokens.refreshToken).toMatch(/^5Aep861[A-Za-z0-9._]{20,}$/)
  expect(r.stderr).not.toContain(tokens.refreshToken)
})

test('a refused flow exits 1 with one line on stderr and no stack', async () => {
  const deny = await runCli(['flow', '--deny'])
  expect(deny.code).toBe(1)
  expect(deny.stdout).not.toContain('✗')
  expect(deny.stderr).toMatch(/^✗ AUTHORIZE_ACCESS_DENIED: [^\n]+\n$/)
  expect(deny.stderr).not.toMatch(NO_STACK)
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

test('2>&1 | head -1 with DEBUG=pw:api: a reader gone from stderr does not end the flow through Playwright\'s log; the token set is saved', () => {
  const dir = emptyDir()
  const fifo = join(dir, 'go')
  // Stderr into a pipe whose reader has closed; stdout to a file: Playwright's first log line meets EPIPE.
  const script = `mkfifo '${fifo}'
{ read -r _ < '${fifo}'; node '${BIN}' flow --save '${dir}/tokens.json' 2>&1 > '${dir}/out'; echo "$?" > '${dir}/rc'; } | { exec 0<&-; echo go > '${fifo}'; }
wait`
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: baseEnv({ DEBUG: 'pw:api' }) })
  expect(r.status, r.stderr).toBe(0)
  expect(readFileSync(join(dir, 'rc'), 'utf8').trim(), readFileSync(join(dir, 'out'), 'utf8').slice(-500)).toBe('0')
  expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600)
})

test('| head -1: a reader that is gone before the first write ends the run quietly, with its own exit code', () => {
  const dir = emptyDir()
  const fifo = join(dir, 'go')
  // The reader closes its end first and only then lets the writer start: every write meets EPIPE.
  const script = `mkfifo '${fifo}'
{ read -r _ < '${fifo}'; node '${BIN}' "$@" 2> '${dir}/err'; echo "$?" > '${dir}/rc'; } | { exec 0<&-; echo go > '${fifo}'; }
wait`
  for (const [args, rc] of [[['curl'], '0'], [['flow', '--help'], '0'], [['doctor'], '2'], [['nonsense'], '2']] as const) {
    const env = args[0] === 'doctor' ? { SF_LOGIN_URL: 'not a url' } : {}
    const r = spawnSync('bash', ['-c', script, 'pipe', ...args], { cwd: dir, encoding: 'utf8', env: baseEnv(env) })
    expect(r.status, r.stderr).toBe(0)
    const err = readFileSync(join(dir, 'err'), 'utf8')
    expect(err, args.join(' ')).not.toMatch(/EPIPE|Unhandled|\n\s+at /)
    expect(readFileSync(join(dir, 'rc'), 'utf8').trim(), args.join(' ')).toBe(rc)
    spawnSync('rm', ['-f', fifo])
  }
})
