/**
 * Output files: every path is checked before any browser or network work (exit 2), outputs may not
 * collide, nothing is written through a symlink, and what is written is 0600 in 0700 directories
 * whatever the umask. In process through the command functions where the outcome is an error; as a
 * subprocess where exiting (or the umask) is the point.
 *
 * The configs name a browser that does not exist: a command that got as far as the browser would fail
 * with BROWSER_NOT_FOUND, so each expected usage code also proves the check came first.
 */
import { spawn } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import type { Env } from '../../src/config.js'
import { flowCommand } from '../../src/cli/commands/flow.js'
import { refreshCommand } from '../../src/cli/commands/refresh.js'
import type { Io } from '../../src/cli/output.js'
import { BIN, emptyDir, runCli, test } from '../support/cli.js'
import { runMainIn } from '../support/cli-main.js'
import { baseEnv } from '../support/env.js'

const NO_BROWSER = { SF_BROWSER_PATH: '/nonexistent/chromium' }
const ORG = { SF_LOGIN_URL: 'https://login.salesforce.com', SF_CLIENT_ID: '3MVG9fake', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-fake-123', ...NO_BROWSER }
const SENTINEL = 'SENTINEL: must survive'

const io: Io = { stdout: () => undefined, stderr: () => undefined }
const config = (env: Env = {}) => ({ env: { ...ORG, ...env } })
const mode = (p: string) => statSync(p).mode & 0o777

/** A saved token set (never sent anywhere in these tests). */
function tokenFile(dir: string, name = 'tokens.json'): string {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify({ version: 1, loginUrl: 'https://login.salesforce.com', clientId: '3MVG9fake', username: 'u@example.com', instanceUrl: 'https://na1.salesforce.com', id: 'https://login.salesforce.com/id/00D/005', orgId: '00D', userId: '005', scope: 'api refresh_token', issuedAt: '1', accessToken: '00Dfake!x', refreshToken: '5Aepfake', savedAt: '2020-01-01T00:00:00Z' }), { mode: 0o600 })
  return file
}

test.describe('flow: outputs checked before the browser starts', () => {
  const cases: { name: string; args: (dir: string) => string[]; env?: (dir: string) => Env; code: string; says: string }[] = [
    { name: '--save ""', args: () => ['--save', ''], code: 'USAGE_INVALID', says: '--save is empty' },
    { name: '--sfdx-url ""', args: () => ['--sfdx-url', ''], code: 'USAGE_INVALID', says: '--sfdx-url is empty' },
    { name: '--postman ""', args: () => ['--postman', ''], code: 'USAGE_INVALID', says: '--postman is empty' },
    { name: 'SF_BROWSER_STATE in a missing directory', args: () => [], env: (d) => ({ SF_BROWSER_STATE: join(d, 'no', 'state.json') }), code: 'USAGE_INVALID', says: 'SF_BROWSER_STATE' },
    { name: '--sfdx-url with a scope that yields no refresh token', args: (d) => ['--sfdx-url', join(d, 'auth.txt')], env: () => ({ SF_SCOPE: 'api id' }), code: 'USAGE_INVALID', says: 'SF_SCOPE "api id" asks for none' },
    { name: '--save X --postman X', args: (d) => ['--save', join(d, 'x.json'), '--postman', join(d, 'x.json')], code: 'OUTPUT_COLLISION', says: 'is the same file as --save' },
    { name: '--save X --sfdx-url ./sub/../X', args: (d) => ['--save', join(d, 'x.json'), '--sfdx-url', join(d, 'sub', '..', 'x.json')], code: 'OUTPUT_COLLISION', says: 'same file' },
    { name: '--save X with SF_BROWSER_STATE=X', args: (d) => ['--save', join(d, 'x.json')], env: (d) => ({ SF_BROWSER_STATE: join(d, 'x.json') }), code: 'OUTPUT_COLLISION', says: 'SF_BROWSER_STATE' },
    { name: '--record onto an existing file', args: (d) => ['--record', join(d, 'tokens.json')], code: 'USAGE_INVALID', says: 'is not a directory' },
    { name: '--save onto a symlink', args: (d) => ['--save', join(d, 'link.json')], code: 'OUTPUT_SYMLINK', says: 'symbolic link' },
  ]
  for (const c of cases) {
    test(c.name, async () => {
      const dir = emptyDir()
      mkdirSync(join(dir, 'sub'))
      writeFileSync(join(dir, 'tokens.json'), SENTINEL)
      symlinkSync(join(dir, 'tokens.json'), join(dir, 'link.json'))
      const before = readdirSync(dir).sort()
      const err = await flowCommand(c.args(dir), io, config(c.env?.(dir))).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: c.code, exitCode: 2 })
      expect((err as Error).message).toContain(c.says)
      expect(readdirSync(dir).sort()).toEqual(before)
      expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(SENTINEL)
    })
  }
})

