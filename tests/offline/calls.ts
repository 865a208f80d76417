/** The harness's real request + process functions, pointed at the fake org (answered by nock). */
import { createHttp, type Http } from '../../src/http/client.js'
import { requestIntrospect, requestRefresh, requestRevoke, requestToken, requestUserinfo } from '../../src/http/oauth.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { processIntrospectResponse, processRevokeResponse, processUserinfoResponse } from '../../src/oauth/other-responses.js'
import { authorizationCodeBody, refreshBody } from '../../src/oauth/token-request.js'
import { processTokenResponse, type ProcessedTokens } from '../../src/oauth/token-response.js'
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_INSTANCE_URL, FAKE_LOGIN_URL, fakeCode, fakeVerifier } from '../../src/record/fakes.js'
import { OFFLINE_TIMEOUT_MS } from '../support/offline.js'

export const REDIRECT = 'http://localhost:1717/OauthRedirect'
export const CLIENT = { clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET }
const endpoints = endpointsFor(FAKE_LOGIN_URL)

async function withHttp<T>(fn: (http: Http) => Promise<T>, timeoutMs = OFFLINE_TIMEOUT_MS): Promise<T> {
  const http = createHttp({ timeoutMs, sleep: () => Promise.resolve() })
  try {
    return await fn(http)
  } finally {
    await http.close()
  }
}

/** The callback as the browser would have caught it, with the fixture code percent-encoded once. */
export function callback(code = fakeCode(1)) {
  return parseCallback(`${REDIRECT}?code=${encodeURIComponent(code)}&state=st-1`, { redirectUri: REDIRECT, state: 'st-1' })
}

export function exchangeCode(opts: { code?: string; verifier?: string; expectRefreshToken?: boolean; timeoutMs?: number } = {}): Promise<ProcessedTokens> {
  return withHttp(async (http) => {
    const res = await requestToken(http, endpoints, authorizationCodeBody(callback(opts.code), CLIENT, opts.verifier ?? fakeVerifier(1)))
    return processTokenResponse(res, { clientSecret: FAKE_CLIENT_SECRET, expectRefreshToken: opts.expectRefreshToken ?? true, grant: 'authorization_code' })
  }, opts.timeoutMs)
}

export function refresh(refreshToken: string): Promise<ProcessedTokens> {
  return withHttp(async (http) => processTokenResponse(await requestRefresh(http, endpoints, refreshBody(refreshToken, CLIENT)), { clientSecret: FAKE_CLIENT_SECRET, expectRefreshToken: false, grant: 'refresh_token' }))
}

export function revoke(token: string): Promise<void> {
  return withHttp(async (http) => processRevokeResponse(await requestRevoke(http, endpoints, token)))
}

export function introspect(token: string) {
  return withHttp(async (http) => processIntrospectResponse(await requestIntrospect(http, endpoints, token, CLIENT)))
}

export function userinfo(accessToken: string) {
  return withHttp(async (http) => processUserinfoResponse(await requestUserinfo(http, FAKE_INSTANCE_URL, accessToken)))
}
