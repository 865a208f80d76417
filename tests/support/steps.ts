/** Lower-level flow pieces for scenarios that stop between the callback and the token POST. */
import type { Page } from 'playwright'
import { authorizeInBrowser } from '../../src/browser/authorize.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import type { FlowTarget } from '../../src/flow/web-server-flow.js'
import { createHttp } from '../../src/http/client.js'
import { requestRefresh, requestToken } from '../../src/http/oauth.js'
import { buildAuthorizeUrl } from '../../src/oauth/authorize-url.js'
import { parseCallback, type ValidatedCallback } from '../../src/oauth/callback.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { createPkce, type PkcePair } from '../../src/oauth/pkce.js'
import { createState } from '../../src/oauth/state.js'
import { authorizationCodeBody, refreshBody } from '../../src/oauth/token-request.js'
import { processTokenResponse, type ProcessedTokens } from '../../src/oauth/token-response.js'

export interface Authorized {
  readonly callback: ValidatedCallback
  readonly pkce: PkcePair
}

/** Browser part only: returns the validated callback and the PKCE pair. */
export async function authorizeOnly(page: Page, target: FlowTarget, loginUrl = target.loginUrl): Promise<Authorized> {
  const state = createState()
  const pkce = createPkce()
  const url = buildAuthorizeUrl({ loginUrl, clientId: target.clientId, redirectUri: target.redirectUri, scope: target.scope, state, codeChallenge: pkce.challenge })
  const cb = await authorizeInBrowser(page, { authorizeUrl: url.toString(), redirectUri: target.redirectUri, username: target.username, password: target.password, timeoutMs: 10_000 })
  return { callback: parseCallback(cb, { redirectUri: target.redirectUri, state }), pkce }
}

/** The token POST and its validation, as the flow does it. */
export async function exchange(loginUrl: string, target: FlowTarget, callback: ValidatedCallback, verifier: string | undefined): Promise<ProcessedTokens> {
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    const res = await requestToken(http, endpointsFor(loginUrl), authorizationCodeBody(callback, target, verifier))
    return processTokenResponse(res, { clientSecret: target.clientSecret, expectRefreshToken: false, grant: 'authorization_code' })
  } finally {
    await http.close()
  }
}

export async function refresh(em: RunningEmulator, target: FlowTarget, refreshToken: string): Promise<ProcessedTokens> {
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    const res = await requestRefresh(http, endpointsFor(em.url), refreshBody(refreshToken, target))
    return processTokenResponse(res, { clientSecret: target.clientSecret, expectRefreshToken: false, grant: 'refresh_token' })
  } finally {
    await http.close()
  }
}