test('flow --record DIR: a symlink at DIR/transcript.json is refused before the run, its target untouched', async () => {
  const dir = emptyDir()
  const rec = join(dir, 'rec')
  mkdirSync(rec)
  writeFileSync(join(dir, 'victim'), SENTINEL)
  symlinkSync(join(dir, 'victim'), join(rec, 'transcript.json'))
  await expect(flowCommand(['--record', rec], io, config())).rejects.toMatchObject({ code: 'OUTPUT_SYMLINK', exitCode: 2 })
  expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe(SENTINEL)
  expect(lstatSync(join(rec, 'transcript.json')).isSymbolicLink()).toBe(true)
})

test('flow --record DIR where DIR is a symlink: refused', async () => {
  const dir = emptyDir()
  mkdirSync(join(dir, 'real'))
  symlinkSync(join(dir, 'real'), join(dir, 'rec'))
  await expect(flowCommand(['--record', join(dir, 'rec')], io, config())).rejects.toMatchObject({ code: 'OUTPUT_SYMLINK' })
  expect(readdirSync(join(dir, 'real'))).toEqual([])
})

test('flow --record <existing file> with the embedded emulator exits at once with code 2', async () => {
  const dir = emptyDir()
  writeFileSync(join(dir, 'afile'), SENTINEL)
  // No SF_LOGIN_URL: the embedded emulator. The old code started it, then failed on mkdir and never exited.
  const r = await runCli(['flow', '--record', 'afile'], { cwd: dir })
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(/^✗ USAGE_INVALID: --record afile exists and is not a directory/)
  expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe(SENTINEL)
})

test('refresh --file F --sfdx-url F (or --postman F) is refused; the token file stays', async () => {
  const dir = emptyDir()
  const file = tokenFile(dir)
  const saved = readFileSync(file, 'utf8')
  await expect(refreshCommand(['--file', file, '--sfdx-url', file], io, config())).rejects.toMatchObject({ code: 'OUTPUT_COLLISION', exitCode: 2 })
  await expect(refreshCommand(['--file', file, '--postman', join(dir, '.', 'tokens.json')], io, config())).rejects.toMatchObject({ code: 'OUTPUT_COLLISION' })
  await expect(refreshCommand(['--file', file, '--sfdx-url', ''], io, config())).rejects.toMatchObject({ code: 'USAGE_INVALID' })
  expect(readFileSync(file, 'utf8')).toBe(saved)
})

