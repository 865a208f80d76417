/** The emulator and live targets: the harness's real request and process functions against a login URL. */
import type { Page } from 'playwright'
import type { FlowTarget } from '../../src/flow/web-server-flow.js'
import { createHttp, type Http } from '../../src/http/client.js'
import { requestRefresh, requestRevoke, requestToken } from '../../src/http/oauth.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { processRevokeResponse } from '../../src/oauth/other-responses.js'
import { authorizationCodeBody, refreshBody, scopeAsksForRefreshToken } from '../../src/oauth/token-request.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'
import type { ScenarioTarget, TargetName } from './scenarios.js'
import { authorizeOnly } from './steps.js'

async function withHttp<T>(fn: (http: Http) => Promise<T>): Promise<T> {
  const http = createHttp({ timeoutMs: 15_000 })
  try {
    return await fn(http)
  } finally {
    await http.close()
  }
}

export function realTarget(name: TargetName, page: Page, target: FlowTarget, rotation: (on: boolean) => Promise<string | undefined>): ScenarioTarget {
  const endpoints = endpointsFor(target.loginUrl)
  const expectRefreshToken = scopeAsksForRefreshToken(target.scope)
  return {
    name,
    async authorize() {
      const a = await authorizeOnly(page, target)
      return { callback: a.callback, verifier: a.pkce.verifier }
    },
    exchange: (a) => withHttp(async (http) => processTokenResponse(await requestToken(http, endpoints, authorizationCodeBody(a.callback, target, a.verifier)), { clientSecret: target.clientSecret, expectRefreshToken, grant: 'authorization_code' })),
    refresh: (rt) => withHttp(async (http) => processTokenResponse(await requestRefresh(http, endpoints, refreshBody(rt, target)), { clientSecret: target.clientSecret, expectRefreshToken: false, grant: 'refresh_token' })),
    revoke: (token) => withHttp(async (http) => processRevokeResponse(await requestRevoke(http, endpoints, token))),
    rotation,
  }
}
