/** The token side of the flow with no org, no browser and no emulator: Salesforce's answers from fixtures/. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { refreshSaved } from '../../src/flow/refresh.js'
import { createHttp } from '../../src/http/client.js'
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_INSTANCE_URL, FAKE_LOGIN_URL, FAKE_ORG_ID, FAKE_USERNAME, fakeAccessToken, fakeCode, fakeRefreshToken, fakeUserId, fakeVerifier } from '../../src/record/fakes.js'
import { readTokenFile, writeTokenFile } from '../../src/store/token-store.js'
import { codeOf } from '../support/test.js'
import nock from 'nock'
import { answer, assertAllConsumed, expect, OFFLINE_TIMEOUT_MS, test } from '../support/offline.js'
import { exchangeCode, identity, introspect, refresh, revoke, userinfo } from './calls.js'

test('code exchange: the harness sends code, verifier and client credentials, and checks every field', async () => {
  answer('token/authorization_code/200-success', { code: fakeCode(1), code_verifier: fakeVerifier(1), client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET, redirect_uri: 'http://localhost:1717/OauthRedirect' })
  const { tokens, checks } = await exchangeCode()
  expect(tokens).toMatchObject({ accessToken: fakeAccessToken(1), refreshToken: fakeRefreshToken(1), instanceUrl: FAKE_INSTANCE_URL, orgId: FAKE_ORG_ID, userId: fakeUserId(0), tokenType: 'Bearer', issuedAt: '1764000000000', scope: 'refresh_token api' })
  expect(checks.find((c) => c.name === 'signature')).toMatchObject({ status: 'pass' })
  expect(checks.find((c) => c.name === 'expires_in')).toMatchObject({ status: 'pass' })
})

test('code exchange without a refresh scope granted: REFRESH_TOKEN_MISSING when one is expected, fine otherwise', async () => {
  answer('token/authorization_code/200-no-refresh-token')
  expect(await codeOf(exchangeCode())).toBe('REFRESH_TOKEN_MISSING')
  answer('token/authorization_code/200-no-refresh-token')
  expect((await exchangeCode({ expectRefreshToken: false })).tokens.refreshToken).toBeUndefined()
})

test('refresh without rotation: a new access token, no refresh token', async () => {
  answer('token/refresh_token/200-success', { refresh_token: fakeRefreshToken(1), client_secret: FAKE_CLIENT_SECRET })
  const { tokens } = await refresh(fakeRefreshToken(1))
  expect(tokens.accessToken).toBe(fakeAccessToken(2))
  expect(tokens.refreshToken).toBeUndefined()
})

test('rotation: the rotated refresh token is saved to the token file; the old one is then refused', async () => {
  const file = join(test.info().outputPath(), 'tokens.json')
  mkdirSync(test.info().outputPath(), { recursive: true })
  await writeTokenFile(file, { version: 1, loginUrl: FAKE_LOGIN_URL, clientId: FAKE_CLIENT_ID, username: FAKE_USERNAME, instanceUrl: FAKE_INSTANCE_URL, id: `${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}`, orgId: FAKE_ORG_ID, userId: fakeUserId(0), scope: 'refresh_token api', issuedAt: '1764000000000', accessToken: fakeAccessToken(1), refreshToken: fakeRefreshToken(1), savedAt: new Date(0).toISOString() })
  answer('token/refresh_token/200-rotation', { refresh_token: fakeRefreshToken(1) })
  const http = createHttp({ timeoutMs: OFFLINE_TIMEOUT_MS })
  try {
    // The fake host is outside Salesforce's domains: SF_LOGIN_URL confirms it, as a user would.
    const confirmed = { loginUrl: FAKE_LOGIN_URL, from: 'SF_LOGIN_URL' }
    const outcome = await refreshSaved(file, { http, clientSecret: FAKE_CLIENT_SECRET, timeoutMs: OFFLINE_TIMEOUT_MS, expect: confirmed })
    expect(outcome.rotated).toBe(true)
    expect((await readTokenFile(file, { expect: confirmed })).refreshToken).toBe(fakeRefreshToken(2))
  } finally {
    await http.close()
  }
  answer('token/refresh_token/400-expired-access-refresh-token', { refresh_token: fakeRefreshToken(1) })
  expect(await codeOf(refresh(fakeRefreshToken(1)))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
})

test('revoke: 200 with an empty body', async () => {
  answer('revoke/200-revoked', { token: fakeRefreshToken(1) })
  await expect(revoke(fakeRefreshToken(1))).resolves.toBeUndefined()
})

test('introspect: an active token, with its username', async () => {
  answer('introspect/200-active', { token: fakeAccessToken(1), token_type_hint: 'access_token', client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET })
  expect(await introspect(fakeAccessToken(1))).toEqual({ active: true, username: FAKE_USERNAME })
})

test('userinfo: the bearer token is sent to the instance, the user comes back', async () => {
  answer('userinfo/200-success', { authorization: `Bearer ${fakeAccessToken(1)}` })
  expect(await userinfo(fakeAccessToken(1))).toEqual({ sub: `${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}`, userId: fakeUserId(0), organizationId: FAKE_ORG_ID, preferredUsername: FAKE_USERNAME })
})

test('identity URL: the bearer token is sent to the id of the token answer, the user comes back', async () => {
  answer('identity/200-success', { authorization: `Bearer ${fakeAccessToken(1)}` })
  const id = `${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}`
  const user = await identity(id, fakeAccessToken(1))
  expect(user).toMatchObject({ id, userId: fakeUserId(0), organizationId: FAKE_ORG_ID, username: FAKE_USERNAME })
  // The resource URLs as the answer gives them, {version} unfilled (no version was asked).
  expect(user.urls.rest).toMatch(/\/services\/data\/v\{version\}\/$/)
})

test('a code exchange answered twice: nothing is re-sent, the second answer stays unused, and the guard fails on it', async () => {
  answer('token/authorization_code/200-success')
  answer('token/authorization_code/200-success')
  await exchangeCode()
  expect(nock.pendingMocks()).toHaveLength(1)
  // The fixture's own end-of-test guard: it would fail this test; here it is called, and so cleared, first.
  expect(() => { assertAllConsumed() }).toThrow(/every interceptor must be consumed/)
  expect(nock.pendingMocks()).toEqual([])
})

test('the real network is refused: a call no fixture answers fails, even to loopback', async () => {
  const http = createHttp({ timeoutMs: OFFLINE_TIMEOUT_MS, maxAttempts: 1 })
  try {
    expect(await codeOf(http.send({ method: 'GET', url: 'http://127.0.0.1:9/services/oauth2/userinfo', idempotent: true }))).toBe('NETWORK_CONNECT_FAILED')
    expect(await codeOf(http.send({ method: 'GET', url: `${FAKE_LOGIN_URL}/services/oauth2/userinfo`, idempotent: true }))).toBe('NETWORK_CONNECT_FAILED')
  } finally {
    await http.close()
  }
})
