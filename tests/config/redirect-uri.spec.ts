/** SF_REDIRECT_URI: http only for loopback; https; custom schemes of mobile apps; reported with the rest. */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { loadConfig } from '../../src/config.js'
import { ConfigError } from '../../src/errors.js'
import { matchesRedirectUri } from '../../src/oauth/callback.js'

function problems(env: Record<string, string>): string[] {
  let err: unknown
  try {
    loadConfig(env)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(ConfigError)
  return (err as ConfigError).problems.map((p) => `${p.key} ${p.problem}`)
}

test('http:// is allowed only for loopback hosts', () => {
  for (const u of ['http://localhost:1717/OauthRedirect', 'http://127.0.0.1:1717/cb', 'http://[::1]:1717/cb']) expect(loadConfig({ SF_REDIRECT_URI: u }).redirectUri).toBe(u)
  expect(problems({ SF_REDIRECT_URI: 'http://callback.example.com/cb' })).toEqual(['SF_REDIRECT_URI uses http:// with the non-loopback host callback.example.com'])
})

test('the http problem is reported with the other problems, at once', () => {
  expect(problems({ SF_REDIRECT_URI: 'http://10.0.0.5:1717/cb', SF_PKCE: 'maybe' }).sort()).toEqual(['SF_PKCE is "maybe", not a boolean', 'SF_REDIRECT_URI uses http:// with the non-loopback host 10.0.0.5'])
})

test('https and custom schemes of mobile apps are allowed; schemes a browser runs are not', () => {
  for (const u of ['https://app.example.com/callback', 'com.example.app:/oauth2/callback', 'sfdc://success', 'myapp://callback']) expect(loadConfig({ SF_REDIRECT_URI: u }).redirectUri).toBe(u)
  for (const u of ['javascript:alert(1)', 'data:text/html,x', 'file:///tmp/cb', 'ftp://x/cb']) expect(problems({ SF_REDIRECT_URI: u })[0], u).toMatch(/^SF_REDIRECT_URI has scheme /)
})

test('a custom scheme callback matches only its own scheme (their origins are all "null")', () => {
  expect(matchesRedirectUri('com.example.app:/cb?code=x', 'com.example.app:/cb')).toBe(true)
  expect(matchesRedirectUri('other.app:/cb?code=x', 'com.example.app:/cb')).toBe(false)
  expect(matchesRedirectUri('myapp://evil/cb', 'myapp://good/cb')).toBe(false)
})

test('an unparseable SF_LOGIN_URL with credentials is not echoed', () => {
  let err: unknown
  try {
    loadConfig({ SF_LOGIN_URL: 'https://user:hunter2-x@:bad', SF_CLIENT_ID: 'x', SF_USERNAME: 'u', SF_PASSWORD: 'p' })
  } catch (e) {
    err = e
  }
  expect((err as Error).message).toContain('SF_LOGIN_URL is not a URL')
  expect(JSON.stringify((err as ConfigError).problems)).not.toContain('hunter2')
})
