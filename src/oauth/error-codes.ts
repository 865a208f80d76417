/**
 * Salesforce OAuth errors → the harness's stable codes: a closed, listed mapping. An error not listed
 * becomes TOKEN_ERROR_UNKNOWN / AUTHORIZE_ERROR_UNKNOWN (the raw error stays in the error's message,
 * `error` field and cause); codes are never built from the server's text. The one-line fix is the
 * registry's (src/error-registry.ts).
 * Strings follow docs/salesforce-oauth.md §1.5 and §2.3 (observed traffic wins over docs where they DISAGREE).
 */
import { type CodeOf, ERRORS } from '../error-registry.js'

export interface ErrorMeaning<C extends CodeOf<'TokenEndpointError' | 'AuthorizationError'>> {
  readonly code: C
  readonly fix: string
}

export interface ErrorRule<C> {
  /** The `error` Salesforce sends, matched exactly. */
  readonly error: string
  /** Matched case-insensitively against the start of error_description; undefined matches any. */
  readonly description?: string
  readonly code: C
}

export const TOKEN_RULES: readonly ErrorRule<CodeOf<'TokenEndpointError'>>[] = [
  { error: 'invalid_grant', description: 'expired authorization code', code: 'TOKEN_CODE_EXPIRED' },
  { error: 'invalid_grant', description: 'invalid code verifier', code: 'TOKEN_INVALID_CODE_VERIFIER' },
  { error: 'invalid_grant', description: 'expired access/refresh token', code: 'TOKEN_REFRESH_TOKEN_EXPIRED' },
  { error: 'invalid_grant', description: 'authentication failure', code: 'TOKEN_AUTHENTICATION_FAILURE' },
  { error: 'invalid_grant', code: 'TOKEN_INVALID_GRANT' },
  { error: 'invalid_client_id', code: 'TOKEN_INVALID_CLIENT_ID' },
  { error: 'invalid_client', description: 'invalid client credentials', code: 'TOKEN_INVALID_CLIENT_CREDENTIALS' },
  { error: 'invalid_client', code: 'TOKEN_INVALID_CLIENT' },
  { error: 'redirect_uri_mismatch', code: 'TOKEN_REDIRECT_URI_MISMATCH' },
  { error: 'unsupported_grant_type', code: 'TOKEN_UNSUPPORTED_GRANT_TYPE' },
  { error: 'invalid_scope', code: 'TOKEN_INVALID_SCOPE' },
  { error: 'invalid_request', code: 'TOKEN_INVALID_REQUEST' },
  { error: 'inactive_user', code: 'TOKEN_INACTIVE_USER' },
  { error: 'inactive_org', code: 'TOKEN_INACTIVE_ORG' },
  { error: 'rate_limit_exceeded', code: 'TOKEN_RATE_LIMITED' },
  { error: 'invalid_app_access', code: 'TOKEN_INVALID_APP_ACCESS' },
  // Revoke answers through the same error parser (RFC 7009 §2.2.1).
  { error: 'unsupported_token_type', code: 'TOKEN_UNSUPPORTED_TOKEN_TYPE' },
]

export const AUTHORIZE_RULES: readonly ErrorRule<CodeOf<'AuthorizationError'>>[] = [
  { error: 'access_denied', code: 'AUTHORIZE_ACCESS_DENIED' },
  { error: 'invalid_client_id', code: 'AUTHORIZE_INVALID_CLIENT_ID' },
  { error: 'redirect_uri_mismatch', code: 'AUTHORIZE_REDIRECT_URI_MISMATCH' },
  { error: 'immediate_unsuccessful', code: 'AUTHORIZE_IMMEDIATE_UNSUCCESSFUL' },
  { error: 'OAUTH_APP_BLOCKED', code: 'AUTHORIZE_APP_BLOCKED' },
  { error: 'invalid_scope', code: 'AUTHORIZE_INVALID_SCOPE' },
  { error: 'invalid_client', description: 'app must be installed', code: 'AUTHORIZE_APP_NOT_INSTALLED' },
  { error: 'invalid_client', code: 'AUTHORIZE_INVALID_CLIENT' },
  { error: 'OAUTH_APPROVAL_ERROR_GENERIC', code: 'AUTHORIZE_APPROVAL_ERROR' },
  { error: 'unsupported_response_type', code: 'AUTHORIZE_UNSUPPORTED_RESPONSE_TYPE' },
  { error: 'invalid_request', code: 'AUTHORIZE_INVALID_REQUEST' },
  { error: 'inactive_user', code: 'AUTHORIZE_INACTIVE_USER' },
  { error: 'inactive_org', code: 'AUTHORIZE_INACTIVE_ORG' },
  { error: 'rate_limit_exceeded', code: 'AUTHORIZE_RATE_LIMITED' },
]

function lookup<C extends CodeOf<'TokenEndpointError' | 'AuthorizationError'>>(rules: readonly ErrorRule<C>[], unknown: C, error: string, description: string | undefined): ErrorMeaning<C> {
  const desc = (description ?? '').toLowerCase()
  const code = rules.find((r) => r.error === error && (r.description === undefined || desc.startsWith(r.description)))?.code ?? unknown
  return { code, fix: ERRORS[code].fix }
}

export function tokenErrorMeaning(error: string, description: string | undefined): ErrorMeaning<CodeOf<'TokenEndpointError'>> {
  return lookup(TOKEN_RULES, 'TOKEN_ERROR_UNKNOWN', error, description)
}

export function authorizeErrorMeaning(error: string, description: string | undefined): ErrorMeaning<CodeOf<'AuthorizationError'>> {
  return lookup(AUTHORIZE_RULES, 'AUTHORIZE_ERROR_UNKNOWN', error, description)
}
