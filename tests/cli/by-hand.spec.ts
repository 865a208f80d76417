/**
 * A person logs in (issue 13), in process against the embedded emulator: `login` (loopback server, the
 * page the browser is shown, a taken port, Deny, a foreign request), and `authorize-url` + `exchange`
 * (state, expiry by the file's time and by the emulator's clock, a code pasted twice, an error redirect).
 * The person is played over plain HTTP (tests/support/http-flow.ts): no browser. The real processes, with
 * a real browser, are tests/heavy/by-hand.spec.ts.
 */
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { loadConfig, type Env } from '../../src/config.js'
import type { CliConfig } from '../../src/cli/cli-config.js'
import { authorizeUrlCommand } from '../../src/cli/commands/authorize-url.js'
import { exchangeCommand } from '../../src/cli/commands/exchange.js'
import { loginCommand, parseWait } from '../../src/cli/commands/login.js'
import type { Io } from '../../src/cli/output.js'
import { splitCommand } from '../../src/browser/open-url.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { readPasted, runLogin } from '../../src/flow/by-hand.js'
import { emptyDir } from '../support/cli.js'
import { test } from '../support/emulator.js'
import { personOverHttp } from '../support/http-flow.js'
import { freePort, registerRedirectUri, startSquatter } from '../support/squatter.js'

function capture(): Io & { out: () => string; err: () => string; line: (re: RegExp) => Promise<string> } {
  let out = ''
  let err = ''
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = []
  const check = () => {
    for (const w of [...waiters]) {
      const l = out.split('\n').find((x) => w.re.test(x))
      if (l !== undefined) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(l.trim())
      }
    }
  }
  return {
    stdout: (t) => { out += t; check() },
    stderr: (t) => { err += t },
    out: () => out,
    err: () => err,
    line: (re) => new Promise((resolve) => { waiters.push({ re, resolve }); check() }),
  }
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'OK', (e: unknown) => String((e as { code?: unknown }).code))
}

/** The configuration of a person at the emulator: no SF_USERNAME, no SF_PASSWORD. */
function personEnv(em: RunningEmulator, redirectUri: string, extra: Env = {}): Env {
  const { app } = em.app.seed
  return { SF_LOGIN_URL: em.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_REDIRECT_URI: redirectUri, ...extra }
}
const loader = (env: Env): CliConfig => ({ env })
const tokenRequests = (em: RunningEmulator) => em.app.state.counts().tokenRequests

