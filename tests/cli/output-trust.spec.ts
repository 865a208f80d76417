/**
 * What reaches the terminal and the reports (issue 11, defects 4, 6 and part of 9), through the real
 * CLI: a hostile server's text is shown without its escapes and on one line, JUnit stays valid XML,
 * secrets in URLs are masked, our own help is not, and `sf-oauth curl` pasted
 * into bash runs nothing but curl, with every value arriving byte for byte.
 * The commands run in process (main); `| head -1` needs the real process: tests/heavy/cli-process.spec.ts.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { SyntaxValidator } from 'fast-xml-validator'
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'
import { baseEnv } from '../support/env.js'

/** Window title, erase line, carriage return, a forged summary line, a bidi override, an 8-bit CSI. */
const HOSTILE = 'expired access/refresh token\x1b]0;pwned\x07\x1b[2K\r\nok: 13 checks (0 warnings)\u202e\x9b2J\u2028'

/**
 * Nothing a terminal acts on (ESC, BEL, CR, C1, bidi, line separators), and no forged line. In --json
 * the evidence keeps the server's text exactly, escaped (\u001b]0;pwned is then harmless text).
 */
function expectClean(text: string, what: string, json = false): void {
  // eslint-disable-next-line no-control-regex -- what must not be there
  expect(text, what).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/)
  expect(text.split('\n').filter((l) => /^ok: 13 checks/.test(l)), what).toEqual([])
  if (!json) expect(text, what).not.toContain('pwned')
}

interface Captured { method: string; url: string; body: string }

/** A loopback server that answers like a hostile login host, and records what it was sent. */
async function hostileServer(): Promise<{ url: string; requests: Captured[]; close: () => Promise<void> }> {
  const requests: Captured[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('latin1')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.from(body, 'latin1').toString('utf8') })
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' })
        res.end(JSON.stringify(value))
      }
      if (req.url === '/.well-known/openid-configuration') json(200, { issuer: HOSTILE })
      else if (req.url?.endsWith('/services/oauth2/token')) json(400, { error: 'invalid_grant', error_description: HOSTILE })
      else if (req.url?.endsWith('/services/oauth2/revoke')) json(200, {})
      else if (req.url?.startsWith('/services/oauth2/authorize')) {
        // Salesforce's two ways of refusing before the login page (plain text, or its error page), with our text.
        const plain = new URL(req.url, 'http://x').searchParams.get('client_id') === 'plain'
        if (plain) {
          res.writeHead(400, { 'content-type': 'text/plain' })
          res.end(`error=invalid_client_id&error_description=${encodeURIComponent(HOSTILE)}`)
        } else {
          res.writeHead(302, { location: `/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APP_BLOCKED&error_description=${encodeURIComponent(HOSTILE)}` })
          res.end()
        }
      } else if (req.url?.startsWith('/setup/secur/RemoteAccessErrorPage.apexp')) {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<!DOCTYPE html><html><body><h1>error</h1></body></html>')
      }
      else {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end(HOSTILE)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('bash', ['-c', script], { cwd, env: baseEnv(env), stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })))
}

/** A saved token set (as flow --save writes it) whose host is the hostile server. */
function tokenFile(dir: string, loginUrl: string): string {
  const file = join(dir, 'tokens.json')
  writeFileSync(file, JSON.stringify({
    version: 1, loginUrl, clientId: '3MVG9FakeClientId', username: 'demo.user@example.com', instanceUrl: loginUrl,
    id: `${loginUrl}/id/00D5g00000FAKEDEAQ/0055g00000FAKEDAAA`, orgId: '00D5g00000FAKEDEAQ', userId: '0055g00000FAKEDAAA',
    scope: 'api refresh_token', issuedAt: '1700000000000', accessToken: '00D5g00000FAKED!AQ0AQFakeAccessTokenFakeAccessToken',
    refreshToken: '5Aep861FakeRefreshTokenFakeRefreshTokenFakeRefresh', savedAt: new Date(0).toISOString(),
  }), { mode: 0o600 })
  return file
}

