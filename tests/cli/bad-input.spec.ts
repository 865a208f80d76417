/**
 * Bad input, one test per case: bad config, bad CLI arguments, a bad targets file, bad server answers
 * and a browser that never reaches the callback. Each asserts the error code and the exit code, a
 * one-line message naming the field and the fix, no stack trace, and no file written or overwritten.
 * In process (main with the case's env only); paths are the case's names inside a fresh directory.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright'
import { emptyDir, expect, type Org, runMain, test } from '../support/cli-main.js'
import type { HttpFlowFixture } from '../support/test.js'

interface Case {
  readonly name: string
  readonly args: string[]
  readonly env?: Record<string, string>
  /** Files to create in the working directory first (name → content). */
  readonly files?: Record<string, string>
  /** tokens.json holds a token set saved from a real flow (the refresh cases), not a sentinel. */
  readonly saved?: true
  /** A fault to switch on in the worker's emulator (cases that reach Salesforce). */
  readonly fault?: Record<string, unknown>
  readonly code: string
  readonly exit: number
  /** Substrings the message must contain: the field, and the fix. */
  readonly says: string[]
}

const SENTINEL = 'SENTINEL: must survive a failed run'
const ORG = { SF_LOGIN_URL: 'https://login.salesforce.com', SF_CLIENT_ID: '3MVG9fake', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-fake-123' }
const target = (t: Record<string, unknown>) => JSON.stringify({ targets: [{ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_APP_ID', ...t }] })

const CASES: Case[] = [
  // Config
  { name: 'http login URL', args: ['flow', '--save', 'tokens.json'], env: { ...ORG, SF_LOGIN_URL: 'http://login.salesforce.com' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_LOGIN_URL', 'https://login.salesforce.com', 'grant type not supported'] },
  { name: 'login URL not a URL', args: ['flow'], env: { ...ORG, SF_LOGIN_URL: 'login.salesforce.com' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_LOGIN_URL', 'not a URL', 'https://'] },
  { name: 'client id missing with an org', args: ['flow'], env: { SF_LOGIN_URL: ORG.SF_LOGIN_URL, SF_USERNAME: 'u@example.com', SF_PASSWORD: 'x-1234' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_CLIENT_ID', 'consumer key'] },
  { name: 'empty client id', args: ['flow'], env: { ...ORG, SF_CLIENT_ID: '' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_CLIENT_ID is empty', 'set a value'] },
  { name: 'redirect URI with a fragment', args: ['flow'], env: { SF_REDIRECT_URI: 'http://localhost:1717/OauthRedirect#x' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_REDIRECT_URI', 'fragment', 'RFC 6749'] },
  { name: 'non-numeric timeout', args: ['flow'], env: { SF_TIMEOUT_MS: 'soon' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_TIMEOUT_MS', 'e.g. 30000'] },
  { name: 'timeout out of range', args: ['flow'], env: { SF_TIMEOUT_MS: '10' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_TIMEOUT_MS', '100 to 600000'] },
  { name: 'PKCE not a boolean', args: ['flow'], env: { SF_PKCE: 'maybe' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_PKCE', 'true or false'] },
  { name: 'headless not a boolean', args: ['flow'], env: { SF_HEADLESS: 'perhaps' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_HEADLESS', 'true or false'] },
  { name: 'scope with commas', args: ['flow'], env: { SF_SCOPE: 'api,refresh_token' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_SCOPE', 'spaces'] },
  { name: 'TOTP secret not base32', args: ['flow'], env: { SF_TOTP_SECRET: 'not base32!' }, code: 'CONFIG_INVALID', exit: 2, says: ['SF_TOTP_SECRET', 'base32'] },
  { name: 'browser path that does not exist', args: ['flow', '--save', 'tokens.json'], env: { SF_BROWSER_PATH: '/nonexistent/chromium' }, code: 'BROWSER_NOT_FOUND', exit: 3, says: ['SF_BROWSER_PATH', '/nonexistent/chromium', 'npx sf-oauth setup'] },
  // CLI arguments
  { name: 'unknown command', args: ['flwo'], code: 'USAGE_INVALID', exit: 2, says: ['"flwo"', 'sf-oauth --help'] },
  { name: 'unknown option', args: ['flow', '--nope'], code: 'USAGE_INVALID', exit: 2, says: ['--nope', 'sf-oauth flow --help'] },
  { name: '--save without a value', args: ['flow', '--save'], code: 'USAGE_INVALID', exit: 2, says: ['--save', 'sf-oauth flow --help'] },
  { name: '--save into a missing directory', args: ['flow', '--save', 'no/such/dir/t.json'], code: 'USAGE_INVALID', exit: 2, says: ['--save', 'does not exist', 'create it'] },
  { name: '--save onto a directory', args: ['flow', '--save', 'adir'], files: { 'adir/.keep': '' }, code: 'USAGE_INVALID', exit: 2, says: ['--save', 'is a directory', 'file name'] },
  { name: '--save with --deny', args: ['flow', '--save', 'tokens.json', '--deny'], code: 'USAGE_INVALID', exit: 2, says: ['--save', '--deny'] },
  { name: 'emulator port not a number', args: ['emulator', '--port', 'abc'], code: 'USAGE_INVALID', exit: 2, says: ['--port', '0 to 65535'] },
  { name: 'emulator port out of range', args: ['emulator', '--port', '70000'], code: 'USAGE_INVALID', exit: 2, says: ['--port', '0 to 65535'] },
  { name: 'refresh without --file', args: ['refresh'], code: 'USAGE_INVALID', exit: 2, says: ['--file', 'flow --save'] },
  { name: 'refresh of a missing token file', args: ['refresh', '--file', 'missing.json'], code: 'USAGE_INVALID', exit: 2, says: ['missing.json', 'flow --save'] },
  { name: 'refresh of a token file that is not JSON', args: ['refresh', '--file', 'tokens.json'], code: 'TOKEN_FILE_INVALID', exit: 2, says: ['tokens.json', 'not JSON', 'save it again'] },
  { name: 'check without --targets', args: ['check'], code: 'USAGE_INVALID', exit: 2, says: ['--targets', 'schema'] },
  { name: 'check concurrency 0', args: ['check', '--targets', 't.json', '--concurrency', '0'], code: 'USAGE_INVALID', exit: 2, says: ['--concurrency', '1 to 32'] },
  // Targets file
  { name: 'targets file not JSON', args: ['check', '--targets', 't.json'], files: { 't.json': '{"targets": [' }, code: 'CONFIG_INVALID', exit: 2, says: ['targets file', 'not valid JSON', 'schema'] },
  { name: 'targets file without targets', args: ['check', '--targets', 't.json'], files: { 't.json': '{"targets": []}' }, code: 'CONFIG_INVALID', exit: 2, says: ['targets', 'at least one target'] },
  { name: 'inline client secret', args: ['check', '--targets', 't.json'], env: { SF_APP_ID: 'x' }, files: { 't.json': target({ clientSecret: 'inline-secret-value' }) }, code: 'CONFIG_INVALID', exit: 2, says: ['clientSecret', 'is inline', 'clientSecretEnv'] },
  { name: 'target with an http login URL', args: ['check', '--targets', 't.json'], env: { SF_APP_ID: 'x' }, files: { 't.json': target({ loginUrl: 'http://test.salesforce.com' }) }, code: 'CONFIG_INVALID', exit: 2, says: ['loginUrl', 'https://'] },
  { name: 'duplicate target names', args: ['check', '--targets', 't.json'], env: { SF_APP_ID: 'x' }, files: { 't.json': JSON.stringify({ targets: [{ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_APP_ID' }, { name: 'a', loginUrl: 'https://test.salesforce.com', clientIdEnv: 'SF_APP_ID' }] }) }, code: 'CONFIG_INVALID', exit: 2, says: ['name', 'used twice'] },
  { name: 'target names an unset variable', args: ['check', '--targets', 't.json'], files: { 't.json': target({}) }, code: 'CONFIG_INVALID', exit: 2, says: ['clientIdEnv', 'SF_APP_ID', 'export SF_APP_ID'] },
  { name: 'unknown key in a target', args: ['check', '--targets', 't.json'], env: { SF_APP_ID: 'x' }, files: { 't.json': target({ loginURL: 'https://x' }) }, code: 'CONFIG_INVALID', exit: 2, says: ['loginURL', 'not a known key'] },
  // Bad server answers (the worker's emulator as the org, a fault on its token endpoint): the code exchange
  // of a flow, or the refresh of a saved token set, whose file must come out byte for byte the same; the
  // same answer processing serves both grants (src/client/operations.ts). A refresh answer that carries a
  // refresh token is stored even when a field is bad (the server may have rotated: lose nothing, see
  // tests/scenarios/misbehaviour.spec.ts), so those faults are flows here.
  { name: 'HTML instead of JSON', args: ['flow', '--save', 'tokens.json'], fault: { fault: 'html' }, code: 'RESPONSE_NOT_JSON', exit: 1, says: ['text/html', 'SF_LOGIN_URL'] },
  { name: 'an empty body', args: ['refresh', '--file', 'tokens.json'], saved: true, fault: { fault: 'empty' }, code: 'RESPONSE_EMPTY', exit: 1, says: ['empty body', 'SF_LOGIN_URL'] },
  { name: 'truncated JSON', args: ['refresh', '--file', 'tokens.json'], saved: true, fault: { fault: 'malformed-json' }, code: 'RESPONSE_MALFORMED_JSON', exit: 1, says: ['truncated JSON', '--record'] },
  { name: 'wrong field types', args: ['flow', '--save', 'tokens.json'], fault: { fault: 'wrong-types' }, code: 'RESPONSE_FIELD_TYPE', exit: 1, says: ['"issued_at"', 'string'] },
  { name: 'missing fields', args: ['flow', '--save', 'tokens.json'], fault: { fault: 'missing-fields' }, code: 'RESPONSE_FIELD_MISSING', exit: 1, says: ['"signature"', 'SF_LOGIN_URL'] },
  { name: 'a 20 MB body', args: ['refresh', '--file', 'tokens.json'], saved: true, fault: { fault: 'huge' }, code: 'RESPONSE_TOO_LARGE', exit: 1, says: ['/services/oauth2/token', 'SF_LOGIN_URL'] },
  { name: 'an unexpected status', args: ['refresh', '--file', 'tokens.json'], saved: true, fault: { fault: 'teapot' }, code: 'HTTP_STATUS_UNEXPECTED', exit: 1, says: ['HTTP 418', 'SF_LOGIN_URL'] },
  { name: 'a redirect loop', args: ['refresh', '--file', 'tokens.json'], saved: true, fault: { fault: 'redirect-loop' }, code: 'UNEXPECTED_REDIRECT', exit: 1, says: ['HTTP 302', 'SF_LOGIN_URL'] },
  { name: 'a browser that never reaches the callback', args: ['flow', '--save', 'tokens.json'], env: { SF_TIMEOUT_MS: '2000' }, fault: { fault: 'slow', tokenDelayMs: 15_000, faultPaths: ['/setup/secur/RemoteAccessAuthorizationPage.apexp'] }, code: 'CALLBACK_TIMEOUT', exit: 3, says: ['SF_REDIRECT_URI', 'SF_TIMEOUT_MS', '--headed'] },
]

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
}

/** Options whose value is a path: given as a name inside the case's directory. */
const PATH_OPTIONS = new Set(['--save', '--file', '--targets'])

async function runCase(c: Case, org: Org | undefined, browser: Browser | undefined, httpFlow?: HttpFlowFixture): Promise<void> {
  {
    {
      const dir = emptyDir()
      if (c.saved === true && httpFlow !== undefined) await httpFlow.saveTo(join(dir, 'tokens.json'))
      else writeFileSync(join(dir, 'tokens.json'), SENTINEL, { mode: 0o600 })
      const kept = readFileSync(join(dir, 'tokens.json'), 'utf8')
      for (const [name, content] of Object.entries(c.files ?? {})) {
        mkdirSync(join(dir, name, '..'), { recursive: true })
        writeFileSync(join(dir, name), content)
      }
      const before = listing(dir)
      let env = c.env ?? {}
      if (c.fault !== undefined && org !== undefined) {
        await org.control('configure', c.fault)
        env = { ...org.env, ...env }
      }
      const args = c.args.map((a, i) => (i > 0 && PATH_OPTIONS.has(c.args[i - 1] ?? '') ? join(dir, a) : a))
      const r = await runMain(args, { env, browser })
      expect(r.code).toBe(c.exit)
      const line = r.stderr.trimEnd()
      expect(line.split('\n')).toHaveLength(1)
      expect(line).toMatch(new RegExp(`^✗ ${c.code}: `))
      for (const s of c.says) expect(line).toContain(s)
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+/)
      expect(listing(dir)).toEqual(before)
      expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(kept)
    }
  }
}

test.describe('bad input', () => {
  for (const c of CASES) {
    // Only the server-answer cases use the emulator and the worker's browser (fixtures are lazy).
    if (c.fault === undefined) test(c.name, async () => runCase(c, undefined, undefined))
    else if (c.saved === true) test(c.name, async ({ org, httpFlow }) => runCase(c, org, undefined, httpFlow))
    else test(c.name, { tag: '@browser' }, async ({ org, browser }) => runCase(c, org, browser))
  }
})

test('there are at least 30 cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30)
})
