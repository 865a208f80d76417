/**
 * Token files and targets files are input (issue 11, defects 2 and 9), end to end through the commands,
 * in process. Real loopback servers stand in for hosts: each records every request it gets, so "refused
 * before any I/O" is a count of zero, and removing a guard makes a request arrive.
 */
import { createHmac } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test as base } from '../support/scrub.js'
import type { Env } from '../../src/config.js'
import { checkCommand } from '../../src/cli/commands/check.js'
import { refreshCommand, revokeCommand } from '../../src/cli/commands/refresh.js'
import type { Io } from '../../src/cli/output.js'

interface Host {
  readonly url: string
  readonly requests: { method: string; url: string; body: string }[]
}

const SECRET = 'fake-consumer-secret-0001'
const ORG_ID = '00D000000000001AAA'
const USER_ID = '005000000000001AAA'

/** A loopback host that records requests; `answer` (optional) plays the org's token endpoint. */
async function host(answer?: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Host & { close(): Promise<void> }> {
  const requests: Host['requests'] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body })
      if (answer) answer(req, body, res)
      else res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant","error_description":"captured"}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, close: () => new Promise((r) => server.close(() => r())) }
}

/** A signed token answer, as Salesforce sends it, naming `instanceUrl`. */
function tokenAnswer(instanceUrl: string, loginUrl: string) {
  return (_req: IncomingMessage, _body: string, res: ServerResponse) => {
    const id = `${loginUrl}/id/${ORG_ID}/${USER_ID}`
    const issuedAt = String(Date.now())
    const signature = createHmac('sha256', SECRET).update(id + issuedAt).digest('base64')
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: '00D000000000001!AQnew.access.token', instance_url: instanceUrl, id, token_type: 'Bearer', issued_at: issuedAt, scope: 'api refresh_token', signature }))
  }
}

const test = base.extend<{ dir: string; hosts: (answer?: Parameters<typeof host>[0]) => Promise<Host> }>({
  dir: async ({}, use) => {
    const b = test.info().outputPath()
    mkdirSync(b, { recursive: true })
    await use(mkdtempSync(join(b, 'trust-')))
  },
  hosts: async ({}, use) => {
    const open: { close(): Promise<void> }[] = []
    await use(async (answer) => {
      const h = await host(answer)
      open.push(h)
      return h
    })
    for (const h of open) await h.close()
  },
})

function tokenFile(dir: string, loginUrl: string, opts: { name?: string; mode?: number; instanceUrl?: string } = {}): string {
  const f = join(dir, opts.name ?? 'tokens.json')
  const set = { version: 1, loginUrl, clientId: '3MVG9fakeConsumerKey', username: 'u@example.com', instanceUrl: opts.instanceUrl ?? loginUrl, id: `${loginUrl}/id/${ORG_ID}/${USER_ID}`, orgId: ORG_ID, userId: USER_ID, scope: 'api refresh_token', issuedAt: '1764000000000', accessToken: '00D000000000001!AQold.access.token', refreshToken: '5Aep861FakeRefreshTokenFakeRefreshToken', savedAt: new Date(0).toISOString() }
  writeFileSync(f, JSON.stringify(set), { mode: opts.mode ?? 0o600 })
  chmodSync(f, opts.mode ?? 0o600)
  return f
}

function capture(): Io & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

