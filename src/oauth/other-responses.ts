/**
 * Process functions for revoke, userinfo, introspect and the identity URL (docs/salesforce-oauth.md §5.1-§5.4). Pure:
 * they read an answer and throw or return; the tokens they are given were registered by the caller.
 */
import { ResponseValidationError, TokenEndpointError } from '../errors.js'
import { errorForStatus, evidence, parseJsonObject, parseOAuthError } from './token-response.js'
import type { RawResponse } from './types.js'

/** Revoke: 200 with an empty body; 400 `invalid_token` for an unknown token. */
export function processRevokeResponse(res: RawResponse): void {
  if (res.status === 200) return
  const oauth = parseOAuthError(res)
  if (res.status === 400 && oauth?.error === 'invalid_token') {
    throw new TokenEndpointError('REVOKE_INVALID_TOKEN', 'revoke refused: invalid_token: the token is unknown, already revoked or expired; nothing left to revoke', res.status, oauth.error, oauth.description, evidence(res))
  }
  throw errorForStatus(res, 'the revoke call')
}

export interface UserInfo {
  readonly sub: string
  readonly userId: string
  readonly organizationId: string
  readonly preferredUsername: string
}

/**
 * Userinfo and the identity URL are one service (§5.3, §5.4): a token it refuses gets 403 (401) and one
 * plain-text word such as `Bad_OAuth_Token`; anything else must be a JSON object of non-empty strings.
 */
function identityService(res: RawResponse, what: string): (k: string) => string {
  if (res.status === 403 || res.status === 401) {
    const word = res.body.trim().slice(0, 40)
    throw new ResponseValidationError('USERINFO_BAD_TOKEN', `${what} refused the access token (HTTP ${res.status} ${word}): it expired or was revoked; refresh it or run the flow again`, { cause: evidence(res) })
  }
  if (res.status !== 200) throw errorForStatus(res, `the ${what} call`)
  const data = parseJsonObject(res, what)
  return (k: string): string => {
    const v = data[k]
    if (typeof v !== 'string' || v === '') {
      throw new ResponseValidationError('RESPONSE_FIELD_MISSING', `${what}: "${k}" is missing or not a string`, { cause: evidence(res) })
    }
    return v
  }
}

/** Userinfo: JSON on 200; 403 with the plain-text word `Bad_OAuth_Token` for a token it refuses. */
export function processUserinfoResponse(res: RawResponse): UserInfo {
  const str = identityService(res, 'userinfo')
  return { sub: str('sub'), userId: str('user_id'), organizationId: str('organization_id'), preferredUsername: str('preferred_username') }
}

export interface Identity {
  /** The identity URL itself, as the answer names it. */
  readonly id: string
  readonly userId: string
  readonly organizationId: string
  readonly username: string
}

/** The identity URL (the token answer's `id`, docs/salesforce-oauth.md §5.4): Salesforce's own shape of userinfo. */
export function processIdentityResponse(res: RawResponse): Identity {
  const str = identityService(res, 'identity URL')
  return { id: str('id'), userId: str('user_id'), organizationId: str('organization_id'), username: str('username') }
}

/** Introspect: `{"active": true, ...}` or `{"active": false}` (RFC 7662). */
export interface Introspection {
  readonly active: true
  readonly username: string | undefined
}

export function processIntrospectResponse(res: RawResponse): Introspection {
  if (res.status !== 200) throw errorForStatus(res, 'the introspect call')
  const data = parseJsonObject(res, 'introspect')
  if (typeof data.active !== 'boolean') {
    throw new ResponseValidationError('RESPONSE_FIELD_MISSING', 'introspect: "active" is missing or not a boolean', { cause: evidence(res) })
  }
  if (!data.active) {
    throw new ResponseValidationError('TOKEN_INACTIVE', 'introspect says the new access token is not active: the org revoked it at once; check the session policies of the app')
  }
  return { active: true, username: typeof data.username === 'string' ? data.username : undefined }
}
