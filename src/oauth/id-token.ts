/**
 * The id_token checked as a relying party checks it (OpenID Connect Core §3.1.3.7; Salesforce: docs/salesforce-oauth.md §11.1): RS256 signature by
 * the key /id/keys publishes under the header's `kid`, `iss` = the login host, `aud` = the client id,
 * `exp`/`iat` within a small clock skew, `nonce` = the one the authorize request carried, `at_hash` =
 * left half of SHA-256 of the access token (OpenID Connect Core §3.1.3.6), and Salesforce's `sub` = the identity URL
 * (docs/salesforce-oauth.md §2.2, §5.5). Pure: the keys come in as a raw answer.
 */
import { createHash, createPublicKey, timingSafeEqual, verify, type JsonWebKey } from 'node:crypto'
import { ResponseValidationError } from '../errors.js'
import type { CodeOf } from '../error-registry.js'
import { parseJsonObject } from './token-response.js'
import type { Check, RawResponse } from './types.js'

/** Seconds either way between our clock and the server's that still pass exp and iat. */
export const ID_TOKEN_SKEW_S = 120

export interface IdTokenExpectations {
  /** Origin of the login URL: Salesforce's `iss`. */
  readonly issuer: string
  readonly clientId: string
  /** The nonce sent; undefined after a refresh (its id_token is not bound to an authorize request). */
  readonly nonce: string | undefined
  readonly accessToken: string
  /** The token answer's `id`: Salesforce's `sub`. */
  readonly identityUrl: string
  /** Local clock, epoch ms. */
  readonly now: number
  readonly skewS?: number
}

export interface IdTokenClaims {
  readonly sub: string
  readonly [claim: string]: unknown
}

export interface VerifiedIdToken {
  readonly claims: IdTokenClaims
  readonly checks: readonly Check[]
}

function fail(code: CodeOf<'ResponseValidationError'>, message: string, cause?: unknown): never {
  throw new ResponseValidationError(code, message, cause === undefined ? {} : { cause })
}

function part(segment: string | undefined, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'))
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // falls through to the error
  }
  return fail('ID_TOKEN_MALFORMED', `id_token: its ${what} is not base64url JSON: expected a JWS compact token (header.claims.signature)`)
}

/** The keys of /id/keys: `{"keys":[{kty,kid,alg,n,e,…}]}`. */
export function processJwksResponse(res: RawResponse): readonly JsonWebKey[] {
  if (res.status !== 200) fail('JWKS_INVALID', `GET /id/keys answered HTTP ${res.status}: the login host must publish its id_token keys there; check SF_LOGIN_URL`, { status: res.status })
  let data: Record<string, unknown>
  try {
    data = parseJsonObject(res, 'GET /id/keys')
  } catch (err) {
    return fail('JWKS_INVALID', 'GET /id/keys did not answer a JSON object: expected {"keys":[…]}; check SF_LOGIN_URL', { status: res.status, code: (err as { code?: string }).code })
  }
  const keys = data.keys
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null)) fail('JWKS_INVALID', 'GET /id/keys has no "keys" array: expected a JSON Web Key Set (RFC 7517 §5)')
  return keys as JsonWebKey[]
}