const org = (loginUrl: string | undefined): Env => ({ ...(loginUrl === undefined ? {} : { SF_LOGIN_URL: loginUrl }), SF_CLIENT_ID: '3MVG9fakeConsumerKey', SF_CLIENT_SECRET: SECRET, SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-fake-1234', SF_TIMEOUT_MS: '5000' })
const config = (env: Env) => ({ env })

test('refresh and revoke of a file whose loginUrl is http://evil.example: TOKEN_FILE_INVALID before any request', async ({ dir, hosts }) => {
  const configured = await hosts()
  const f = tokenFile(dir, 'http://evil.example')
  for (const env of [org(undefined), org(configured.url)]) {
    // A request would end in a NETWORK_* error (no route to evil.example here), not in this code.
    await expect(refreshCommand(['--file', f], capture(), config(env))).rejects.toMatchObject({ code: 'TOKEN_FILE_INVALID', exitCode: 2, message: expect.stringContaining('loginUrl uses http://') })
    await expect(revokeCommand(['--file', f], capture(), config(env))).rejects.toMatchObject({ code: 'TOKEN_FILE_INVALID', exitCode: 2 })
  }
  for (const url of ['not a url', 'ftp://evil.example', 'file:///etc/passwd', 'data:application/json,{}', 'https://l\u043egin.salesforce.com']) {
    await expect(refreshCommand(['--file', tokenFile(dir, url)], capture(), config(org(undefined))), url).rejects.toMatchObject({ code: 'TOKEN_FILE_INVALID', exitCode: 2 })
  }
  expect(configured.requests).toEqual([])
})

test('refresh and revoke of a file saved from another loopback port than SF_LOGIN_URL: TOKEN_FILE_HOST_MISMATCH, neither host hears a thing', async ({ dir, hosts }) => {
  const configured = await hosts()
  const other = await hosts()
  const f = tokenFile(dir, other.url)
  const before = readFileSync(f, 'utf8')
  const refused = { code: 'TOKEN_FILE_HOST_MISMATCH', exitCode: 2, message: expect.stringContaining(`was saved from ${other.url}, but SF_LOGIN_URL is ${configured.url}`) }
  await expect(refreshCommand(['--file', f], capture(), config(org(configured.url)))).rejects.toMatchObject(refused)
  await expect(revokeCommand(['--file', f], capture(), config(org(configured.url)))).rejects.toMatchObject(refused)
  expect(other.requests).toEqual([])
  expect(configured.requests).toEqual([])
  expect(readFileSync(f, 'utf8')).toBe(before)
})

test('without SF_LOGIN_URL a non-Salesforce login host is not used until SF_LOGIN_URL confirms it', async ({ dir }) => {
  const f = tokenFile(dir, 'https://evil.example')
  await expect(refreshCommand(['--file', f], capture(), config(org(undefined)))).rejects.toMatchObject({ code: 'TOKEN_FILE_HOST_UNTRUSTED', exitCode: 2, message: expect.stringContaining('SF_LOGIN_URL=https://evil.example') })
})

test('a world-readable token file is refused with the chmod 600 fix, and not silently chmod-ed', async ({ dir, hosts }) => {
  const configured = await hosts()
  for (const mode of [0o644, 0o666]) {
    const f = tokenFile(dir, configured.url, { mode, name: `t${mode.toString(8)}.json` })
    await expect(refreshCommand(['--file', f], capture(), config(org(configured.url)))).rejects.toMatchObject({ code: 'TOKEN_FILE_PERMISSIONS', exitCode: 2, message: expect.stringContaining(`chmod 600 ${f}`) })
    await expect(revokeCommand(['--file', f], capture(), config(org(configured.url)))).rejects.toMatchObject({ code: 'TOKEN_FILE_PERMISSIONS' })
    expect(statSync(f).mode & 0o777).toBe(mode)
  }
  expect(configured.requests).toEqual([])
})

test('refresh names instance_url, and warns (text and --json) when it is outside Salesforce\'s domains', async ({ dir, hosts }) => {
  const fakeOrg = await hosts((req, body, res) => tokenAnswer('https://evil.example', fakeOrgUrl)(req, body, res))
  const fakeOrgUrl = fakeOrg.url
  const f = tokenFile(dir, fakeOrgUrl)
  const text = capture()
  expect(await refreshCommand(['--file', f], text, config(org(fakeOrgUrl)))).toBe(0)
  expect(text.out).toMatch(/^ {2}instance_url {3}https:\/\/evil\.example$/m)
  expect(text.out).toMatch(/^! INSTANCE_URL_NOT_SALESFORCE: instance_url https:\/\/evil\.example is outside Salesforce's domains/m)
  expect(text.out).toMatch(/^ {2}! check instance_url/m)
  const json = capture()
  expect(await refreshCommand(['--file', f, '--json'], json, config(org(fakeOrgUrl)))).toBe(0)
  const out = JSON.parse(json.out) as { instanceUrl: string; warnings: { code: string; message: string }[] }
  expect(out.instanceUrl).toBe('https://evil.example')
  expect(out.warnings.map((w) => w.code)).toContain('INSTANCE_URL_NOT_SALESFORCE')
  expect(fakeOrg.requests.map((r) => r.url)).toEqual(['/services/oauth2/token', '/services/oauth2/token'])
})

test('check: a target whose token file was saved from another host fails TOKEN_FILE_HOST_MISMATCH; that host hears nothing', async ({ dir, hosts }) => {
  const targetHost = await hosts()
  const fileHost = await hosts()
  tokenFile(dir, fileHost.url, { name: 'a.json' })
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: targetHost.url, clientIdEnv: 'SF_T_ID', clientSecretEnv: 'SF_T_SECRET', tokenFile: 'a.json' }] }))
  const io = capture()
  const code = await checkCommand(['--targets', join(dir, 'targets.json'), '--json'], io, config({ SF_T_ID: '3MVG9fakeConsumerKey', SF_T_SECRET: SECRET }))
  expect(code).toBe(1)
  const out = JSON.parse(io.out) as { targets: { name: string; error?: { code: string; message: string } }[] }
  expect(out.targets[0]?.error?.code).toBe('TOKEN_FILE_HOST_MISMATCH')
  expect(out.targets[0]?.error?.message).toContain("target a's loginUrl")
  // Without the guard in refreshSaved the refresh token and client secret would arrive here.
  expect(fileHost.requests).toEqual([])
  expect(targetHost.requests).toEqual([])
})

