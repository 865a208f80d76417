/**
 * Property-based: loadConfig and readEnv on arbitrary environments and .env files. Whatever the values,
 * the answer is a frozen config or one CONFIG_INVALID naming only variables the harness reads.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, test } from '@playwright/test'
import { DEFAULT_TIMEOUT_MS, loadConfig, readEnv, VARIABLES, type Env } from '../../src/config.js'
import { ConfigError } from '../../src/errors.js'
import { createHttp } from '../../src/http/client.js'
import { withEnv } from '../support/env.js'
import { SEED, typedOutcome } from '../support/properties.js'

const PROXIES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const
const KEYS = [...Object.keys(VARIABLES), ...PROXIES]

/** Values a careless or hostile user writes: URLs of every shape, numbers, booleans, blanks, any text. */
const value = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom('', ' ', '\t', 'true', 'off', 'maybe', '0', '100', '600001', '1e4', '-5', 'http://', 'https://[::1', 'http://u%zz:p@h:1', 'https://u:p@login.salesforce.com',
    'ftp://x', 'javascript:alert(1)', 'http://127.0.0.1:8080', 'http://localhost:1717/OauthRedirect', 'api,refresh_token', 'api refresh_token', 'JBSWY3DPEHPK3PXP', '__proto__', 'constructor'),
  fc.tuple(fc.constantFrom('http://', 'https://', 'HTTPS://', 'file://', ''), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
)

const env = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 12 })), fc.option(value, { nil: undefined }), { maxKeys: 12 })

test('any environment: a frozen config, or one CONFIG_INVALID listing only known variables, each with a fix', () => {
  fc.assert(fc.property(env, (e) => {
    const out = typedOutcome(() => loadConfig(e), ['CONFIG_INVALID'])
    if (out.ok) {
      assert.ok(Object.isFrozen(out.value))
      assert.ok(out.value.timeoutMs >= 100 && out.value.timeoutMs <= 600_000)
      // Accepted means usable: undici reads the proxy variables itself when the client is made.
      if (PROXIES.some((k) => e[k] !== undefined)) withProxyEnv(e, () => void createHttp({ timeoutMs: 1000 }).close())
      return
    }
    assert.ok(out.error instanceof ConfigError)
    assert.equal(out.error.exitCode, 2)
    const problems = out.error.problems
    assert.ok(problems.length > 0)
    for (const p of problems) {
      assert.ok(KEYS.includes(p.key), p.key)
      assert.ok(p.fix.length > 5)
    }
  }), { seed: SEED, numRuns: 2000 })
})

test('a valid org environment round-trips: login URL normalised, numbers and booleans as written', () => {
  const host = fc.domain()
  const org = fc.record({
    host,
    path: fc.constantFrom('', '/', '/sites/acme', '/a/b/'),
    timeout: fc.integer({ min: 100, max: 600_000 }),
    pkce: fc.boolean(),
    headless: fc.boolean(),
    clientId: fc.stringMatching(/^[A-Za-z0-9._]{1,40}$/),
    scope: fc.uniqueArray(fc.constantFrom('api', 'refresh_token', 'offline_access', 'openid', 'web', 'id', 'full'), { minLength: 1 }),
  })
  fc.assert(fc.property(org, (o) => {
    const c = loadConfig({
      SF_LOGIN_URL: `https://${o.host}${o.path}`, SF_CLIENT_ID: o.clientId, SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw',
      SF_TIMEOUT_MS: ` ${o.timeout} `, SF_PKCE: o.pkce ? 'TRUE' : 'no', SF_HEADLESS: o.headless ? 'on' : '0', SF_SCOPE: ` ${o.scope.join('  ')} `,
    })
    assert.equal(c.loginUrl, `https://${new URL(`https://${o.host}`).host}${o.path.replace(/\/+$/, '')}`)
    assert.equal(c.timeoutMs, o.timeout)
    assert.deepEqual([c.pkce, c.headless], [o.pkce, o.headless])
    assert.equal(c.scope, o.scope.join(' '))
    assert.equal(c.clientId, o.clientId)
  }), { seed: SEED, numRuns: 1000 })
})

test('any .env file: readEnv never throws, and what it read loads or is one CONFIG_INVALID', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-env-prop-'))
  const file = join(dir, '.env')
  const line = fc.oneof(
    fc.tuple(fc.constantFrom(...KEYS, '__proto__', 'export SF_SCOPE', '#SF_PKCE', ' SF_HEADLESS '), fc.constantFrom('=', ' = ', ':', '=\''), value).map(([k, eq, v]) => `${k}${eq}${v}`),
    fc.string({ unit: 'binary', maxLength: 60 }),
  )
  fc.assert(fc.property(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, nl) => {
    writeFileSync(file, lines.join(nl))
    const e = readEnv(file)
    typedOutcome(() => loadConfig(e), ['CONFIG_INVALID'])
  }), { seed: SEED, numRuns: 300 })
})

/** Run fn with exactly e's proxy variables in process.env (undici reads them there). */
function withProxyEnv(e: Env, fn: () => void): void {
  withEnv(Object.fromEntries(PROXIES.map((k) => [k, e[k]])), fn)
}

test('regression: an HTTPS_PROXY undici cannot use is a config problem naming it, not a TypeError later', () => {
  for (const [key, v] of [['HTTPS_PROXY', 'not a url'], ['https_proxy', 'http://u%zz:p@proxy:3128'], ['HTTP_PROXY', 'ftp://proxy'], ['http_proxy', 'http://proxy:3128/path?x']] as const) {
    let err: unknown
    try {
      loadConfig({ [key]: v })
    } catch (e) {
      err = e
    }
    expect(err, `${key}=${v}`).toBeInstanceOf(ConfigError)
    const problems = (err as ConfigError).problems
    expect(problems.map((p) => p.key)).toEqual([key])
    // A proxy URL may hold a password: never echoed.
    expect((err as ConfigError).message).not.toContain(v)
  }
  expect(loadConfig({ HTTPS_PROXY: 'http://user:pa%40ss@proxy.example:3128', NO_PROXY: 'localhost' }).proxy).toBe('http://user:pa%40ss@proxy.example:3128')
  expect(loadConfig({}).timeoutMs).toBe(DEFAULT_TIMEOUT_MS)
})

test('regression: a client made under an unusable proxy variable throws CONFIG_INVALID (replay reads no config)', () => {
  let err: unknown
  withProxyEnv({ https_proxy: 'http://[::1' }, () => {
    try {
      createHttp({ timeoutMs: 1000 })
    } catch (e) {
      err = e
    }
  })
  expect((err as { code?: string } | undefined)?.code).toBe('CONFIG_INVALID')
})

test('the environment is read as data: keys like __proto__ neither pollute nor crash', () => {
  const e: Env = JSON.parse('{"__proto__": {"SF_LOGIN_URL": "https://evil.example"}, "constructor": "x"}') as Env
  expect(loadConfig(e).loginUrl).toBeUndefined()
  expect(({} as Record<string, unknown>).SF_LOGIN_URL).toBeUndefined()
})
