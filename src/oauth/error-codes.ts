/**
 * Salesforce OAuth errors → the harness's stable codes and a one-line fix.
 * Strings follow docs/salesforce-oauth.md §1.5 and §2.3 (observed traffic wins over docs where they DISAGREE).
 */

export interface ErrorMeaning {
  readonly code: string
  readonly fix: string
}

interface Rule {
  readonly error: string
  /** Matched case-insensitively against the start of error_description; undefined matches any. */
  readonly description?: string
  readonly code: string
  readonly fix: string
}

const TOKEN_RULES: readonly Rule[] = [
  { error: 'invalid_grant', description: 'expired authorization code', code: 'TOKEN_CODE_EXPIRED', fix: 'the code was already used or is older than 15 minutes: run the flow again and redeem the code once, at once' },
  { error: 'invalid_grant', description: 'invalid code verifier', code: 'TOKEN_INVALID_CODE_VERIFIER', fix: 'send the code_verifier that produced the code_challenge (base64url, 43-128 characters, no "~")' },
  { error: 'invalid_grant', description: 'expired access/refresh token', code: 'TOKEN_REFRESH_TOKEN_EXPIRED', fix: 'the refresh token was revoked, rotated or idle too long: run the browser flow again for a new one' },
  { error: 'invalid_grant', description: 'authentication failure', code: 'TOKEN_AUTHENTICATION_FAILURE', fix: 'redeem the code at the same host that issued it (sandbox codes at test.salesforce.com or the My Domain), with the same client' },
  { error: 'invalid_grant', code: 'TOKEN_INVALID_GRANT', fix: 'the code or refresh token was refused: run the flow again' },
  { error: 'invalid_client_id', code: 'TOKEN_INVALID_CLIENT_ID', fix: "SF_CLIENT_ID is not a consumer key of this org: copy the Connected App's consumer key" },
  { error: 'invalid_client', description: 'invalid client credentials', code: 'TOKEN_INVALID_CLIENT_CREDENTIALS', fix: "SF_CLIENT_SECRET is wrong: copy the Connected App's consumer secret" },
  { error: 'invalid_client', code: 'TOKEN_INVALID_CLIENT', fix: 'the client was refused: check SF_CLIENT_ID and SF_CLIENT_SECRET' },
  { error: 'redirect_uri_mismatch', code: 'TOKEN_REDIRECT_URI_MISMATCH', fix: 'send the same redirect_uri to the token endpoint as to authorize, byte for byte' },
  { error: 'unsupported_grant_type', code: 'TOKEN_UNSUPPORTED_GRANT_TYPE', fix: 'POST application/x-www-form-urlencoded to an https:// login URL (an http:// URL is redirected and the body is lost)' },
  { error: 'invalid_scope', code: 'TOKEN_INVALID_SCOPE', fix: 'request only scopes the Connected App has (SF_SCOPE)' },
  { error: 'invalid_request', code: 'TOKEN_INVALID_REQUEST', fix: 'the token request is malformed: check SF_REDIRECT_URI and SF_CLIENT_ID' },
  { error: 'inactive_user', code: 'TOKEN_INACTIVE_USER', fix: 'the user is inactive: activate the user or use another one' },
  { error: 'inactive_org', code: 'TOKEN_INACTIVE_ORG', fix: 'the org is locked, closed or suspended' },
  { error: 'rate_limit_exceeded', code: 'TOKEN_RATE_LIMITED', fix: 'Salesforce limits logins per user per hour: wait and run again less often' },
  { error: 'invalid_app_access', code: 'TOKEN_INVALID_APP_ACCESS', fix: 'the user is not admin-approved for this app: assign a profile or permission set in the Connected App policies' },
]

const AUTHORIZE_RULES: readonly Rule[] = [
  { error: 'access_denied', code: 'AUTHORIZE_ACCESS_DENIED', fix: 'the user clicked Deny on "Allow Access?": approve the app to get a code' },
  { error: 'invalid_client_id', code: 'AUTHORIZE_INVALID_CLIENT_ID', fix: "SF_CLIENT_ID is not a consumer key of this org: copy the Connected App's consumer key" },
  { error: 'redirect_uri_mismatch', code: 'AUTHORIZE_REDIRECT_URI_MISMATCH', fix: "SF_REDIRECT_URI must be one of the Connected App's Callback URLs, byte for byte" },
  { error: 'immediate_unsuccessful', code: 'AUTHORIZE_IMMEDIATE_UNSUCCESSFUL', fix: 'immediate=true needs a logged-in user who already approved the app' },
  { error: 'OAUTH_APP_BLOCKED', code: 'AUTHORIZE_APP_BLOCKED', fix: 'an admin blocked this app: unblock it in Connected Apps OAuth Usage' },
  { error: 'invalid_scope', code: 'AUTHORIZE_INVALID_SCOPE', fix: "request only scopes the Connected App has: add refresh_token/offline_access to the app or remove it from SF_SCOPE" },
  { error: 'invalid_client', description: 'app must be installed', code: 'AUTHORIZE_APP_NOT_INSTALLED', fix: 'install the app in Setup > Connected Apps OAuth Usage, or give the user "Approve Uninstalled Connected Apps"' },
  { error: 'invalid_client', code: 'AUTHORIZE_INVALID_CLIENT', fix: 'the app was refused: check that it is installed and enabled in this org' },
  { error: 'OAUTH_APPROVAL_ERROR_GENERIC', code: 'AUTHORIZE_APPROVAL_ERROR', fix: 'the org refused the approval: if the app requires PKCE keep SF_PKCE on; check the scopes and the user licence' },
  { error: 'unsupported_response_type', code: 'AUTHORIZE_UNSUPPORTED_RESPONSE_TYPE', fix: 'use response_type=code' },
  { error: 'invalid_request', code: 'AUTHORIZE_INVALID_REQUEST', fix: 'the authorize request is malformed: check the PKCE and redirect parameters' },
  { error: 'inactive_user', code: 'AUTHORIZE_INACTIVE_USER', fix: 'the user is inactive: activate the user or use another one' },
  { error: 'inactive_org', code: 'AUTHORIZE_INACTIVE_ORG', fix: 'the org is locked, closed or suspended' },
  { error: 'rate_limit_exceeded', code: 'AUTHORIZE_RATE_LIMITED', fix: 'too many logins for this user: wait and run again less often' },
]

function lookup(rules: readonly Rule[], prefix: string, error: string, description: string | undefined): ErrorMeaning {
  const desc = (description ?? '').toLowerCase()
  const rule = rules.find((r) => r.error === error && (r.description === undefined || desc.startsWith(r.description)))
  if (rule) return { code: rule.code, fix: rule.fix }
  const tail = error.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase().slice(0, 40) || 'UNKNOWN'
  return { code: `${prefix}_${tail}`, fix: 'Salesforce refused the request; see error_description' }
}

export function tokenErrorMeaning(error: string, description: string | undefined): ErrorMeaning {
  return lookup(TOKEN_RULES, 'TOKEN', error, description)
}

export function authorizeErrorMeaning(error: string, description: string | undefined): ErrorMeaning {
  return lookup(AUTHORIZE_RULES, 'AUTHORIZE', error, description)
}
