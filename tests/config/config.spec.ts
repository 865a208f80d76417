import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { DEFAULT_REDIRECT_URI, DEFAULT_SCOPE, loadConfig, type Env } from '../../src/config.js'
import { ConfigError } from '../../src/errors.js'

function problems(env: Env): { key: string; problem: string; fix: string }[] {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).code).toBe('CONFIG_INVALID')
    expect((err as ConfigError).exitCode).toBe(2)
    return [...(err as ConfigError).problems]
  }
  throw new Error('expected a ConfigError')
}

const ORG = { SF_LOGIN_URL: 'https://login.salesforce.com', SF_CLIENT_ID: '3MVG9x', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-fake' }

test('no variables: the embedded emulator with documented defaults', () => {
  const c = loadConfig({})
  expect(c.loginUrl).toBeUndefined()
  expect(c.redirectUri).toBe(DEFAULT_REDIRECT_URI)
  expect(c.scope).toBe(DEFAULT_SCOPE)
  expect(c.pkce).toBe(true)
  expect(c.headless).toBe(true)
  expect(c.timeoutMs).toBe(30_000)
  expect(Object.isFrozen(c)).toBe(true)
})

test('an org: login URL normalised, booleans and numbers parsed', () => {
  const c = loadConfig({ ...ORG, SF_LOGIN_URL: 'https://acme.my.salesforce.com/', SF_PKCE: 'false', SF_HEADLESS: 'off', SF_TIMEOUT_MS: '5000', SF_SCOPE: ' api   offline_access ' })
  expect(c.loginUrl).toBe('https://acme.my.salesforce.com')
  expect(c.pkce).toBe(false)
  expect(c.headless).toBe(false)
  expect(c.timeoutMs).toBe(5000)
  expect(c.scope).toBe('api offline_access')
})

test('every bad key is reported at once, each with a fix', () => {
  const p = problems({ SF_LOGIN_URL: 'https://login.salesforce.com', SF_PKCE: 'maybe', SF_TIMEOUT_MS: 'soon', SF_SCOPE: 'api,refresh_token', SF_REDIRECT_URI: 'http://localhost:1717/cb#frag', SF_HEADLESS: '' })
  expect(p.map((x) => x.key).sort()).toEqual(['SF_CLIENT_ID', 'SF_HEADLESS', 'SF_PASSWORD', 'SF_PKCE', 'SF_REDIRECT_URI', 'SF_SCOPE', 'SF_TIMEOUT_MS', 'SF_USERNAME'])
  for (const x of p) expect(x.fix.length).toBeGreaterThan(5)
})

test('http:// login URL is refused up front with the reason', () => {
  const [p] = problems({ ...ORG, SF_LOGIN_URL: 'http://login.salesforce.com' })
  expect(p?.key).toBe('SF_LOGIN_URL')
  expect(p?.fix).toContain('grant type not supported')
  expect(p?.fix).toContain('https://login.salesforce.com')
  // Loopback http is fine: the emulator started as its own process.
  expect(loadConfig({ ...ORG, SF_LOGIN_URL: 'http://127.0.0.1:4567' }).loginUrl).toBe('http://127.0.0.1:4567')
})

test('malformed values', () => {
  expect(problems({ SF_LOGIN_URL: 'login.salesforce.com', SF_CLIENT_ID: 'a', SF_USERNAME: 'u', SF_PASSWORD: 'p' })[0]?.key).toBe('SF_LOGIN_URL')
  expect(problems({ ...ORG, SF_LOGIN_URL: 'https://login.salesforce.com/?x=1' })[0]?.problem).toContain('query')
  expect(problems({ ...ORG, SF_LOGIN_URL: 'ftp://login.salesforce.com' })[0]?.key).toBe('SF_LOGIN_URL')
  expect(problems({ SF_TIMEOUT_MS: '50' })[0]?.key).toBe('SF_TIMEOUT_MS')
  expect(problems({ SF_TIMEOUT_MS: '1e4' })[0]?.key).toBe('SF_TIMEOUT_MS')
  expect(problems({ SF_REDIRECT_URI: 'not a url' })[0]?.key).toBe('SF_REDIRECT_URI')
  expect(problems({ SF_CLIENT_ID: '3MVG9 abc' })[0]?.key).toBe('SF_CLIENT_ID')
  expect(problems({ SF_TOTP_SECRET: 'not-base32!' })[0]?.key).toBe('SF_TOTP_SECRET')
  expect(problems({ SF_PASSWORD: '   ' })[0]?.problem).toBe('is empty')
})

test('the message is one line naming the first key and its fix, and counting the rest', () => {
  // toThrow fails when nothing is thrown (an assertion inside `catch` would not run at all).
  expect(() => loadConfig({ SF_PKCE: 'maybe', SF_TIMEOUT_MS: 'x' })).toThrow(/^SF_TIMEOUT_MS is "x", not a whole number of milliseconds: use e\.g\. 30000 \(\+1 more: SF_PKCE\)$/)
  expect(problems({ SF_PKCE: 'maybe', SF_TIMEOUT_MS: 'x' }).map((p) => p.key)).toEqual(['SF_TIMEOUT_MS', 'SF_PKCE'])
})
