/**
 * A person logs in (issue 13), as real processes: the emulator runs as its own process (as an org
 * would), sf-oauth runs from bin/ with no SF_USERNAME/SF_PASSWORD and a guard that fails it the moment it
 * resolves Playwright (tests/support/no-browser.mjs), and tests/support/person.mjs plays the person in a
 * headless Chromium of its own. Heavy: processes and browser launches. The logic is tested in process in
 * tests/cli/by-hand.spec.ts.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { emptyDir, runCli, startStandaloneEmulator, test as base, type CliResult, type StandaloneEmulator } from '../support/cli.js'
import { baseEnv } from '../support/env.js'
import { personOverHttp } from '../support/http-flow.js'
import { freePort, startSquatter } from '../support/squatter.js'

const PERSON = fileURLToPath(new URL('../support/person.mjs', import.meta.url))
const GUARD = fileURLToPath(new URL('../support/no-browser.mjs', import.meta.url))

interface Org extends StandaloneEmulator {
  /** A Callback URL of the app on a free loopback port (login listens there; for the paste path nothing does). */
  readonly redirect: string
  readonly user: { readonly username: string; readonly password: string }
  /** The person's configuration: login host, app and redirect URI; no SF_USERNAME, no SF_PASSWORD. */
  readonly personEnv: Record<string, string>
}

const test = base.extend<{ person: Org }>({
  person: async ({}, use) => {
    const redirect = `http://localhost:${await freePort()}/cb`
    const em = await startStandaloneEmulator(['--callback-url', redirect])
    const { SF_USERNAME: username = '', SF_PASSWORD: password = '', ...rest } = em.env
    await use(Object.assign(em, { redirect, user: { username, password }, personEnv: { ...rest, SF_REDIRECT_URI: redirect } }))
    await em.stop()
  },
})

/** sf-oauth from bin/, Playwright guarded off, `input` on stdin. */
function sfOauth(args: string[], env: Record<string, string>, cwd: string, input = ''): Promise<CliResult> {
  return runCli(args, { env: { ...env, NODE_OPTIONS: `--import=${GUARD}` }, cwd, input })
}

/** person.mjs on its own: logs in at `url` and prints the callback URL (answered inside its browser). */
function personCatching(url: string, org: Org): Promise<string> {
  const child = spawn(process.execPath, [PERSON, url], { env: baseEnv({ PERSON_USERNAME: org.user.username, PERSON_PASSWORD: org.user.password, PERSON_CATCH: org.redirect }), stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`person.mjs exited ${code}`)))))
}

