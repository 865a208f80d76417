/**
 * Parsing the redirect is the only way to obtain a code: `parseCallback` reads it with
 * processAuthorizeResponse (src/oauth/authorize-response.ts), checks `state` and returns a
 * ValidatedCallback, and the token exchange accepts nothing else (an unexported brand).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { AUTHORIZATION_CODE } from '../credentials/shapes.js'
import { AuthorizationError, ResponseValidationError } from '../errors.js'
import { mask } from '../redact.js'
import { authorizeRefusalError, matchesRedirectUri, processAuthorizeResponse } from './authorize-response.js'
import type { Check } from './types.js'

export { matchesRedirectUri }

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

export function parseCallback(callbackUrl: string, expected: { redirectUri: string; state: string }): ValidatedCallback {
  const answer = processAuthorizeResponse({ from: 'url', url: callbackUrl }, expected.redirectUri)
  if (answer.kind !== 'callback') {
    if (answer.kind !== 'redirect-error') {
      throw new ResponseValidationError('CALLBACK_URI_MISMATCH', `the callback went to ${originAndPath(callbackUrl)}, not to SF_REDIRECT_URI: check the Callback URL of the app`)
    }
    // RFC 6749 §4.1.2.1: errors carry state too; a mismatch here means the answer is not ours.
    if (answer.state !== expected.state) {
      throw new AuthorizationError('STATE_MISMATCH', 'the callback\'s "state" does not match the one sent: the redirect is not the answer to this flow', answer.error, answer.description)
    }
    throw authorizeRefusalError(answer)
  }
  const { state, code } = answer
  if (state === undefined) {
    throw new AuthorizationError('STATE_MISSING', 'the callback has no "state": Salesforce echoes it on every redirect, so this is not the answer to this flow', 'state_missing', undefined)
  }
  if (state !== expected.state) {
    throw new AuthorizationError('STATE_MISMATCH', 'the callback\'s "state" does not match the one sent: the redirect is not the answer to this flow', 'state_mismatch', undefined, { expected: mask(expected.state), got: mask(state) })
  }
  if (code === undefined || code === '') {
    throw new ResponseValidationError('CALLBACK_INVALID', 'the callback has neither "code" nor "error": check that the redirect URI is the one registered on the app')
  }
  return { [brand]: true, code, state, redirectUri: expected.redirectUri }
}

/**
 * Does the code look like Salesforce's (`aPrx…==`, 76 characters once percent-decoded, docs/salesforce-oauth.md §1.4)?
 * Another shape is a warning, not an error: the token endpoint is the judge of a code.
 */
export function codeCheck(callback: ValidatedCallback): Check {
  return AUTHORIZATION_CODE.exact.test(callback.code)
    ? { name: 'code', status: 'pass', detail: `${mask(callback.code)}, percent-decoded once` }
    : { name: 'code', status: 'warn', detail: `${mask(callback.code)} is not aPrx…== (76 chars) as Salesforce codes are` }
}

/** Origin and path of a URL, without its query (which carries the code): for messages. */
export function originAndPath(url: string): string {
  try {
    const u = new URL(url)
    return u.origin + u.pathname
  } catch {
    return 'an invalid URL'
  }
}
