/**
 * What an authorize request without a session says about the configuration (reference §1.5): a plain-text
 * `error=...` (bad client_id or redirect_uri, never redirected), a 302 to the login page (client and
 * redirect URI accepted), a redirect back to the redirect URI with `?error=`, or Salesforce's error page.
 * The operation `probeAuthorize` = `requestAuthorizeProbe` (I/O, through src/http) + `processAuthorizeProbe`
 * (pure, through processAuthorizeResponse).
 */
import type { Http } from '../http/client.js'
import { processAuthorizeResponse, type AuthorizeRefusal } from './authorize-response.js'
import type { RawResponse } from './types.js'

export { ERROR_PAGE_PATH } from './authorize-response.js'

export type AuthorizeProbe =
  | { readonly kind: 'login-page'; readonly location: string }
  | AuthorizeRefusal
  | { readonly kind: 'unexpected'; readonly status: number; readonly location: string | undefined }

/**
 * GET an authorize URL without a browser session, not following redirects: Salesforce checks client_id
 * and redirect_uri first and answers in plain text, else sends the browser to its login page (§1.5).
 */
export function requestAuthorizeProbe(http: Http, authorizeUrl: string): Promise<RawResponse> {
  return http.send({ method: 'GET', url: authorizeUrl, headers: { accept: 'text/html,text/plain;q=0.9,*/*;q=0.8' }, idempotent: true })
}

/** Classify the answer. A redirect to the redirect URI without `error` cannot come before a login: unexpected. */
export function processAuthorizeProbe(res: RawResponse, redirectUri: string): AuthorizeProbe {
  const answer = processAuthorizeResponse({ from: 'response', response: res }, redirectUri)
  switch (answer.kind) {
    case 'callback': return { kind: 'unexpected', status: res.status, location: answer.url }
    case 'unexpected': return { kind: 'unexpected', status: res.status, location: answer.location }
    default: return answer
  }
}

export async function probeAuthorize(http: Http, authorizeUrl: string, redirectUri: string): Promise<AuthorizeProbe> {
  return processAuthorizeProbe(await requestAuthorizeProbe(http, authorizeUrl), redirectUri)
}