test.describe('a person logs in, sf-oauth does the rest: real processes', () => {
  test.setTimeout(120_000)

  test('login --open-with a script that logs in in Chromium: checked refresh token, exit 0, no password, no Playwright in sf-oauth', async ({ person }) => {
    const dir = emptyDir()
    const report = join(dir, 'page.txt')
    const r = await sfOauth(['login', '--open-with', `"${process.execPath}" "${PERSON}"`, '--wait', '90s', '--save', 'tokens.json'], { ...person.personEnv, PERSON_USERNAME: person.user.username, PERSON_PASSWORD: person.user.password, PERSON_REPORT: report }, dir)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/check refresh_token +present/)
    expect(r.stdout).toMatch(/^ok: 15 checks \(0 warnings\)/m)
    await expect.poll(() => existsSync(report)).toBe(true)
    expect(readFileSync(report, 'utf8')).toContain('Authorization received')
    const saved = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as { username: string; refreshToken: string | null }
    expect(saved.username).toBe(person.user.username)
    expect(saved.refreshToken).not.toBeNull()
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600)
    expect(r.stdout + r.stderr).not.toContain(person.user.password)
  })

  test('login, and the person clicks Deny: the browser names the error and its meaning; AUTHORIZE_ACCESS_DENIED, exit 1', async ({ person }) => {
    const dir = emptyDir()
    const report = join(dir, 'page.txt')
    const r = await sfOauth(['login', '--open-with', `"${process.execPath}" "${PERSON}"`, '--wait', '90s'], { ...person.personEnv, PERSON_USERNAME: person.user.username, PERSON_PASSWORD: person.user.password, PERSON_DECISION: 'deny', PERSON_REPORT: report }, dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('✗ AUTHORIZE_ACCESS_DENIED:')
    // sf-oauth does not wait for the opener: the person's browser may still be reading the page.
    await expect.poll(() => existsSync(report)).toBe(true)
    expect(readFileSync(report, 'utf8')).toMatch(/Salesforce refused the authorization\nAUTHORIZE_ACCESS_DENIED: .*clicked Deny/)
    expect((await person.state()).counts.tokenRequests).toBe(0)
  })

  test('authorize-url, a browser, then exchange with the redirected URL piped in: checked refresh token, exit 0, FILE gone', async ({ person }) => {
    const dir = emptyDir()
    const au = await sfOauth(['authorize-url', '--pending', 'pending.json'], person.personEnv, dir)
    expect(au.code).toBe(0)
    const lines = au.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(statSync(join(dir, 'pending.json')).mode & 0o777).toBe(0o600)
    const callback = await personCatching(lines[0] ?? '', person)
    expect(callback.startsWith(`${person.redirect}?code=`)).toBe(true)
    const ex = await sfOauth(['exchange', '--pending', 'pending.json', '--sfdx-url', 'auth.txt'], person.personEnv, dir, `${callback}\n`)
    expect(ex.stderr).toBe('')
    expect(ex.code).toBe(0)
    expect(ex.stdout).toMatch(/check refresh_token +present/)
    expect(existsSync(join(dir, 'pending.json'))).toBe(false)
    expect(readFileSync(join(dir, 'auth.txt'), 'utf8')).toMatch(/^force:\/\//)
    // Pasted again: the code is spent and FILE gone.
    const again = await sfOauth(['exchange', '--pending', 'pending.json'], person.personEnv, dir, callback)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('✗ PENDING_GONE:')
  })

  test('the paste path\'s failures as processes: a foreign state, the emulator\'s clock, the file\'s time (the person over HTTP)', async ({ person }) => {
    const dir = emptyDir()
    const authorize = async (name: string) => (await sfOauth(['authorize-url', '--pending', name], person.personEnv, dir)).stdout.trim()
    const urlA = await authorize('a.json')
    const urlB = await authorize('b.json')
    const cbA = await personOverHttp(urlA, person.user)
    // A's URL pasted for B: another authorize request.
    const foreign = await sfOauth(['exchange', '--pending', 'b.json'], person.personEnv, dir, cbA)
    expect([foreign.code, foreign.stderr.split(':')[0]]).toEqual([1, '✗ PASTE_OTHER_REQUEST'])
    expect(existsSync(join(dir, 'b.json'))).toBe(true)
    // B's file made 16 minutes old: refused before anything is sent.
    const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as Record<string, string>
    const past = Date.now() - 16 * 60_000
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...b, createdAt: new Date(past).toISOString(), expiresAt: new Date(past + 15 * 60_000).toISOString() }), { mode: 0o600 })
    const cbB = await personOverHttp(urlB, person.user)
    const old = await sfOauth(['exchange', '--pending', 'b.json'], person.personEnv, dir, cbB)
    expect([old.code, old.stderr.split(':')[0]]).toEqual([1, '✗ PENDING_EXPIRED'])
    expect((await person.state()).counts.tokenRequests).toBe(0)
    // A's file is fresh, but the emulator's clock moved past the code's 15 minutes.
    await person.control('clock', { advanceMs: 15 * 60_000 + 1 })
    const late = await sfOauth(['exchange', '--pending', 'a.json'], person.personEnv, dir, cbA)
    expect([late.code, late.stderr.split(':')[0]]).toEqual([1, '✗ TOKEN_CODE_EXPIRED'])
  })

  test('login on a taken port: PORT_IN_USE, exit 3, nothing opened', async ({ person }) => {
    const squatter = await startSquatter()
    try {
      const redirect = `http://localhost:${squatter.port}/cb`
      const dir = emptyDir()
      const r = await sfOauth(['login', '--open-with', `"${process.execPath}" -e "require('fs').writeFileSync('opened', '')"`], { ...person.personEnv, SF_REDIRECT_URI: redirect }, dir)
      expect([r.code, r.stderr.split(':')[0]]).toEqual([3, '✗ PORT_IN_USE'])
      expect(existsSync(join(dir, 'opened'))).toBe(false)
      expect(squatter.connections).toBe(1)
    } finally {
      await squatter.close()
    }
  })
})
