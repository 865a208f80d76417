/** Token endpoint failures (docs/salesforce-oauth.md §2.3, §2.5, §8), with a real code: the emulator's pages walked over HTTP (no page logic is under test here). */
import { codeOf, expect, test } from '../support/test.js'
import { authorizeOverHttpOnly, exchange } from '../support/steps.js'
import { createHttp } from '../../src/http/client.js'
import { exchangeCode } from '../../src/client/operations.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { redactor } from '../../src/redact.js'

test('a code older than 15 minutes (emulator clock): TOKEN_CODE_EXPIRED', async ({ httpFlow, emulator }) => {
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  emulator.app.clock.advance(15 * 60 * 1000 + 1)
  expect(await codeOf(exchange(emulator.url, httpFlow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_CODE_EXPIRED')
})

test('a code used twice: the second is TOKEN_CODE_EXPIRED', async ({ httpFlow, emulator }) => {
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  await exchange(emulator.url, httpFlow.target, a.callback, a.pkce.verifier)
  expect(await codeOf(exchange(emulator.url, httpFlow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_CODE_EXPIRED')
})

test('a wrong or missing verifier: TOKEN_INVALID_CODE_VERIFIER', async ({ httpFlow, emulator }) => {
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  expect(await codeOf(exchange(emulator.url, httpFlow.target, a.callback, `${a.pkce.verifier.slice(1)}x`))).toBe('TOKEN_INVALID_CODE_VERIFIER')
  const b = await authorizeOverHttpOnly(emulator, httpFlow.target)
  expect(await codeOf(exchange(emulator.url, httpFlow.target, b.callback, undefined))).toBe('TOKEN_INVALID_CODE_VERIFIER')
})

test('a redirect_uri other than the one sent to authorize: TOKEN_REDIRECT_URI_MISMATCH', async ({ httpFlow, emulator }) => {
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  // The token request carries the callback's redirect URI: a callback caught at another one sends that.
  const elsewhere = parseCallback(`http://localhost/?code=${encodeURIComponent(a.callback.code)}&state=s`, { redirectUri: 'http://localhost', state: 's' })
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    expect(await codeOf(exchangeCode({ http, secrets: redactor }, { ...httpFlow.target, loginUrl: emulator.url }, elsewhere, { verifier: a.pkce.verifier, expectRefreshToken: true }))).toBe('TOKEN_REDIRECT_URI_MISMATCH')
  } finally {
    await http.close()
  }
})

test('a code redeemed at the other host (sandbox vs production): TOKEN_AUTHENTICATION_FAILURE', async ({ httpFlow, emulator }) => {
  // Authorize at http://localhost:<port>, redeem at http://127.0.0.1:<port>: two hosts, one emulator.
  const other = emulator.url.replace('127.0.0.1', 'localhost')
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target, other)
  expect(await codeOf(exchange(emulator.url, httpFlow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_AUTHENTICATION_FAILURE')
})

test('a code issued to another app: TOKEN_AUTHENTICATION_FAILURE', async ({ httpFlow, emulator }) => {
  const other = { ...emulator.app.seed.app, clientId: '3MVG9ANOTHERFAKEAPP', clientSecret: 'another-fake-secret' }
  emulator.app.state.addApp(other)
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  expect(await codeOf(exchange(emulator.url, { ...httpFlow.target, clientId: other.clientId, clientSecret: other.clientSecret }, a.callback, a.pkce.verifier))).toBe('TOKEN_AUTHENTICATION_FAILURE')
})

test('an unknown client at the token endpoint: TOKEN_INVALID_CLIENT_ID', async ({ httpFlow, emulator }) => {
  const a = await authorizeOverHttpOnly(emulator, httpFlow.target)
  expect(await codeOf(exchange(emulator.url, { ...httpFlow.target, clientId: '3MVG9NOBODY' }, a.callback, a.pkce.verifier))).toBe('TOKEN_INVALID_CLIENT_ID')
})
