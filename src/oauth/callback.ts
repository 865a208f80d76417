/**
 * Parsing the redirect is the only way to obtain a code: `parseCallback` checks `state` and returns a
 * ValidatedCallback, and the token exchange accepts nothing else (an unexported brand).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { AuthorizationError, ResponseValidationError } from '../errors.js'
import { mask } from '../redact.js'
import { authorizeErrorMeaning } from './error-codes.js'

const brand: unique symbol = Symbol('ValidatedCallback')

export interface ValidatedCallback {
  readonly [brand]: true
  /** Percent-decoded once, as the token endpoint expects (docs/salesforce-oauth.md §1.4, §8.1). */
  readonly code: string
  readonly state: string
  readonly redirectUri: string
}

export function isValidatedCallback(value: unknown): value is ValidatedCallback {
  return typeof value === 'object' && value !== null && brand in value
}

/** Same origin and path as the redirect URI (Salesforce appends only a query). */
export function matchesRedirectUri(url: string, redirectUri: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(redirectUri)
    // Not `origin`: it is "null" for every non-http(s) scheme, so myapp://x/cb would match evil://y/cb.
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname
  } catch {
    return false
  }
}

export function parseCallback(callbackUrl: string, expected: { redirectUri: string; state: string }): ValidatedCallback {
  if (!matchesRedirectUri(callbackUrl, expected.redirectUri)) {
    throw new ResponseValidationError('CALLBACK_URI_MISMATCH', `the callback went to ${safeOrigin(callbackUrl)}, not to SF_REDIRECT_URI: check the Callback URL of the app`)
  }
  const params = new URL(callbackUrl).searchParams
  const error = params.get('error')
  const state = params.get('state')
  if (error !== null) {
    const description = params.get('error_description') ?? undefined
    const meaning = authorizeErrorMeaning(error, description)
    // RFC 6749 §4.1.2.1: errors carry state too; a mismatch here means the answer is not ours.
    if (state !== expected.state) {
      throw new AuthorizationError('STATE_MISMATCH', 'the callback\'s "state" does not match the one sent: the redirect is not the answer to this flow', error, description)
    }
    throw new AuthorizationError(meaning.code, `Salesforce answered ${error}${description ? ` (${description})` : ''}: ${meaning.fix}`, error, description, { error, error_description: description })
  }
  if (state === null) {
    throw new AuthorizationError('STATE_MISSING', 'the callback has no "state": Salesforce echoes it on every redirect, so this is not the answer to this flow', 'state_missing', undefined)
  }
  if (state !== expected.state) {
    throw new AuthorizationError('STATE_MISMATCH', 'the callback\'s "state" does not match the one sent: the redirect is not the answer to this flow', 'state_mismatch', undefined, { expected: mask(expected.state), got: mask(state) })
  }
  const code = params.get('code')
  if (code === null || code === '') {
    throw new ResponseValidationError('CALLBACK_INVALID', 'the callback has neither "code" nor "error": check that the redirect URI is the one registered on the app')
  }
  return { [brand]: true, code, state, redirectUri: expected.redirectUri }
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url)
    return u.origin + u.pathname
  } catch {
    return 'an invalid URL'
  }
}