test('a server error_description with escapes, CR, a forged line and bidi: refresh shows it clean, --json keeps it exact', async () => {
  const server = await hostileServer()
  try {
    const dir = emptyDir()
    const file = tokenFile(dir, server.url)
    const text = await runMain(['refresh', '--file', file])
    expect(text.code).toBe(1)
    expectClean(text.stdout + text.stderr, 'refresh')
    expect(text.stderr).toMatch(/^✗ TOKEN_REFRESH_TOKEN_EXPIRED: the refresh refused: invalid_grant \(expired access\/refresh token/)
    expect(text.stderr.trim().split('\n')).toHaveLength(1)

    const json = await runMain(['refresh', '--file', file, '--json'])
    expect(json.code).toBe(1)
    expectClean(json.stdout + json.stderr, 'refresh --json', true)
    const out = JSON.parse(json.stdout) as { ok: boolean; error: { code: string; message: string; cause: { body: string } } }
    expect(out.error.code).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
    // The message is for a person (one line); the evidence is kept exact, escaped by JSON.
    expect(out.error.message).not.toContain('\n')
    expect(JSON.parse(out.error.cause.body)).toEqual({ error: 'invalid_grant', error_description: HOSTILE })
  } finally {
    await server.close()
  }
})

test('check with a hostile server: one line per target, and --junit is XML a real parser accepts', async () => {
  const server = await hostileServer()
  try {
    const dir = emptyDir()
    tokenFile(dir, server.url)
    const targets = join(dir, 'targets.json')
    writeFileSync(targets, JSON.stringify({ targets: [{ name: 'hostile', loginUrl: server.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'tokens.json' }] }))
    const junit = join(dir, 'junit.xml')
    const r = await runMain(['check', '--targets', targets, '--junit', junit], { env: { SF_APP_ID: '3MVG9FakeClientId', SF_APP_SECRET: 'fake-secret-value' } })
    expect(r.code, r.stderr).toBe(1)
    expectClean(r.stdout + r.stderr, 'check')
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
    expect(r.stdout).toMatch(/^✗ hostile +TOKEN_REFRESH_TOKEN_EXPIRED: the refresh refused: invalid_grant \(expired access\/refresh token ok: 13 checks \(0 warnings\) \): /)

    const xml = readFileSync(junit, 'utf8')
    expect(SyntaxValidator.validate(xml)).toBe(true)
    expectClean(xml, 'junit')
    type Case = { '@_name': string; failure?: { '@_type': string; '@_message': string } }
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(xml) as { testsuites: { testsuite: { testcase: Case[] } } }
    const failure = doc.testsuites.testsuite.testcase[0]?.failure
    expect(failure?.['@_type']).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
    expect(failure?.['@_message']).toContain('ok: 13 checks (0 warnings)')
  } finally {
    await server.close()
  }
})

test('flow against a host whose authorize answers carry hostile text: the page text is shown clean', { tag: '@browser' }, async ({ cli }) => {
  const server = await hostileServer()
  try {
    for (const [clientId, code] of [['plain', 'AUTHORIZE_INVALID_CLIENT_ID'], ['3MVG9FakeClientId', 'AUTHORIZE_APP_BLOCKED']] as const) {
      const env = { SF_LOGIN_URL: server.url, SF_CLIENT_ID: clientId, SF_USERNAME: 'u@example.com', SF_PASSWORD: 'not-a-real-password', SF_TIMEOUT_MS: '10000' }
      const r = await cli(['flow'], { env })
      expect(r.code, r.stderr).toBe(1)
      expectClean(r.stdout + r.stderr, `flow ${code}`)
      expect(r.stderr.trim().split('\n'), code).toEqual([expect.stringMatching(new RegExp(`^✗ ${code}: .*expired access/refresh token ok: 13 checks \\(0 warnings\\)`))])
    }
  } finally {
    await server.close()
  }
})

test('doctor with a hostile discovery document: the issuer is shown clean', async () => {
  const server = await hostileServer()
  try {
    const env = { SF_LOGIN_URL: server.url, SF_CLIENT_ID: '3MVG9FakeClientId', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'not-a-real-password' }
    const r = await runMain(['doctor'], { env })
    expectClean(r.stdout + r.stderr, 'doctor')
    expect(r.stdout).toMatch(/^✓ http +GET \/\.well-known\/openid-configuration → 200, issuer expired access\/refresh token/m)
  } finally {
    await server.close()
  }
})

test('doctor: a proxy URL is shown without its user and password, text and --json', async ({ org }) => {
  const env = { ...org.env, HTTPS_PROXY: 'http://proxyuser:Pr0xy-Passw0rd@127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' }
  for (const args of [['doctor'], ['doctor', '--json']]) {
    const r = await runMain(args, { env })
    expect(r.stdout + r.stderr, args.join(' ')).not.toContain('Pr0xy-Passw0rd')
    expect(r.stdout + r.stderr, args.join(' ')).not.toContain('proxyuser')
    expect(r.stdout, args.join(' ')).toContain('proxy http://***@127.0.0.1:9/')
  }
})

test('an unparseable SF_LOGIN_URL with user:password@ is never echoed (not even its user): flow, doctor, --json', async () => {
  const env = { SF_LOGIN_URL: 'https://admin:Hunter2-Secret@login.salesforce.com:99999', SF_CLIENT_ID: '3MVG9x', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-pw-pw' }
  for (const args of [['flow'], ['flow', '--json'], ['doctor'], ['doctor', '--json'], ['curl'], ['curl', '--json']]) {
    const r = await runMain(args, { env })
    expect(r.code, args.join(' ')).toBe(2)
    expect(r.stdout + r.stderr, args.join(' ')).not.toContain('Hunter2-Secret')
    expect(r.stdout + r.stderr, args.join(' ')).not.toContain('admin')
    expect(r.stdout + r.stderr, args.join(' ')).toMatch(/SF_LOGIN_URL/)
    if (args.includes('--json') && args[0] !== 'doctor') expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code, args.join(' ')).toBe('CONFIG_INVALID')
  }
})

test('every --help is printed as written: no mask in our own words', async () => {
  const commands = ['flow', 'emulator', 'refresh', 'revoke', 'check', 'curl', 'export', 'doctor', 'replay', 'record', 'passkey', 'login', 'authorize-url', 'exchange', 'report']
  const runs = await Promise.all([['--help'], ...commands.map((c) => [c, '--help'])].map(async (args) => ({ args, r: await runMain(args) })))
  for (const { args, r } of runs) {
    expect(r.code, args.join(' ')).toBe(0)
    expect(r.stdout + r.stderr, args.join(' ')).not.toContain('…(')
    expect(r.stdout.length, args.join(' ')).toBeGreaterThan(100)
  }
  const help = (c: string) => runs.find((x) => x.args[0] === c)?.r.stdout ?? ''
  for (const c of ['flow', 'refresh']) expect(help(c)).toContain('--sfdx-url FILE  write force://<clientId>:<clientSecret>:<refreshToken>@<instance> (mode 0600)')
})

test('sf-oauth curl with hostile settings: pasted into bash, nothing runs and every value arrives byte for byte', async () => {
  const server = await hostileServer()
  try {
    const dir = emptyDir()
    const marker = join(dir, 'pwned')
    const clientId = `3MVG9$(touch$IFS${marker})\`touch$IFS${marker}\`"';x!`
    const redirectUri = `http://localhost:1717/cb?x=$(touch ${marker});touch ${marker}&y="\`id\`"`
    const loginPath = `/x$(touch$IFS${marker});'a'`
    const secret = `s3cret$(touch ${marker})"'`
    const env = { SF_LOGIN_URL: `${server.url}${loginPath}`, SF_CLIENT_ID: clientId, SF_CLIENT_SECRET: secret, SF_USERNAME: 'u@example.com', SF_PASSWORD: 'not-a-real-password', SF_REDIRECT_URI: redirectUri, SF_PKCE: 'false' }
    const r = await runMain(['curl', '--json'], { env })
    expect(r.code, r.stderr).toBe(0)
    const commands = (JSON.parse(r.stdout) as { commands: { name: string; command: string }[] }).commands
    const text = await runMain(['curl'], { env })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).not.toContain(secret)
    for (const name of ['token', 'refresh', 'revoke']) {
      const command = commands.find((c) => c.name === name)?.command ?? ''
      // What a user pastes is the text output: the same command, line for line.
      expect(text.stdout, name).toContain(command)
      // Not spawnSync: the server answering it lives in this process.
      const shell = await bash(command, dir, { SF_CLIENT_SECRET: secret, SF_CODE: 'aPrx-code', SF_REFRESH_TOKEN: '5Aep861-refresh' })
      expect(shell.code, `${name}: ${shell.stderr}`).toBe(0)
    }
    expect(existsSync(marker)).toBe(false)
    const posts = server.requests.filter((q) => q.method === 'POST')
    expect(posts.map((q) => q.url)).toEqual([`${loginPath}/services/oauth2/token`, `${loginPath}/services/oauth2/token`, `${loginPath}/services/oauth2/revoke`])
    const form = (i: number) => Object.fromEntries(new URLSearchParams(posts[i]?.body ?? ''))
    expect(form(0)).toEqual({ grant_type: 'authorization_code', code: 'aPrx-code', client_id: clientId, client_secret: secret, redirect_uri: redirectUri })
    expect(form(1)).toEqual({ grant_type: 'refresh_token', refresh_token: '5Aep861-refresh', client_id: clientId, client_secret: secret })
    expect(form(2)).toEqual({ token: '5Aep861-refresh' })
  } finally {
    await server.close()
  }
})
