/**
 * `expect` matchers for Salesforce token answers, for `sf-oauth-harness/test`. They accept what a test
 * has at hand: a {@link TokenSet} (the flow's or a fixture's), the token endpoint's JSON body (an object
 * or its text), or a raw answer `{ status, headers, body }`.
 */
import { type ExpectMatcherState, type MatcherReturnType } from '@playwright/test'
import { HarnessError } from '../errors.js'
import { processTokenResponse } from '../oauth/token-response.js'
import { verifySignature } from '../oauth/signature.js'
import type { RawResponse, TokenSet } from '../oauth/types.js'
import { Redactor, redactor } from '../redact.js'

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' }
/** Where an answer handed in without its URL is said to come from (evidence only). */
const TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token'

function isTokenSet(v: object): v is TokenSet {
  return 'accessToken' in v && 'issuedAt' in v
}

function isRaw(v: object): v is RawResponse {
  return 'status' in v && 'body' in v && 'headers' in v && typeof (v as { body: unknown }).body === 'string'
}

/** The answer as the token endpoint sent it (a TokenSet back in Salesforce's field names). */
export function toRawResponse(received: unknown): RawResponse | undefined {
  if (typeof received === 'string') return { status: 200, headers: JSON_HEADERS, body: received, url: TOKEN_URL }
  if (received === null || typeof received !== 'object') return undefined
  if (isRaw(received)) return { status: received.status, headers: received.headers, body: received.body, url: typeof received.url === 'string' ? received.url : TOKEN_URL }
  if (isTokenSet(received)) {
    const t = received
    const body = { access_token: t.accessToken, refresh_token: t.refreshToken, signature: t.signature, scope: t.scope, id_token: t.idToken, instance_url: t.instanceUrl, id: t.id, token_type: t.tokenType, issued_at: t.issuedAt }
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body), url: TOKEN_URL }
  }
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(received), url: TOKEN_URL }
}

/** Salesforce's field names of the signed pair and the signature, from any accepted form. */
function signedFields(received: unknown): { id: unknown; issuedAt: unknown; signature: unknown } | undefined {
  const raw = toRawResponse(received)
  if (raw === undefined) return undefined
  try {
    const data = JSON.parse(raw.body) as Record<string, unknown>
    return { id: data.id, issuedAt: data.issued_at, signature: data.signature }
  } catch {
    return undefined
  }
}

const hint = (state: ExpectMatcherState, name: string, args = '') => state.utils.matcherHint(name, 'received', args, { isNot: state.isNot })

/**
 * The token matchers for `expect.extend` (already in this module's `expect`): `toBeSalesforceTokenResponse()`
 * and `toHaveValidSignature(clientSecret)`. A failure names the harness error code and masks every secret.
 */
export const tokenMatchers = {
  /**
   * Passes when `received` is a token answer Salesforce could have sent for a code exchange: every field
   * present and of its type, `instance_url` and `id` well-formed, `issued_at` a time, `token_type` Bearer
   * (Salesforce: "OAuth 2.0 Web Server Flow", token response). The signature is checked by
   * `toHaveValidSignature`. The failure names the harness error code.
   */
  toBeSalesforceTokenResponse(this: ExpectMatcherState, received: unknown): MatcherReturnType {
    const raw = toRawResponse(received)
    let problem: string | undefined
    if (raw === undefined) problem = `expected a token set, a token answer's JSON or { status, headers, body }, got ${received === null ? 'null' : typeof received}`
    else {
      try {
        // A sink of its own: what a matcher reads is no new secret to the process, but it must not be printed.
        const seen = new Redactor()
        processTokenResponse(raw, { clientSecret: undefined, expectRefreshToken: false, grant: 'authorization_code' }, seen)
      } catch (err) {
        problem = err instanceof HarnessError ? `${err.code}: ${err.message}` : String(err)
      }
    }
    const pass = problem === undefined
    return {
      pass,
      name: 'toBeSalesforceTokenResponse',
      message: () => `${hint(this, 'toBeSalesforceTokenResponse')}\n\n${pass ? 'Expected not a Salesforce token response, but it is one' : `Not a Salesforce token response: ${redactor.text(problem ?? '')}`}`,
    }
  },

  /**
   * Passes when the answer's `signature` is base64(HMAC-SHA256(clientSecret, id + issued_at)), as
   * Salesforce signs it (Salesforce: "OAuth 2.0 Web Server Flow", the `signature` parameter).
   */
  toHaveValidSignature(this: ExpectMatcherState, received: unknown, clientSecret: string): MatcherReturnType {
    redactor.add(clientSecret)
    const f = signedFields(received)
    let problem: string | undefined
    if (typeof clientSecret !== 'string' || clientSecret === '') problem = 'clientSecret is empty: pass the Connected App\'s consumer secret'
    else if (f === undefined) problem = 'received is not a token set or a token answer'
    else if (typeof f.id !== 'string' || typeof f.issuedAt !== 'string' || typeof f.signature !== 'string') problem = 'id, issued_at or signature is missing'
    else if (!verifySignature(clientSecret, f.id, f.issuedAt, f.signature)) problem = 'signature does not match HMAC-SHA256(clientSecret, id + issued_at): another secret, or id/issued_at were changed'
    const pass = problem === undefined
    return {
      pass,
      name: 'toHaveValidSignature',
      message: () => `${hint(this, 'toHaveValidSignature', 'clientSecret')}\n\n${pass ? 'Expected the signature not to verify, but it does' : redactor.text(problem ?? '')}`,
    }
  },
}
