/**
 * What an authorize request without a session says about the configuration (docs/salesforce-oauth.md §1.5): a plain-text
 * `error=...` (bad client_id or redirect_uri, never redirected), a 302 to the login page (client and
 * redirect URI accepted), a redirect back to the redirect URI with `?error=`, or Salesforce's error page.
 * The operation `probeAuthorize` (src/client/operations.ts) = `requestAuthorizeProbe` (src/http/oauth.ts) +
 * `processAuthorizeProbe` (here: pure, through processAuthorizeResponse).
 */
import { processAuthorizeResponse, type AuthorizeRefusal } from './authorize-response.js'
import type { RawResponse } from './types.js'

export { ERROR_PAGE_PATH } from './authorize-response.js'

export type AuthorizeProbe =
  | { readonly kind: 'login-page'; readonly location: string }
  | AuthorizeRefusal
  | { readonly kind: 'unexpected'; readonly status: number; readonly location: string | undefined }

/** Classify the answer. A redirect to the redirect URI without `error` cannot come before a login: unexpected. */
export function processAuthorizeProbe(res: RawResponse, redirectUri: string): AuthorizeProbe {
  const answer = processAuthorizeResponse({ from: 'response', response: res }, redirectUri)
  switch (answer.kind) {
    case 'callback': return { kind: 'unexpected', status: res.status, location: answer.url }
    case 'unexpected': return { kind: 'unexpected', status: res.status, location: answer.location }
    default: return answer
  }
}