test('check: an instance_url outside Salesforce\'s domains gets no access token (INSTANCE_URL_UNTRUSTED), and is a --json warning', async ({ dir, hosts }) => {
  const fakeOrg = await hosts((req, body, res) => tokenAnswer('https://evil.example', fakeOrgUrl)(req, body, res))
  const fakeOrgUrl = fakeOrg.url
  tokenFile(dir, fakeOrgUrl, { name: 'a.json' })
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: fakeOrgUrl, clientIdEnv: 'SF_T_ID', clientSecretEnv: 'SF_T_SECRET', tokenFile: 'a.json' }] }))
  const io = capture()
  expect(await checkCommand(['--targets', join(dir, 'targets.json'), '--json'], io, config({ SF_T_ID: '3MVG9fakeConsumerKey', SF_T_SECRET: SECRET }))).toBe(1)
  const out = JSON.parse(io.out) as { warnings: { code: string; target?: string }[]; targets: { error?: { code: string; message: string } }[] }
  // A request to evil.example would have ended in a NETWORK_* error; this code means it was never made.
  expect(out.targets[0]?.error).toMatchObject({ code: 'INSTANCE_URL_UNTRUSTED', message: expect.stringContaining('https://evil.example') })
  expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'INSTANCE_URL_NOT_SALESFORCE', target: 'a' }))
  expect(fakeOrg.requests.map((r) => r.url)).toEqual(['/services/oauth2/token'])
})

test('check: a targets file may not read a non-SF_ variable, nor put a token file outside its directory', async ({ dir, hosts }) => {
  const h = await hosts()
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [
    { name: 'a', loginUrl: h.url, clientIdEnv: 'SF_T_ID', clientSecretEnv: 'AWS_SECRET_ACCESS_KEY', tokenFile: '../../a.json' },
    { name: 'b', loginUrl: 'http://evil.example', clientIdEnv: 'SF_T_ID', tokenFile: '/tmp/b.json' },
  ] }))
  const io = capture()
  const err = (await checkCommand(['--targets', join(dir, 'targets.json')], io, config({ SF_T_ID: 'x', AWS_SECRET_ACCESS_KEY: 'aws-secret-value-1' })).then(() => undefined, (e: unknown) => e)) as { code: string; exitCode: number; problems: { key: string; problem: string }[] }
  expect(err).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 })
  expect(err.problems.map((p) => `${p.key} ${p.problem}`)).toEqual([
    'targets[0] (a).clientSecretEnv names AWS_SECRET_ACCESS_KEY, which does not start with SF_',
    'targets[0] (a).tokenFile contains ".."',
    'targets[1] (b).loginUrl uses http://',
    'targets[1] (b).tokenFile is an absolute path',
  ])
  expect(JSON.stringify(err)).not.toContain('aws-secret-value-1')
  expect(h.requests).toEqual([])
})
