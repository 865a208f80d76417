/**
 * The one reading of what the authorize step answered (docs/salesforce-oauth.md §1.5), wherever it is seen: a URL the
 * browser reached (the callback, Salesforce's error page, the login page), the text of a page (the
 * plain-text refusal), or an HTTP answer to authorize without a session (`sf-oauth doctor`). Pure.
 * Salesforce answers in three shapes besides the login page:
 *  (a) a redirect to the redirect URI with `?error=&error_description=&state=` (RFC 6749 §4.1.2.1);
 *  (b) plain text, never redirected, when client_id or redirect_uri is wrong:
 *      `error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration`;
 *  (c) its error page `/setup/secur/RemoteAccessErrorPage.apexp?error=&error_description=`, which also
 *      shows `<error> : <description>` as text.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 */
import { AuthorizationError } from '../errors.js'
import { sanitiseLine } from '../sanitise.js'
import { authorizeErrorMeaning } from './error-codes.js'
import type { RawResponse } from './types.js'

export const ERROR_PAGE_PATH = '/setup/secur/RemoteAccessErrorPage.apexp'
/** What the error page shows when its URL names no error (docs/salesforce-oauth.md §1.5c). */
const ERROR_PAGE_DEFAULT = 'OAUTH_APPROVAL_ERROR_GENERIC'
const MAX_ERROR = 200
const MAX_DESCRIPTION = 500

/** Salesforce refused the authorize request, in one of its three shapes. */
export interface AuthorizeRefusal {
  readonly kind: 'redirect-error' | 'error-page' | 'plain-error'
  readonly error: string
  readonly description: string | undefined
  /** The `state` echoed with the refusal (redirects carry it; the error page sometimes). */
  readonly state?: string | undefined
  readonly location: string | undefined
}

export type AuthorizeAnswer =
  /** A redirect to the redirect URI without `error`: parseCallback() checks `state` and `code`. */
  | { readonly kind: 'callback'; readonly url: string; readonly code: string | undefined; readonly state: string | undefined }
  /** Salesforce's login page (`/?ec=302&startURL=…`): client_id and redirect_uri were accepted. */
  | { readonly kind: 'login-page'; readonly location: string }
  | AuthorizeRefusal
  | { readonly kind: 'unexpected'; readonly status: number | undefined; readonly location: string | undefined }

export type AuthorizeResponseInput =
  /** A URL reached: the browser's page, a callback. `pageText`: the page's text, when it was read. */
  | { readonly from: 'url'; readonly url: string; readonly pageText?: string | undefined }
  /** The text a page shows (Chrome wraps a text/plain answer in `<pre>`). */
  | { readonly from: 'text'; readonly text: string }
  /** An HTTP answer to the authorize URL, redirects not followed. */
  | { readonly from: 'response'; readonly response: RawResponse }

/** Same scheme, host and path as the redirect URI (Salesforce appends only a query). */
export function matchesRedirectUri(url: string, redirectUri: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(redirectUri)
    // A custom scheme's origin is "null" for every such URL: compare the scheme and host as well.
    return a.origin === b.origin && a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname
  } catch {
    return false
  }
}

/** Is this URL Salesforce's OAuth error page (on the login host, a My Domain or a site prefix)? */
export function isErrorPage(url: string): boolean {
  return URL.canParse(url) && new URL(url).pathname.endsWith(ERROR_PAGE_PATH)
}

export function processAuthorizeResponse(input: AuthorizeResponseInput, redirectUri: string): AuthorizeAnswer {
  switch (input.from) {
    case 'url':
      return fromUrl(input.url, redirectUri, input.pageText, undefined)
    case 'text': {
      const refusal = plainText(input.text)
      return refusal === undefined ? { kind: 'unexpected', status: undefined, location: undefined } : { kind: 'plain-error', ...refusal, location: undefined }
    }
    case 'response':
      return fromResponse(input.response, redirectUri)
  }
}