test('check --junit "" and --junit onto the targets file or a token file are refused before any target runs', async () => {
  const dir = emptyDir()
  const text = JSON.stringify({ targets: [{ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_APP_ID', tokenFile: 'tokens.json' }] })
  writeFileSync(join(dir, 'targets.json'), text)
  const saved = readFileSync(tokenFile(dir), 'utf8')
  const env = { SF_APP_ID: '3MVG9fake' }
  const empty = await runMainIn(dir, ['check', '--targets', 'targets.json', '--junit', ''], { env })
  expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/^✗ USAGE_INVALID: --junit is empty/)])
  const onTargets = await runMainIn(dir, ['check', '--targets', 'targets.json', '--junit', 'targets.json'], { env })
  expect([onTargets.code, onTargets.stderr]).toEqual([2, expect.stringMatching(/^✗ OUTPUT_COLLISION: --junit targets.json is the same file as --targets/)])
  const onTokens = await runMainIn(dir, ['check', '--targets', 'targets.json', '--junit', './tokens.json'], { env })
  expect([onTokens.code, onTokens.stderr]).toEqual([2, expect.stringMatching(/^✗ OUTPUT_COLLISION: .*a\.tokenFile/)])
  expect(readFileSync(join(dir, 'targets.json'), 'utf8')).toBe(text)
  expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(saved)
})

test('check: a tokenFile in a missing directory fails that target with USAGE_INVALID naming the directory, not INTERNAL_ERROR', async () => {
  const dir = emptyDir()
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_APP_ID', tokenFile: 'no/such/tokens.json' }] }))
  const r = await runMainIn(dir, ['check', '--targets', 'targets.json', '--json'], { env: { SF_APP_ID: '3MVG9fake' } })
  expect(r.code).toBe(1)
  const out = JSON.parse(r.stdout) as { targets: { error?: { code: string; message: string } }[] }
  expect(out.targets[0]?.error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining(`the directory ${join(dir, 'no', 'such')} does not exist`) })
})

test('record --name ../x and a symlinked --out are refused; nothing is written outside --out', async () => {
  const dir = emptyDir()
  const env = ORG
  const escape = await runMainIn(dir, ['record', '--out', 'rec', '--name', '../x'], { env })
  expect(escape.code).toBe(2)
  expect(escape.stderr).toMatch(/^✗ USAGE_INVALID: --name "..\/x.json" is not a plain file name/)
  mkdirSync(join(dir, 'real'))
  symlinkSync(join(dir, 'real'), join(dir, 'linked'))
  const linked = await runMainIn(dir, ['record', '--out', 'linked'], { env })
  expect(linked.code).toBe(2)
  expect(linked.stderr).toMatch(/^✗ OUTPUT_SYMLINK: /)
  expect(readdirSync(dir).sort()).toEqual(['linked', 'real'])
  expect(readdirSync(join(dir, 'real'))).toEqual([])
})

test('record keeps the previous fixture when the run fails (it was replaced by [] before the run)', async () => {
  const dir = emptyDir()
  mkdirSync(join(dir, 'rec'))
  writeFileSync(join(dir, 'rec', 'web-server-flow.json'), '[{"previous": true}]\n')
  const r = await runMainIn(dir, ['record', '--out', 'rec'], { env: ORG })
  expect(r.code).toBe(3)
  expect(r.stderr).toMatch(/^✗ BROWSER_NOT_FOUND: /)
  expect(readFileSync(join(dir, 'rec', 'web-server-flow.json'), 'utf8')).toBe('[{"previous": true}]\n')
  expect(readdirSync(join(dir, 'rec'))).toEqual(['web-server-flow.json'])
})

test('under umask 000, flow --record DIR makes DIR 0700 and its files 0600', { tag: '@browser' }, async () => {
  test.setTimeout(90_000)
  const dir = emptyDir()
  // A wrong password: the flow fails in the browser, so the failure screenshot is written too.
  const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, BIN, 'flow', '--record', 'out/rec'], { cwd: dir, env: baseEnv({ SF_PASSWORD: 'not-the-password-1' }), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const code = await new Promise((r) => child.on('close', r))
  expect(code, stderr).toBe(1)
  const rec = join(dir, 'out', 'rec')
  expect([mode(join(dir, 'out')), mode(rec)]).toEqual([0o700, 0o700])
  expect(readdirSync(rec).sort()).toEqual(['failure-page.json', 'failure.png', 'flow.har', 'transcript.json'])
  for (const f of readdirSync(rec)) expect(mode(join(rec, f)), f).toBe(0o600)
  expect(existsSync(join(dir, 'out', 'rec', 'transcript.json'))).toBe(true)
})
