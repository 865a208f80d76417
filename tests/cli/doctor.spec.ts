/**
 * `sf-oauth doctor` in process against the worker's emulator (as against an org), with good and bad configurations:
 * each finding named, explained, and the exit code right.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'
import { pathFinding } from '../../src/cli/commands/doctor.js'

interface Finding { check: string; status: string; summary: string; explain: string }
async function doctor(env: Record<string, string>): Promise<{ code: number | null; findings: Finding[]; by: Record<string, Finding> }> {
  const r = await runMain(['doctor', '--json'], { env })
  const out = JSON.parse(r.stdout) as { findings: Finding[] }
  return { code: r.code, findings: out.findings, by: Object.fromEntries(out.findings.map((f) => [f.check, f])) }
}
const statuses = (fs: Finding[]) => Object.fromEntries(fs.map((f) => [f.check, f.status]))

test('a good configuration: every step explained; TLS skipped for http loopback; lines without --json', async ({ org }) => {
  const d = await doctor(org.env)
  expect(d.code).toBe(0)
  expect(statuses(d.findings)).toEqual({ config: 'ok', 'by hand': 'ok', dns: 'ok', tls: 'skip', http: 'ok', client_id: 'ok', redirect_uri: 'ok', pkce: 'ok' })
  expect(d.by.tls?.summary).toBe('skipped: http loopback')
  expect(d.by.redirect_uri?.summary).toBe('http://localhost:1717/OauthRedirect accepted: 302 to the login page')
  expect(d.by.pkce?.summary).toBe('not required before login (SF_PKCE on)')
  const text = await runMain(['doctor'], { env: org.env })
  expect(text.code).toBe(0)
  expect(text.stdout).toMatch(/^✓ redirect_uri {2}http:\/\/localhost:1717\/OauthRedirect accepted/m)
  expect(text.stdout).not.toContain(org.env.SF_CLIENT_SECRET ?? '')
  expect(text.stdout.trim().split('\n').at(-1)).toBe('ok: 8 checks, 0 warnings')
})

test('an unregistered redirect URI: the plain-text mismatch answer, with the fix; exit 1', async ({ org }) => {
  const d = await doctor({ ...org.env, SF_REDIRECT_URI: 'http://127.0.0.1:1717/OauthRedirect' })
  expect(d.code).toBe(1)
  expect(d.by.client_id?.status).toBe('ok')
  expect(d.by.redirect_uri).toMatchObject({ status: 'fail', summary: 'http://127.0.0.1:1717/OauthRedirect: plain text error=redirect_uri_mismatch' })
  expect(d.by.redirect_uri?.explain).toContain('localhost is not 127.0.0.1')
})

test('an unknown client id: client_id fails, redirect_uri is not judged', async ({ org }) => {
  const d = await doctor({ ...org.env, SF_CLIENT_ID: '3MVG9NotAnAppNotAnAppNotAnApp' })
  expect(d.code).toBe(1)
  expect(d.by.client_id).toMatchObject({ status: 'fail', summary: expect.stringContaining('plain text error=invalid_client_id') })
  expect(d.by.redirect_uri?.status).toBe('skip')
})

test('an app that requires PKCE: seen before login; fails only with SF_PKCE=false', async ({ org }) => {
  await org.control('configure', { requirePkce: true })
  const on = await doctor(org.env)
  expect(on.code).toBe(0)
  expect(on.by.pkce).toMatchObject({ status: 'ok', summary: 'the app requires PKCE; SF_PKCE is on' })
  const off = await doctor({ ...org.env, SF_PKCE: 'false' })
  expect(off.code).toBe(1)
  expect(off.by.pkce).toMatchObject({ status: 'fail', summary: 'the app requires PKCE, but SF_PKCE=false' })
  expect(off.by.pkce?.explain).toContain("Salesforce's error page, OAUTH_APPROVAL_ERROR_GENERIC")
})

test('DNS, HTTP and config failures stop at the first step that fails, each explained', async ({ org }) => {
  const dns = await doctor({ ...org.env, SF_LOGIN_URL: 'https://no-such-host.invalid' })
  expect(dns.code).toBe(1)
  expect(statuses(dns.findings)).toEqual({ config: 'ok', 'by hand': 'ok', dns: 'fail' })
  expect(dns.by.dns?.summary).toMatch(/^no-such-host\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)/)

  const down = await doctor({ ...org.env, SF_LOGIN_URL: 'http://127.0.0.1:59998' })
  expect(down.code).toBe(1)
  expect(statuses(down.findings)).toEqual({ config: 'ok', 'by hand': 'ok', dns: 'ok', tls: 'skip', http: 'fail' })
  expect(down.by.http?.summary).toContain('NETWORK_CONNECT_FAILED')

  const bad = await runMain(['doctor', '--json'], { env: { ...org.env, SF_LOGIN_URL: 'http://login.example.com', SF_TIMEOUT_MS: 'soon' } })
  expect(bad.code).toBe(2)
  const findings = (JSON.parse(bad.stdout) as { findings: Finding[] }).findings
  expect(findings.map((f) => [f.check, f.status, f.summary.split(' ')[0]])).toEqual([['config', 'fail', 'SF_LOGIN_URL'], ['config', 'fail', 'SF_TIMEOUT_MS']])
})

test('TLS: an untrusted certificate is named with its subject and the reason', async () => {
  const dir = emptyDir()
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=doctor.test', '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    const port = (server.address() as AddressInfo).port
    const d = await doctor({ SF_LOGIN_URL: `https://127.0.0.1:${port}`, SF_CLIENT_ID: '3MVG9Whatever', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'x', SF_TIMEOUT_MS: '5000' })
    expect(d.code).toBe(1)
    expect(statuses(d.findings)).toEqual({ config: 'ok', 'by hand': 'ok', dns: 'ok', tls: 'fail' })
    expect(d.by.tls?.summary).toMatch(/^TLSv1\.3, certificate doctor\.test by doctor\.test, valid until .* \(1 days\); not trusted: DEPTH_ZERO_SELF_SIGNED_CERT/)
  } finally {
    server.close()
  }
})

test('doctor tells which way to log in by hand fits SF_REDIRECT_URI: login on a loopback port, paste for port 80 or https', () => {
  expect(pathFinding('http://localhost:1717/OauthRedirect').summary).toBe('sf-oauth login (listens on port 1717)')
  expect(pathFinding('http://localhost').summary).toBe('sf-oauth authorize-url --pending FILE, then exchange --pending FILE (port 80, the URI names none)')
  expect(pathFinding('http://127.0.0.1:443/cb').summary).toContain('authorize-url --pending FILE')
  expect(pathFinding('https://app.example.com/oauth/callback').summary).toBe('sf-oauth authorize-url --pending FILE, then exchange --pending FILE')
  expect(pathFinding('com.example.app:/callback').explain).toContain('paste')
})