function b64uEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Verify an id_token against the keys and the expectations; each broken rule is its own code. */
export function verifyIdToken(idToken: string, keys: readonly JsonWebKey[], expect: IdTokenExpectations): VerifiedIdToken {
  const segments = idToken.split('.')
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s))) fail('ID_TOKEN_MALFORMED', 'id_token is not three base64url parts (header.claims.signature): expected a signed JWT')
  const [h, c, s] = segments as [string, string, string]
  const header = part(h, 'header')
  const claims = part(c, 'claims')
  const checks: Check[] = []
  const pass = (name: string, detail: string) => checks.push({ name, status: 'pass', detail })

  // Only RS256: Salesforce signs with it (discovery's id_token_signing_alg_values_supported); "none" or
  // HS256 from a server is exactly the downgrade a client must refuse (RFC 8725 §2.1).
  if (header.alg !== 'RS256') fail('ID_TOKEN_KEY_UNKNOWN', `id_token header "alg" is ${JSON.stringify(header.alg)}, not RS256: Salesforce signs id_tokens with RS256 only`, { alg: header.alg })
  const kid = header.kid
  const jwk = keys.find((k) => (k as { kid?: unknown }).kid === kid && k.kty === 'RSA')
  if (typeof kid !== 'string' || jwk === undefined) fail('ID_TOKEN_KEY_UNKNOWN', `id_token header "kid" ${JSON.stringify(kid)} is not a key of /id/keys: the token was not signed by this login host's key`, { kid, known: keys.map((k) => (k as { kid?: unknown }).kid) })
  let ok = false
  try {
    ok = verify('RSA-SHA256', Buffer.from(`${h}.${c}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'))
  } catch {
    ok = false
  }
  if (!ok) fail('ID_TOKEN_SIGNATURE_INVALID', `id_token signature does not verify with key "${kid}" of /id/keys: the token was forged or altered`, { kid })
  pass('id_token signature', `RS256, key ${kid} of /id/keys`)

  if (claims.iss !== expect.issuer) fail('ID_TOKEN_ISSUER_MISMATCH', `id_token "iss" is ${JSON.stringify(claims.iss)}, not the login host ${expect.issuer}: the token comes from another issuer`, { iss: claims.iss, expected: expect.issuer })
  pass('id_token iss', expect.issuer)

  const aud = claims.aud
  const audOk = aud === expect.clientId || (Array.isArray(aud) && aud.includes(expect.clientId) && (aud.length === 1 || claims.azp === expect.clientId))
  if (!audOk) fail('ID_TOKEN_AUDIENCE_MISMATCH', 'id_token "aud" is not SF_CLIENT_ID: the token was issued to another client', { audIsString: typeof aud === 'string' })
  pass('id_token aud', 'the client id')

  const skew = expect.skewS ?? ID_TOKEN_SKEW_S
  const nowS = expect.now / 1000
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') fail('ID_TOKEN_MALFORMED', 'id_token lacks a numeric "exp" or "iat": OpenID Connect requires both (seconds since the epoch)', { exp: typeof claims.exp, iat: typeof claims.iat })
  if (claims.exp + skew < nowS) fail('ID_TOKEN_EXPIRED', `id_token expired at ${new Date(claims.exp * 1000).toISOString()} (local clock ${new Date(expect.now).toISOString()}, ${skew} s skew allowed): check the local clock, or the server sent an old token`, { exp: claims.exp, iat: claims.iat })
  if (claims.iat - skew > nowS) fail('ID_TOKEN_ISSUED_IN_FUTURE', `id_token "iat" ${new Date(claims.iat * 1000).toISOString()} is ahead of the local clock ${new Date(expect.now).toISOString()} by more than ${skew} s: fix the clock`, { iat: claims.iat })
  pass('id_token exp/iat', `valid until ${new Date(claims.exp * 1000).toISOString()}`)

  if (expect.nonce !== undefined) {
    if (typeof claims.nonce !== 'string' || !b64uEqual(claims.nonce, expect.nonce)) fail('ID_TOKEN_NONCE_MISMATCH', `id_token "nonce" is ${claims.nonce === undefined ? 'missing' : 'not the one sent'}: the token does not answer this authorize request (replayed or crossed)`, { present: claims.nonce !== undefined })
    pass('id_token nonce', 'echoes the nonce sent')
  }

  // at_hash: base64url of the left half of SHA-256(access_token) (OpenID Connect Core §3.1.3.6, RS256 → SHA-256).
  if (claims.at_hash !== undefined) {
    const want = createHash('sha256').update(expect.accessToken).digest().subarray(0, 16).toString('base64url')
    if (typeof claims.at_hash !== 'string' || !b64uEqual(claims.at_hash, want)) fail('ID_TOKEN_AT_HASH_MISMATCH', 'id_token "at_hash" does not match the access token of the same answer: the two were not issued together', {})
    pass('id_token at_hash', 'matches the access token')
  } else {
    checks.push({ name: 'id_token at_hash', status: 'warn', detail: 'absent, though Salesforce sends it' })
  }

  if (claims.sub !== expect.identityUrl) fail('ID_TOKEN_SUBJECT_MISMATCH', 'id_token "sub" is not the identity URL ("id") of the same answer: Salesforce sets sub to it', { subIsString: typeof claims.sub === 'string' })
  pass('id_token sub', 'the identity URL')
  if (typeof claims.auth_time === 'number') pass('id_token auth_time', new Date(claims.auth_time * 1000).toISOString())
  return { claims: claims as IdTokenClaims, checks }
}
