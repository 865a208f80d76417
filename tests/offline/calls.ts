/** The harness's real operations (src/client/operations.ts), pointed at the fake org (answered by nock). */
import * as op from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { redactor } from '../../src/redact.js'
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_INSTANCE_URL, FAKE_LOGIN_URL, fakeCode, fakeVerifier } from '../../src/record/fakes.js'
import { OFFLINE_TIMEOUT_MS } from '../support/offline.js'

export const REDIRECT = 'http://localhost:1717/OauthRedirect'
export const CLIENT: op.OAuthClient = { loginUrl: FAKE_LOGIN_URL, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET }

async function withHttp<T>(fn: (ctx: op.OperationContext) => Promise<T>, timeoutMs = OFFLINE_TIMEOUT_MS): Promise<T> {
  const http = createHttp({ timeoutMs, sleep: () => Promise.resolve() })
  try {
    return await fn({ http, secrets: redactor })
  } finally {
    await http.close()
  }
}

/** The callback as the browser would have caught it, with the fixture code percent-encoded once. */
export function callback(code = fakeCode(1)) {
  return parseCallback(`${REDIRECT}?code=${encodeURIComponent(code)}&state=st-1`, { redirectUri: REDIRECT, state: 'st-1' })
}

export function exchangeCode(opts: { code?: string; verifier?: string; expectRefreshToken?: boolean; timeoutMs?: number } = {}): Promise<op.ExchangeResult> {
  return withHttp((ctx) => op.exchangeCode(ctx, CLIENT, callback(opts.code), { verifier: opts.verifier ?? fakeVerifier(1), expectRefreshToken: opts.expectRefreshToken ?? true }), opts.timeoutMs)
}

export function refresh(refreshToken: string): Promise<op.RefreshResult> {
  return withHttp((ctx) => op.refresh(ctx, CLIENT, refreshToken))
}

export function revoke(token: string): Promise<void> {
  return withHttp((ctx) => op.revoke(ctx, FAKE_LOGIN_URL, token))
}

export function introspect(token: string): Promise<op.Introspection> {
  return withHttp((ctx) => op.introspect(ctx, CLIENT, token))
}

export function userinfo(accessToken: string): Promise<op.UserInfo> {
  return withHttp((ctx) => op.userinfo(ctx, FAKE_INSTANCE_URL, accessToken))
}

export function identity(idUrl: string, accessToken: string): Promise<op.Identity> {
  return withHttp((ctx) => op.identity(ctx, idUrl, accessToken))
}