test.describe('login: the loopback server and the person at the browser', () => {
  test('a person logs in and clicks Allow: the browser is told so, tokens are checked, saved 0600, exit 0', async ({ emulator }) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    registerRedirectUri(emulator, redirect)
    const dir = emptyDir()
    const io = capture()
    const run = loginCommand(['--no-open', '--save', join(dir, 't.json')], io, loader(personEnv(emulator, redirect)))
    const url = await io.line(/\/services\/oauth2\/authorize\?/)
    const callback = await personOverHttp(url, emulator.app.seed.user)
    expect(callback.startsWith(`${redirect}?code=`)).toBe(true)
    // The browser follows the redirect to the loopback server.
    const page = await fetch(callback)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('You can close this tab')
    expect(await run).toBe(0)
    expect(io.out()).toMatch(/check identity +the identity URL names demo\.user@example\.com/)
    expect(io.out()).toMatch(/^ok: 15 checks/m)
    const saved = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { username: string; refreshToken: string }
    expect(saved.username).toBe(emulator.app.seed.user.username)
    expect(statSync(join(dir, 't.json')).mode & 0o777).toBe(0o600)
    // No password anywhere: the harness never had one.
    expect(io.out()).not.toContain(emulator.app.seed.user.password)
  })

  test('Deny: the browser shows Salesforce\'s error and its meaning; AUTHORIZE_ACCESS_DENIED, nothing sent', async ({ emulator }) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    registerRedirectUri(emulator, redirect)
    const io = capture()
    const run = codeOf(loginCommand(['--no-open'], io, loader(personEnv(emulator, redirect))))
    const callback = await personOverHttp(await io.line(/\/services\/oauth2\/authorize\?/), emulator.app.seed.user, 'deny')
    const page = await fetch(callback)
    expect(page.status).toBe(400)
    const html = await page.text()
    expect(html).toContain('Salesforce refused the authorization')
    expect(html).toContain('AUTHORIZE_ACCESS_DENIED')
    expect(html).toContain('clicked Deny')
    expect(await run).toBe('AUTHORIZE_ACCESS_DENIED')
    expect(tokenRequests(emulator)).toBe(0)
  })

  test('a request with another state (a forged or stale callback) is shown a page and ignored; the real one still ends the login', async ({ emulator }) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    registerRedirectUri(emulator, redirect)
    const io = capture()
    const run = loginCommand(['--no-open'], io, loader(personEnv(emulator, redirect)))
    const url = await io.line(/\/services\/oauth2\/authorize\?/)
    const forged = await fetch(`${redirect}?code=aPrxforged&state=not-ours`)
    expect(forged.status).toBe(400)
    expect(await forged.text()).toContain('Not the answer sf-oauth is waiting for')
    const denied = await fetch(`${redirect}?error=access_denied&state=not-ours`)
    expect(await denied.text()).toContain('Not the answer')
    await fetch(await personOverHttp(url, emulator.app.seed.user))
    expect(await run).toBe(0)
  })

  test('a taken port: PORT_IN_USE before any URL is printed or opened', async ({ emulator }) => {
    const squatter = await startSquatter()
    try {
      const redirect = `http://localhost:${squatter.port}/cb`
      registerRedirectUri(emulator, redirect)
      const io = capture()
      expect(await codeOf(loginCommand(['--no-open'], io, loader(personEnv(emulator, redirect))))).toBe('PORT_IN_USE')
      expect(io.out()).not.toContain('/services/oauth2/authorize')
    } finally {
      await squatter.close()
    }
  })

  test('no loopback redirect URI: LOGIN_NEEDS_LOOPBACK names the paste path; no SF_LOGIN_URL: USAGE_INVALID', async ({ emulator }) => {
    const io = capture()
    expect(await codeOf(loginCommand(['--no-open'], io, loader(personEnv(emulator, 'https://app.example.com/oauth/callback'))))).toBe('LOGIN_NEEDS_LOOPBACK')
    expect(await codeOf(loginCommand(['--no-open'], io, loader({})))).toBe('USAGE_INVALID')
    expect(await codeOf(loginCommand(['--no-open', '--open-with', 'x'], io, loader({})))).toBe('USAGE_INVALID')
    expect(await codeOf(loginCommand(['--open-with', '"unclosed'], io, loader({})))).toBe('USAGE_INVALID')
  })

  test('--open-with a command that cannot start, or fails: OPEN_WITH_FAILED, without waiting out --wait', async ({ emulator }) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    registerRedirectUri(emulator, redirect)
    const env = loader(personEnv(emulator, redirect))
    expect(await codeOf(loginCommand(['--open-with', '/nonexistent/opener --flag', '--wait', '60m'], capture(), env))).toBe('OPEN_WITH_FAILED')
    const io = capture()
    expect(await codeOf(loginCommand(['--open-with', `"${process.execPath}" -e "process.stderr.write('no display\\n'); process.exit(3)"`, '--wait', '60m'], io, env))).toBe('OPEN_WITH_FAILED')
  })

  test('nobody comes: LOGIN_WAIT_TIMEOUT when the wait is over, and the port is free again', async ({ emulator }) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    registerRedirectUri(emulator, redirect)
    let end!: () => void
    const deadline = new Promise<void>((r) => (end = r))
    const config = loadConfig(personEnv(emulator, redirect), { person: true })
    if (config.kind !== 'org') throw new Error('org config expected')
    const run = codeOf(runLogin({ target: { ...config }, timeoutMs: 5000, waitMs: 1000, opener: undefined, onUrl: () => end(), onNote: () => undefined, deadline }))
    expect(await run).toBe('LOGIN_WAIT_TIMEOUT')
    const again = createServer()
    await new Promise<void>((resolve, reject) => { again.once('error', reject); again.listen(Number(new URL(redirect).port), '127.0.0.1', resolve) })
    await new Promise<void>((r) => again.close(() => r()))
  })
})

