/** Token request bodies (pure). Sending them is src/http's job. */
import type { ValidatedCallback } from './callback.js'
import { isValidatedCallback } from './callback.js'
import { ResponseValidationError } from '../errors.js'

export interface ClientCredentials {
  readonly clientId: string
  readonly clientSecret: string | undefined
  /** SF_TOKEN_FORMAT: `format=` asked of the token endpoint; json (the default) sends nothing. */
  readonly tokenFormat?: 'json' | 'xml' | 'urlencoded' | undefined
}

function withFormat(body: URLSearchParams, client: ClientCredentials): URLSearchParams {
  if (client.tokenFormat !== undefined && client.tokenFormat !== 'json') body.set('format', client.tokenFormat)
  return body
}

/**
 * grant_type=authorization_code. Client credentials go in the body: Salesforce documents Basic auth too,
 * but historically refused it for this grant (docs/salesforce-oauth.md §2.1, §8.10).
 */
export function authorizationCodeBody(callback: ValidatedCallback, client: ClientCredentials, codeVerifier: string | undefined): URLSearchParams {
  if (!isValidatedCallback(callback)) {
    throw new ResponseValidationError('CALLBACK_NOT_VALIDATED', 'a code must come from parseCallback(), which checks "state": pass its result')
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: callback.code,
    client_id: client.clientId,
    redirect_uri: callback.redirectUri,
  })
  if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret)
  if (codeVerifier !== undefined) body.set('code_verifier', codeVerifier)
  return withFormat(body, client)
}

/** grant_type=refresh_token (docs/salesforce-oauth.md §3.2). */
export function refreshBody(refreshToken: string, client: ClientCredentials): URLSearchParams {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId })
  if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret)
  return withFormat(body, client)
}

/**
 * Does this scope ask for a refresh token? Salesforce issues one only for `refresh_token` or
 * `offline_access` (docs/salesforce-oauth.md §3.1); the answer's checks then demand it.
 */
export function scopeAsksForRefreshToken(scope: string): boolean {
  return /(^|\s)(refresh_token|offline_access)(\s|$)/.test(scope)
}