function fromResponse(res: RawResponse, redirectUri: string): AuthorizeAnswer {
  const location = res.headers.location
  if (res.status >= 300 && res.status < 400 && location !== undefined) {
    // A Location nobody can resolve is an answer we do not understand, not a crash.
    if (!URL.canParse(location, res.url)) return { kind: 'unexpected', status: res.status, location }
    return fromUrl(new URL(location, res.url).toString(), redirectUri, undefined, res.status)
  }
  // An HTML page is not the plain-text answer, whatever it says.
  const refusal = res.status >= 400 && !res.body.includes('<') ? plainText(res.body) : undefined
  if (refusal !== undefined) return { kind: 'plain-error', ...refusal, location: undefined }
  return { kind: 'unexpected', status: res.status, location }
}

function fromUrl(url: string, redirectUri: string, pageText: string | undefined, status: number | undefined): AuthorizeAnswer {
  if (!URL.canParse(url)) return { kind: 'unexpected', status, location: url }
  const to = new URL(url)
  const q = to.searchParams
  const state = q.get('state') ?? undefined
  if (matchesRedirectUri(url, redirectUri)) {
    const error = q.get('error')
    if (error !== null) return { kind: 'redirect-error', error, description: q.get('error_description') ?? undefined, state, location: url }
    return { kind: 'callback', url, code: q.get('code') ?? undefined, state }
  }
  if (isErrorPage(url)) {
    const error = q.get('error')
    if (error !== null) return { kind: 'error-page', error, description: q.get('error_description') ?? undefined, state, location: url }
    const shown = pageText === undefined ? undefined : errorPageText(pageText)
    return { kind: 'error-page', error: shown?.error ?? ERROR_PAGE_DEFAULT, description: shown?.description, state, location: url }
  }
  // Salesforce's login page: `/?ec=302&startURL=...` on the login host (or the My Domain it moves to).
  if (q.has('startURL') || q.get('ec') === '302') return { kind: 'login-page', location: url }
  return { kind: 'unexpected', status, location: url }
}

/**
 * The plain-text refusal: `error=…&error_description=…` (form-encoded), or an OAuth error code alone
 * (`invalid_client_id`). Undefined for any other text.
 */
function plainText(text: string): { error: string; description: string | undefined } | undefined {
  const t = text.trim()
  if (/^error=[\w.-]+/.test(t)) {
    const q = new URLSearchParams(t)
    return { error: q.get('error') ?? '', description: q.get('error_description') ?? undefined }
  }
  if (/^[a-z]+(?:_[a-z]+)+$/.test(t)) return { error: t, description: undefined }
  return undefined
}

/** `OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error…` or `1800 : There was a problem…` on the error page. */
function errorPageText(text: string): { error: string; description: string | undefined } | undefined {
  const m = /(?:^|\s)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|\d{3,4})\s+:\s+([^\n]*)/.exec(text)
  if (m?.[1] === undefined) return undefined
  const description = m[2]?.trim()
  return { error: m[1], description: description === '' ? undefined : description }
}

const SAID: Readonly<Record<AuthorizeRefusal['kind'], { lead: string; page: string | undefined }>> = {
  'redirect-error': { lead: 'Salesforce answered', page: undefined },
  'error-page': { lead: 'Salesforce showed its OAuth error page:', page: 'RemoteAccessErrorPage.apexp' },
  'plain-error': { lead: 'Salesforce refused the authorize request:', page: 'plain text' },
}

/**
 * The typed error for a refusal: the harness's code for Salesforce's error and its fix. The server's words
 * are shown one line each, with nothing a terminal or a report would act on.
 */
export function authorizeRefusalError(r: AuthorizeRefusal): AuthorizationError {
  const meaning = authorizeErrorMeaning(r.error, r.description)
  const said = SAID[r.kind]
  const shown = `${sanitiseLine(r.error, MAX_ERROR)}${r.description ? ` (${sanitiseLine(r.description, MAX_DESCRIPTION)})` : ''}`
  const cause = said.page === undefined ? { error: r.error, error_description: r.description } : { page: said.page }
  return new AuthorizationError(meaning.code, `${said.lead} ${shown}: ${meaning.fix}`, r.error, r.description, cause)
}