test.describe('authorize-url + exchange: copy and paste', () => {
  const REDIRECT = 'http://localhost'

  async function authorize(em: RunningEmulator, dir: string, env: Env = {}): Promise<{ url: string; file: string }> {
    const file = join(dir, 'pending.json')
    const io = capture()
    expect(await authorizeUrlCommand(['--pending', file], io, loader(personEnv(em, REDIRECT, env)))).toBe(0)
    // The URL is the only line on stdout.
    const lines = io.out().split('\n').filter((l) => l !== '')
    expect(lines).toHaveLength(1)
    return { url: lines[0] ?? '', file }
  }

  const exchange = (em: RunningEmulator, args: string[], pasted: string, opts: { io?: Io; now?: () => number; env?: Env } = {}) =>
    exchangeCommand(args, opts.io ?? capture(), loader(personEnv(em, REDIRECT, opts.env)), { read: () => Promise.resolve(pasted) }, opts.now)

  test('the redirected URL pasted: state checked, code redeemed, every check, saved; FILE (0600) deleted; pasted again: PENDING_GONE', async ({ emulator }) => {
    const dir = emptyDir()
    const { url, file } = await authorize(emulator, dir)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const pending = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    expect(Object.keys(pending).sort()).toEqual(['authorizeUrl', 'clientId', 'codeVerifier', 'createdAt', 'expiresAt', 'loginUrl', 'nonce', 'redirectUri', 'scope', 'state', 'version'])
    // No openid in the scope: no nonce sent.
    expect(pending.nonce).toBeNull()
    expect(Date.parse(String(pending.expiresAt)) - Date.parse(String(pending.createdAt))).toBe(15 * 60_000)
    const callback = await personOverHttp(url, emulator.app.seed.user)
    const io = capture()
    expect(await exchange(emulator, ['--pending', file, '--save', join(dir, 't.json')], `  ${callback}\n`, { io })).toBe(0)
    expect(io.out()).toMatch(/check state +the callback echoes the state sent/)
    expect(io.out()).toMatch(/^ok: 15 checks \(0 warnings\)/m)
    expect(existsSync(file)).toBe(false)
    expect(statSync(join(dir, 't.json')).mode & 0o777).toBe(0o600)
    expect(await codeOf(exchange(emulator, ['--pending', file], callback))).toBe('PENDING_GONE')
    expect(tokenRequests(emulator)).toBe(1)
  })

  test('openid in the scope: a nonce in the URL and the file, the id_token checked as flow checks it; a wrong nonce is ID_TOKEN_NONCE_MISMATCH', async ({ emulator }) => {
    const env = { SF_SCOPE: 'api refresh_token openid' }
    const dir = emptyDir()
    const { url, file } = await authorize(emulator, dir, env)
    const nonce = new URL(url).searchParams.get('nonce')
    expect(nonce).toMatch(/^[\w-]{22}$/)
    expect((JSON.parse(readFileSync(file, 'utf8')) as { nonce: unknown }).nonce).toBe(nonce)
    const io = capture()
    expect(await exchange(emulator, ['--pending', file], await personOverHttp(url, emulator.app.seed.user), { io, env })).toBe(0)
    expect(io.out()).toMatch(/verify id_token/)
    expect(io.out()).toMatch(/check userinfo sub/)
    // An org (or a man in the middle) answering with another nonce: refused before anything is saved.
    emulator.app.configure({ idToken: 'wrong-nonce' })
    const again = await authorize(emulator, dir, env)
    const callback = await personOverHttp(again.url, emulator.app.seed.user)
    expect(await codeOf(exchange(emulator, ['--pending', again.file, '--save', join(dir, 'never.json')], callback, { env }))).toBe('ID_TOKEN_NONCE_MISMATCH')
    expect(existsSync(join(dir, 'never.json'))).toBe(false)
  })

  test('the bare code pasted (percent-encoded as in the address bar): redeemed, with a warning that the state was not compared', async ({ emulator }) => {
    const dir = emptyDir()
    const { url, file } = await authorize(emulator, dir)
    const callback = await personOverHttp(url, emulator.app.seed.user)
    const raw = /[?&]code=([^&]+)/.exec(callback)?.[1] ?? ''
    const io = capture()
    expect(await exchange(emulator, ['--pending', file, '--json'], raw, { io })).toBe(0)
    const out = JSON.parse(io.out()) as { ok: boolean; checks: Array<{ name: string; status: string }> }
    expect(out.checks.find((c) => c.name === 'state')?.status).toBe('warn')
  })

  test('a URL from another authorize request: PASTE_OTHER_REQUEST, nothing sent, FILE kept for the right URL', async ({ emulator }) => {
    const first = await authorize(emulator, emptyDir())
    const stale = await personOverHttp(first.url, emulator.app.seed.user)
    const { url, file } = await authorize(emulator, emptyDir())
    expect(await codeOf(exchange(emulator, ['--pending', file], stale))).toBe('PASTE_OTHER_REQUEST')
    expect(existsSync(file)).toBe(true)
    expect(tokenRequests(emulator)).toBe(0)
    expect(await exchange(emulator, ['--pending', file], await personOverHttp(url, emulator.app.seed.user))).toBe(0)
  })

  test('expired by the file\'s time: PENDING_EXPIRED, nothing sent, FILE deleted; by the emulator\'s clock: the code is refused (TOKEN_CODE_EXPIRED)', async ({ emulator }) => {
    const a = await authorize(emulator, emptyDir())
    const cbA = await personOverHttp(a.url, emulator.app.seed.user)
    expect(await codeOf(exchange(emulator, ['--pending', a.file], cbA, { now: () => Date.now() + 15 * 60_000 + 1 }))).toBe('PENDING_EXPIRED')
    expect(existsSync(a.file)).toBe(false)
    expect(tokenRequests(emulator)).toBe(0)
    const b = await authorize(emulator, emptyDir())
    const cbB = await personOverHttp(b.url, emulator.app.seed.user)
    emulator.app.clock.advance(15 * 60_000 + 1)
    expect(await codeOf(exchange(emulator, ['--pending', b.file], cbB))).toBe('TOKEN_CODE_EXPIRED')
    expect(existsSync(b.file)).toBe(false)
  })

  test('an error redirect pasted (Deny): AUTHORIZE_ACCESS_DENIED, FILE deleted', async ({ emulator }) => {
    const { url, file } = await authorize(emulator, emptyDir())
    const denied = await personOverHttp(url, emulator.app.seed.user, 'deny')
    expect(denied).toContain('error=access_denied')
    expect(await codeOf(exchange(emulator, ['--pending', file], denied))).toBe('AUTHORIZE_ACCESS_DENIED')
    expect(existsSync(file)).toBe(false)
  })

  test('careless pastes: twice, two lines, the authorize URL itself, nothing: PASTE_INVALID, FILE kept', async ({ emulator }) => {
    const { url, file } = await authorize(emulator, emptyDir())
    const cb = await personOverHttp(url, emulator.app.seed.user)
    for (const pasted of [cb + cb, `${cb}\n${cb}\n`, url, '', '   \n', 'hello world']) {
      expect(await codeOf(exchange(emulator, ['--pending', file], pasted)), JSON.stringify(pasted.slice(0, 30))).toBe('PASTE_INVALID')
    }
    expect(existsSync(file)).toBe(true)
    expect(tokenRequests(emulator)).toBe(0)
  })

  test('FILE written for another configuration, open to others, a symlink, or not ours: refused before anything is read or sent', async ({ emulator }) => {
    const dir = emptyDir()
    const { file } = await authorize(emulator, dir)
    expect(await codeOf(exchange(emulator, ['--pending', file], 'x', { env: { SF_SCOPE: 'api' } }))).toBe('PENDING_CONFIG_MISMATCH')
    chmodSync(file, 0o644)
    expect(await codeOf(exchange(emulator, ['--pending', file], 'x'))).toBe('PENDING_INVALID')
    chmodSync(file, 0o600)
    const link = join(dir, 'link.json')
    symlinkSync(file, link)
    expect(await codeOf(exchange(emulator, ['--pending', link], 'x'))).toBe('PENDING_INVALID')
    const junk = join(dir, 'junk.json')
    writeFileSync(junk, '{"version":1}', { mode: 0o600 })
    expect(await codeOf(exchange(emulator, ['--pending', junk], 'x'))).toBe('PENDING_INVALID')
    expect(await codeOf(exchange(emulator, [], 'x'))).toBe('USAGE_INVALID')
    expect(await codeOf(authorizeUrlCommand([], capture(), loader(personEnv(emulator, REDIRECT))))).toBe('USAGE_INVALID')
    expect(await codeOf(authorizeUrlCommand(['--pending', join(dir, 'p')], capture(), loader({})))).toBe('USAGE_INVALID')
  })
})

