/** Token endpoint failures (docs/salesforce-oauth.md §2.3, §2.5, §8), with a real code from the real browser. */
import { codeOf, expect, test } from '../support/test.js'
import { authorizeOnly, exchange } from '../support/steps.js'
import { createHttp } from '../../src/http/client.js'
import { requestToken } from '../../src/http/oauth.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'

test('a code older than 15 minutes (emulator clock): TOKEN_CODE_EXPIRED', async ({ flow, emulator }) => {
  const a = await authorizeOnly(flow.page, flow.target)
  emulator.app.clock.advance(15 * 60 * 1000 + 1)
  expect(await codeOf(exchange(emulator.url, flow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_CODE_EXPIRED')
})

test('a code used twice: the second is TOKEN_CODE_EXPIRED', async ({ flow, emulator }) => {
  const a = await authorizeOnly(flow.page, flow.target)
  await exchange(emulator.url, flow.target, a.callback, a.pkce.verifier)
  expect(await codeOf(exchange(emulator.url, flow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_CODE_EXPIRED')
})

test('a wrong or missing verifier: TOKEN_INVALID_CODE_VERIFIER', async ({ flow, emulator }) => {
  const a = await authorizeOnly(flow.page, flow.target)
  expect(await codeOf(exchange(emulator.url, flow.target, a.callback, `${a.pkce.verifier.slice(1)}x`))).toBe('TOKEN_INVALID_CODE_VERIFIER')
  const b = await authorizeOnly(flow.page, flow.target)
  expect(await codeOf(exchange(emulator.url, flow.target, b.callback, undefined))).toBe('TOKEN_INVALID_CODE_VERIFIER')
})

test('a redirect_uri other than the one sent to authorize: TOKEN_REDIRECT_URI_MISMATCH', async ({ flow, emulator }) => {
  const a = await authorizeOnly(flow.page, flow.target)
  // The harness cannot send another redirect_uri (the callback carries it), so build the body by hand.
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: a.callback.code, client_id: flow.target.clientId, client_secret: flow.target.clientSecret ?? '', redirect_uri: 'http://localhost', code_verifier: a.pkce.verifier })
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    const res = await requestToken(http, endpointsFor(emulator.url), body)
    expect(() => processTokenResponse(res, { clientSecret: flow.target.clientSecret, expectRefreshToken: true, grant: 'authorization_code' })).toThrow(expect.objectContaining({ code: 'TOKEN_REDIRECT_URI_MISMATCH' }))
  } finally {
    await http.close()
  }
})

test('a code redeemed at the other host (sandbox vs production): TOKEN_AUTHENTICATION_FAILURE', async ({ flow, emulator }) => {
  // Authorize at http://localhost:<port>, redeem at http://127.0.0.1:<port>: two hosts, one emulator.
  const other = emulator.url.replace('127.0.0.1', 'localhost')
  const a = await authorizeOnly(flow.page, flow.target, other)
  expect(await codeOf(exchange(emulator.url, flow.target, a.callback, a.pkce.verifier))).toBe('TOKEN_AUTHENTICATION_FAILURE')
})

test('a code issued to another app: TOKEN_AUTHENTICATION_FAILURE', async ({ flow, emulator }) => {
  const other = { ...emulator.app.seed.app, clientId: '3MVG9ANOTHERFAKEAPP', clientSecret: 'another-fake-secret' }
  emulator.app.state.addApp(other)
  const a = await authorizeOnly(flow.page, flow.target)
  expect(await codeOf(exchange(emulator.url, { ...flow.target, clientId: other.clientId, clientSecret: other.clientSecret }, a.callback, a.pkce.verifier))).toBe('TOKEN_AUTHENTICATION_FAILURE')
})

test('an unknown client at the token endpoint: TOKEN_INVALID_CLIENT_ID', async ({ flow, emulator }) => {
  const a = await authorizeOnly(flow.page, flow.target)
  expect(await codeOf(exchange(emulator.url, { ...flow.target, clientId: '3MVG9NOBODY' }, a.callback, a.pkce.verifier))).toBe('TOKEN_INVALID_CLIENT_ID')
})
