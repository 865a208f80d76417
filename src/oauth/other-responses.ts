/**
 * Process functions for revoke and userinfo (docs/salesforce-oauth.md §5.1, §5.3).
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

/** Userinfo: JSON on 200; 403 with the plain-text word `Bad_OAuth_Token` for a token it refuses. */
export function processUserinfoResponse(res: RawResponse): UserInfo {
  if (res.status === 403 || res.status === 401) {
    const word = res.body.trim().slice(0, 40)
    throw new ResponseValidationError('USERINFO_BAD_TOKEN', `userinfo refused the access token (HTTP ${res.status} ${word}): it expired or was revoked; refresh it or run the flow again`, { cause: evidence(res) })
  }
  if (res.status !== 200) throw errorForStatus(res, 'the userinfo call')
  const data = parseJsonObject(res, 'userinfo')
  const str = (k: string): string => {
    const v = data[k]
    if (typeof v !== 'string' || v === '') {
      throw new ResponseValidationError('RESPONSE_FIELD_MISSING', `userinfo: "${k}" is missing or not a string`, { cause: evidence(res) })
    }
    return v
  }
  return { sub: str('sub'), userId: str('user_id'), organizationId: str('organization_id'), preferredUsername: str('preferred_username') }
}

/** Introspect: `{"active": true, ...}` or `{"active": false}` (RFC 7662). */
export function processIntrospectResponse(res: RawResponse): { active: boolean; username: string | undefined } {
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