test.describe('the small parsers', () => {
  test('readPasted: a URL at the redirect URI, or a code; quotes a terminal added are dropped', () => {
    const r = 'http://localhost:1717/OauthRedirect'
    expect(readPasted(`"${r}?code=aPrx1234567890123456789012%3D%3D&state=s"\n`, r)).toEqual({ kind: 'url', url: `${r}?code=aPrx1234567890123456789012%3D%3D&state=s` })
    expect(readPasted('aPrx1234567890123456789012==', r)).toEqual({ kind: 'code', code: 'aPrx1234567890123456789012==' })
    for (const bad of ['http://evil.example/?code=x&state=s', 'short', `${r}?code=a&state=s ${r}?code=a&state=s`]) {
      expect(() => readPasted(bad, r), bad).toThrow(expect.objectContaining({ code: 'PASTE_INVALID' }))
    }
  })

  test('--open-with is split into words without a shell; --wait takes seconds or minutes', () => {
    expect(splitCommand(`node "/path with space/person.mjs" --x 'a b'`)).toEqual(['node', '/path with space/person.mjs', '--x', 'a b'])
    expect(splitCommand('firefox $(rm -rf ~)')).toEqual(['firefox', '$(rm', '-rf', '~)'])
    expect(splitCommand('   ')).toBeUndefined()
    expect(splitCommand('"open')).toBeUndefined()
    expect(parseWait(undefined)).toBe(300_000)
    expect(parseWait('90')).toBe(90_000)
    expect(parseWait('90s')).toBe(90_000)
    expect(parseWait('5m')).toBe(300_000)
    for (const bad of ['0', '0s', '61m', '1h', '-5', 'soon', '']) expect(() => parseWait(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE_INVALID' }))
  })
})
