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

/** Who an access token belongs to, as userinfo says (docs/salesforce-oauth.md §5.3). */
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

/** The identity URL's answer (docs/salesforce-oauth.md §5.4): the user, the org and its service URLs. */
export interface Identity {
  /** The identity URL itself, as the answer names it. */
  readonly id: string
  readonly userId: string
  readonly organizationId: string
  readonly username: string
  /** The org's service URLs by name (`rest`, `sobjects`, `enterprise`, ...): strings only; absent when the answer has none. */
  readonly urls: Readonly<Record<string, string>>
}

/** The identity URL (the token answer's `id`, docs/salesforce-oauth.md §5.4): Salesforce's own shape of userinfo. */
export function processIdentityResponse(res: RawResponse): Identity {
  // A version the org does not serve (or not a version) is refused with 406 and the word Invalid_Version (§11.2, status unverified).
  if (res.status === 406) {
    throw new ResponseValidationError('IDENTITY_VERSION_REFUSED', `the identity URL refused the version (HTTP 406 ${res.body.trim().slice(0, 40)}): ask for latest or an API version the org serves, e.g. 62.0`, { cause: evidence(res) })
  }
  const str = identityService(res, 'identity URL')
  const raw = parseJsonObject(res, 'identity URL').urls
  const urls = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string')) : {}
  return { id: str('id'), userId: str('user_id'), organizationId: str('organization_id'), username: str('username'), urls }
}

/**
 * The identity URL asked with `version`: no `{version}` placeholder left in `urls`, and the versioned ones
 * (`rest`, `sobjects`, `query`, `search`: `/services/data/vNN.N/`) name one version, the asked one unless it
 * was `latest`. Returns what was seen, e.g. `urls at v62.0`.
 */
export function checkIdentityUrls(id: Pick<Identity, 'urls'>, version: string): string {
  const unfilled = Object.entries(id.urls).filter(([, u]) => u.includes('{version}')).map(([k]) => k)
  if (unfilled.length > 0) throw new ResponseValidationError('IDENTITY_VERSION_UNFILLED', `identity URL with version=${version}: urls ${unfilled.join(', ')} still carry {version}: the org ignored the version parameter; check the id of the token answer`)
  const versions = [...new Set(Object.values(id.urls).flatMap((u) => /\/services\/data\/v(\d{1,3}\.\d)\//.exec(u)?.[1] ?? []))]
  if (versions.length === 0) throw new ResponseValidationError('IDENTITY_VERSION_UNFILLED', `identity URL with version=${version}: urls has no /services/data/vNN.N/ URL (rest, sobjects): the answer is not an identity URL's; check the id of the token answer`)
  const asked = version === 'latest' ? undefined : version.includes('.') ? version : `${version}.0`
  if (versions.length > 1 || (asked !== undefined && versions[0] !== asked)) throw new ResponseValidationError('IDENTITY_VERSION_UNFILLED', `identity URL with version=${version}: urls name version ${versions.join(', ')}: the org did not honour the version parameter`)
  return `urls at v${versions[0] ?? ''}`
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
