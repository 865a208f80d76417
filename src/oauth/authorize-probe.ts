/**
 * What an authorize request without a session says about the configuration (docs/salesforce-oauth.md §1.5): a plain-text
 * `error=...` (bad client_id or redirect_uri, never redirected), a 302 to the login page (client and
 * redirect URI accepted), a redirect back to the redirect URI with `?error=`, or Salesforce's error page.
 */
import { matchesRedirectUri } from './callback.js'
import type { RawResponse } from './types.js'

export type AuthorizeProbe =
  | { readonly kind: 'login-page'; readonly location: string }
  | { readonly kind: 'plain-error' | 'redirect-error' | 'error-page'; readonly error: string; readonly description: string | undefined; readonly location: string | undefined }
  | { readonly kind: 'unexpected'; readonly status: number; readonly location: string | undefined }

export const ERROR_PAGE_PATH = '/setup/secur/RemoteAccessErrorPage.apexp'

export function classifyAuthorizeAnswer(res: RawResponse, redirectUri: string): AuthorizeProbe {
  const location = res.headers.location
  if (res.status >= 300 && res.status < 400 && location !== undefined) {
    // A Location nobody can resolve is an answer we do not understand, not a crash.
    if (!URL.canParse(location, res.url)) return { kind: 'unexpected', status: res.status, location }
    const to = new URL(location, res.url)
    const q = to.searchParams
    if (matchesRedirectUri(to.toString(), redirectUri) && q.has('error')) return { kind: 'redirect-error', error: q.get('error') ?? '', description: q.get('error_description') ?? undefined, location: to.toString() }
    if (to.pathname === ERROR_PAGE_PATH) return { kind: 'error-page', error: q.get('error') ?? '', description: q.get('error_description') ?? undefined, location: to.toString() }
    // Salesforce's login page: `/?ec=302&startURL=...` on the login host (or the My Domain it moves to).
    if (q.has('startURL') || q.get('ec') === '302') return { kind: 'login-page', location: to.toString() }
    return { kind: 'unexpected', status: res.status, location: to.toString() }
  }
  const text = res.body.trim()
  if (res.status >= 400 && /^error=[\w.-]+/.test(text) && !text.includes('<')) {
    const q = new URLSearchParams(text)
    return { kind: 'plain-error', error: q.get('error') ?? '', description: q.get('error_description') ?? undefined, location: undefined }
  }
  return { kind: 'unexpected', status: res.status, location }
}
