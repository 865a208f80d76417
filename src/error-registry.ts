/**
 * Every error code the harness can produce, in one closed table: the HarnessError class that carries it,
 * its exit code, what it means, how to fix it, and where the rule comes from. `HarnessError.code` is typed
 * as a key of this table, so a code that is not listed here does not compile, and the exit code of an
 * error is looked up here (not chosen at the throw site). docs/errors.md is generated from it
 * (`npm run docs:errors`; tests/errors/registry.spec.ts fails when the file is stale).
 */

/** CLI exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage/config; 3 infrastructure. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INFRA: 3 } as const
/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
/** The exit code of a failure: never 0. */
export type FailureExit = Exclude<ExitCode, 0>

/** The classes of src/errors.ts and src/store, by name; `Error` is anything that is not a HarnessError (a bug). */
export type ErrorClass =
  | 'HarnessError'
  | 'ConfigError'
  | 'UsageError'
  | 'TokenFileError'
  | 'OutputSymlinkError'
  | 'AuthorizationError'
  | 'TokenEndpointError'
  | 'ResponseValidationError'
  | 'BrowserFlowError'
  | 'InfraError'
  | 'Error'

/** Public sources the rules come from, cited by key (optionally with a section: `RFC 6749 §10.12`). */
export const SOURCES = {
  harness: { label: 'harness', title: "sf-oauth-harness's own rule", url: undefined },
  observed: { label: 'observed', title: 'Salesforce behaviour observed in real traffic and reported publicly, not (or differently) in its docs', url: undefined },
  'sf-errors': { label: 'SF Help: OAuth errors', title: 'Salesforce Help: OAuth 2.0 Authorization Errors', url: 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm&type=5' },
  'sf-web-server-flow': { label: 'SF Help: web server flow', title: 'Salesforce Help: OAuth 2.0 Web Server Flow for Web App Integration', url: 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm&type=5' },
  'sf-revoke': { label: 'SF Help: revoke', title: 'Salesforce Help: Revoke OAuth Tokens', url: 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5' },
  'sf-userinfo': { label: 'SF Help: UserInfo', title: 'Salesforce Help: UserInfo Endpoint', url: 'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm&type=5' },
  'sf-identity-urls': { label: 'SF Mobile SDK: identity URLs', title: 'Salesforce Mobile SDK Development Guide: Using Identity URLs', url: 'https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-using-identity-urls.html' },
  'RFC 6749': { label: 'RFC 6749', title: 'RFC 6749, The OAuth 2.0 Authorization Framework', url: 'https://www.rfc-editor.org/rfc/rfc6749' },
  'RFC 7009': { label: 'RFC 7009', title: 'RFC 7009, OAuth 2.0 Token Revocation', url: 'https://www.rfc-editor.org/rfc/rfc7009' },
  'RFC 7636': { label: 'RFC 7636', title: 'RFC 7636, Proof Key for Code Exchange (PKCE)', url: 'https://www.rfc-editor.org/rfc/rfc7636' },
  'RFC 7662': { label: 'RFC 7662', title: 'RFC 7662, OAuth 2.0 Token Introspection', url: 'https://www.rfc-editor.org/rfc/rfc7662' },
  'RFC 8252': { label: 'RFC 8252', title: 'RFC 8252, OAuth 2.0 for Native Apps (loopback redirects)', url: 'https://www.rfc-editor.org/rfc/rfc8252' },
  'OIDC Core': { label: 'OIDC Core', title: 'OpenID Connect Core 1.0', url: 'https://openid.net/specs/openid-connect-core-1_0.html' },
  'RFC 9700': { label: 'RFC 9700', title: 'RFC 9700, Best Current Practice for OAuth 2.0 Security', url: 'https://www.rfc-editor.org/rfc/rfc9700' },
} as const
export type SourceKey = keyof typeof SOURCES
export type SourceRef = SourceKey | `${SourceKey} §${string}`

export interface ErrorEntry {
  readonly class: ErrorClass
  readonly exit: FailureExit
  /** What happened, one line. */
  readonly meaning: string
  /** What to do, one line. Errors mapped from a Salesforce answer print it as the end of their message. */
  readonly fix: string
  readonly source: SourceRef
}

const F = EXIT.FAILED
const U = EXIT.USAGE
const I = EXIT.INFRA

/** The error registry: per code its class, exit code, meaning, fix and source (docs/errors.md is generated from it). */
export const ERRORS = {
  // ── usage and configuration (exit 2) ──
  CONFIG_INVALID: { class: 'ConfigError', exit: U, meaning: 'the configuration (environment, .env or targets file) has one or more bad values, all listed at once', fix: 'fix each variable the message names, as its fix says (see .env.example and schemas/targets.schema.json)', source: 'harness' },
  USAGE_INVALID: { class: 'UsageError', exit: U, meaning: 'the command line is wrong: unknown command or option, missing argument, unreadable input file, unwritable output path', fix: 'follow the message, or see sf-oauth COMMAND --help', source: 'harness' },
  OUTPUT_SYMLINK: { class: 'OutputSymlinkError', exit: U, meaning: 'an output path (token file, record directory, browser state, report) is a symbolic link; the harness never writes through one', fix: 'remove the link or choose another path', source: 'harness' },
  OUTPUT_COLLISION: { class: 'HarnessError', exit: U, meaning: 'two outputs of one run name the same file, so one would overwrite the other', fix: 'give each output its own path', source: 'harness' },
  TOKEN_FILE_INVALID: { class: 'TokenFileError', exit: U, meaning: 'a token file is not a token set saved by sf-oauth flow --save (not a regular file, too big, not UTF-8 JSON, a field missing or malformed)', fix: 'save it again with sf-oauth flow --save FILE', source: 'harness' },
  TOKEN_FILE_PERMISSIONS: { class: 'TokenFileError', exit: U, meaning: 'a token file is readable or writable by group or others, or belongs to another user, so someone else could read or redirect its tokens', fix: 'chmod 600 the file (and revoke its tokens if others could read it), or save your own copy', source: 'harness' },
  TOKEN_FILE_SYMLINK: { class: 'TokenFileError', exit: U, meaning: 'a token file is a symbolic link; refresh writes the rotated token back to that path, never through a link', fix: "use the real file's path", source: 'harness' },
  TOKEN_FILE_HOST_MISMATCH: { class: 'TokenFileError', exit: U, meaning: 'a token file was saved from another login host than the configured one, so its refresh token and the client secret would go to that host', fix: 'save the file again from the configured login URL, or point SF_LOGIN_URL at the saved host if you trust it', source: 'harness' },
  TOKEN_FILE_HOST_UNTRUSTED: { class: 'TokenFileError', exit: U, meaning: "a token file names a login host outside Salesforce's domains and SF_LOGIN_URL is not set to confirm it", fix: 'set SF_LOGIN_URL to that host if it is your login host (a custom domain), otherwise do not use the file', source: 'harness' },
  LOGIN_URL_INVALID: { class: 'HarnessError', exit: U, meaning: 'a login, instance or identity URL that the URL rule refuses reached the point where endpoints are built (it should have been refused where it came in)', fix: 'use an https login URL (http only on loopback) with no credentials, query or non-ASCII host', source: 'harness' },
  EMULATOR_HOST_INVALID: { class: 'HarnessError', exit: U, meaning: 'sf-oauth emulator --host is not a host name or IP address, does not resolve, or is not an address of this machine', fix: 'use an address of this machine, e.g. 127.0.0.1 (default), ::1 or localhost', source: 'harness' },
  TRANSCRIPT_INVALID: { class: 'HarnessError', exit: U, meaning: 'a transcript given to sf-oauth replay is not a well-formed transcript of sf-oauth flow --record', fix: 'record it again with sf-oauth flow --record DIR', source: 'harness' },
  NOCK_FIXTURE_INVALID: { class: 'HarnessError', exit: U, meaning: 'a fixture given to sf-oauth replay is not a usable list of nock definitions', fix: 'record it again with sf-oauth record', source: 'harness' },

  // ── the authorize step (exit 1): Salesforce's redirect, plain-text answer or error page ──
  STATE_MISMATCH: { class: 'AuthorizationError', exit: F, meaning: 'the callback carries another "state" than the one sent, so it is not the answer to this flow (a forged or crossed redirect)', fix: 'run the flow again; if it repeats, something else is redirecting to the callback URL', source: 'RFC 6749 §10.12' },
  STATE_MISSING: { class: 'AuthorizationError', exit: F, meaning: 'the callback has no "state" although one was sent; Salesforce echoes it on every redirect', fix: 'run the flow again; check that nothing rewrites the redirect', source: 'RFC 6749 §4.1.2' },
  AUTHORIZE_ACCESS_DENIED: { class: 'AuthorizationError', exit: F, meaning: 'the user denied access on the "Allow Access?" page', fix: 'the user clicked Deny on "Allow Access?": approve the app to get a code', source: 'RFC 6749 §4.1.2.1' },
  AUTHORIZE_INVALID_CLIENT_ID: { class: 'AuthorizationError', exit: F, meaning: 'the authorize endpoint does not know the client_id (answered in plain text, no redirect)', fix: "SF_CLIENT_ID is not a consumer key of this org: copy the Connected App's consumer key", source: 'sf-errors' },
  AUTHORIZE_REDIRECT_URI_MISMATCH: { class: 'AuthorizationError', exit: F, meaning: "the redirect_uri is not one of the app's Callback URLs (answered in plain text, no redirect)", fix: "SF_REDIRECT_URI must be one of the Connected App's Callback URLs, byte for byte", source: 'sf-errors' },
  AUTHORIZE_IMMEDIATE_UNSUCCESSFUL: { class: 'AuthorizationError', exit: F, meaning: 'immediate=true was asked, and the user is not logged in or has not approved the app', fix: 'immediate=true needs a logged-in user who already approved the app', source: 'sf-errors' },
  AUTHORIZE_APP_BLOCKED: { class: 'AuthorizationError', exit: F, meaning: 'an admin blocked the Connected App (OAUTH_APP_BLOCKED)', fix: 'an admin blocked this app: unblock it in Connected Apps OAuth Usage', source: 'observed' },
  AUTHORIZE_INVALID_SCOPE: { class: 'AuthorizationError', exit: F, meaning: 'a requested scope is not allowed for the app (often refresh_token on an app without it)', fix: 'request only scopes the Connected App has: add refresh_token/offline_access to the app or remove it from SF_SCOPE', source: 'sf-errors' },
  AUTHORIZE_APP_NOT_INSTALLED: { class: 'AuthorizationError', exit: F, meaning: 'the Connected App is not installed in the org (error page: "app must be installed into org")', fix: 'install the app in Setup > Connected Apps OAuth Usage, or give the user "Approve Uninstalled Connected Apps"', source: 'observed' },
  AUTHORIZE_INVALID_CLIENT: { class: 'AuthorizationError', exit: F, meaning: 'the authorize endpoint refused the client (invalid_client)', fix: 'the app was refused: check that it is installed and enabled in this org', source: 'sf-errors' },
  AUTHORIZE_APPROVAL_ERROR: { class: 'AuthorizationError', exit: F, meaning: "Salesforce's OAuth error page with OAUTH_APPROVAL_ERROR_GENERIC (an org requiring PKCE without a challenge, a scope the app lacks, a licence without API)", fix: 'the org refused the approval: if the app requires PKCE keep SF_PKCE on; check the scopes and the user licence', source: 'observed' },
  AUTHORIZE_UNSUPPORTED_RESPONSE_TYPE: { class: 'AuthorizationError', exit: F, meaning: 'the response_type is not supported', fix: 'use response_type=code', source: 'sf-errors' },
  AUTHORIZE_INVALID_REQUEST: { class: 'AuthorizationError', exit: F, meaning: 'the authorize request is malformed (invalid_request)', fix: 'the authorize request is malformed: check the PKCE and redirect parameters', source: 'sf-errors' },
  AUTHORIZE_INACTIVE_USER: { class: 'AuthorizationError', exit: F, meaning: 'the user is inactive', fix: 'the user is inactive: activate the user or use another one', source: 'sf-errors' },
  AUTHORIZE_INACTIVE_ORG: { class: 'AuthorizationError', exit: F, meaning: 'the org is locked, closed or suspended', fix: 'the org is locked, closed or suspended', source: 'sf-errors' },
  AUTHORIZE_RATE_LIMITED: { class: 'AuthorizationError', exit: F, meaning: 'too many logins for this user in the last hour (rate_limit_exceeded)', fix: 'too many logins for this user: wait and run again less often', source: 'sf-errors' },
  AUTHORIZE_ERROR_UNKNOWN: { class: 'AuthorizationError', exit: F, meaning: 'the authorize step answered an error the harness does not list; the raw error is in the message, the error field and the cause', fix: 'Salesforce refused the request with an error the harness does not list: see error_description', source: 'RFC 6749 §4.1.2.1' },

  // ── the token endpoint and the other OAuth endpoints answered an OAuth error (exit 1) ──
  TOKEN_CODE_EXPIRED: { class: 'TokenEndpointError', exit: F, meaning: 'the authorization code was already redeemed or is older than 15 minutes (invalid_grant "expired authorization code")', fix: 'the code was already used or is older than 15 minutes: run the flow again and redeem the code once, at once', source: 'observed' },
  TOKEN_INVALID_CODE_VERIFIER: { class: 'TokenEndpointError', exit: F, meaning: 'the PKCE code_verifier does not match the code_challenge (invalid_grant "invalid code verifier"; the docs say invalid_request)', fix: 'send the code_verifier that produced the code_challenge (base64url, 43-128 characters, no "~")', source: 'observed' },
  TOKEN_REFRESH_TOKEN_EXPIRED: { class: 'TokenEndpointError', exit: F, meaning: 'the refresh token was revoked, rotated out, or idle too long (invalid_grant "expired access/refresh token")', fix: 'the refresh token was revoked, rotated or idle too long: run the browser flow again for a new one', source: 'sf-errors' },
  TOKEN_AUTHENTICATION_FAILURE: { class: 'TokenEndpointError', exit: F, meaning: 'the code was redeemed at another host or by another client than the one it was issued to (invalid_grant "authentication failure")', fix: 'redeem the code at the same host that issued it (sandbox codes at test.salesforce.com or the My Domain), with the same client', source: 'observed' },
  TOKEN_INVALID_GRANT: { class: 'TokenEndpointError', exit: F, meaning: 'the code or refresh token was refused for another reason (invalid_grant)', fix: 'the code or refresh token was refused: run the flow again', source: 'RFC 6749 §5.2' },
  TOKEN_INVALID_CLIENT_ID: { class: 'TokenEndpointError', exit: F, meaning: 'the token endpoint does not know the client_id (invalid_client_id)', fix: "SF_CLIENT_ID is not a consumer key of this org: copy the Connected App's consumer key", source: 'sf-errors' },
  TOKEN_INVALID_CLIENT_CREDENTIALS: { class: 'TokenEndpointError', exit: F, meaning: 'the client secret is wrong (invalid_client "invalid client credentials")', fix: "SF_CLIENT_SECRET is wrong: copy the Connected App's consumer secret", source: 'sf-errors' },
  TOKEN_INVALID_CLIENT: { class: 'TokenEndpointError', exit: F, meaning: 'the token endpoint refused the client for another reason (invalid_client)', fix: 'the client was refused: check SF_CLIENT_ID and SF_CLIENT_SECRET', source: 'RFC 6749 §5.2' },
  TOKEN_REDIRECT_URI_MISMATCH: { class: 'TokenEndpointError', exit: F, meaning: 'the redirect_uri sent to the token endpoint differs from the one sent to authorize', fix: 'send the same redirect_uri to the token endpoint as to authorize, byte for byte', source: 'RFC 6749 §4.1.3' },
  TOKEN_UNSUPPORTED_GRANT_TYPE: { class: 'TokenEndpointError', exit: F, meaning: 'the grant type was not seen: an unknown grant, a wrong Content-Type, or a POST to http:// whose body was lost in the redirect to https', fix: 'POST application/x-www-form-urlencoded to an https:// login URL (an http:// URL is redirected and the body is lost)', source: 'observed' },
  TOKEN_INVALID_SCOPE: { class: 'TokenEndpointError', exit: F, meaning: 'a requested scope is invalid or not allowed for the app (invalid_scope)', fix: 'request only scopes the Connected App has (SF_SCOPE)', source: 'sf-errors' },
  TOKEN_INVALID_REQUEST: { class: 'TokenEndpointError', exit: F, meaning: 'the token request is malformed (invalid_request)', fix: 'the token request is malformed: check SF_REDIRECT_URI and SF_CLIENT_ID', source: 'RFC 6749 §5.2' },
  TOKEN_INACTIVE_USER: { class: 'TokenEndpointError', exit: F, meaning: 'the user is inactive', fix: 'the user is inactive: activate the user or use another one', source: 'sf-errors' },
  TOKEN_INACTIVE_ORG: { class: 'TokenEndpointError', exit: F, meaning: 'the org is locked, closed or suspended', fix: 'the org is locked, closed or suspended', source: 'sf-errors' },
  TOKEN_RATE_LIMITED: { class: 'TokenEndpointError', exit: F, meaning: 'too many logins for this user in the last hour (rate_limit_exceeded)', fix: 'Salesforce limits logins per user per hour: wait and run again less often', source: 'sf-errors' },
  TOKEN_INVALID_APP_ACCESS: { class: 'TokenEndpointError', exit: F, meaning: 'the user is not admin-approved for this app (invalid_app_access)', fix: 'the user is not admin-approved for this app: assign a profile or permission set in the Connected App policies', source: 'sf-errors' },
  TOKEN_UNSUPPORTED_TOKEN_TYPE: { class: 'TokenEndpointError', exit: F, meaning: 'the revoke endpoint does not support the type of token sent (unsupported_token_type)', fix: 'revoke an access or refresh token of this org', source: 'RFC 7009 §2.2.1' },
  TOKEN_ERROR_UNKNOWN: { class: 'TokenEndpointError', exit: F, meaning: 'an OAuth endpoint answered an error the harness does not list; the raw error is in the message, the error field and the cause', fix: 'Salesforce refused the request with an error the harness does not list: see error_description', source: 'RFC 6749 §5.2' },
  REVOKE_INVALID_TOKEN: { class: 'TokenEndpointError', exit: F, meaning: 'the revoke endpoint does not know the token: already revoked, expired, or never issued (invalid_token)', fix: 'nothing is left to revoke; save a fresh token set if you need one', source: 'sf-revoke' },

  // ── an answer that is not what Salesforce sends, or a callback that is not ours (exit 1) ──
  CALLBACK_URI_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the authorization server redirected somewhere else than SF_REDIRECT_URI; the request was stopped before it left the browser', fix: 'check the Callback URL of the app and SF_REDIRECT_URI', source: 'RFC 9700 §4.1' },
  CALLBACK_INVALID: { class: 'ResponseValidationError', exit: F, meaning: 'the callback has neither "code" nor "error"', fix: 'check that the redirect URI is the one registered on the app', source: 'RFC 6749 §4.1.2' },
  CALLBACK_NOT_VALIDATED: { class: 'ResponseValidationError', exit: F, meaning: 'a code was passed to the token request without going through parseCallback(), which checks "state"', fix: 'pass the result of parseCallback() (a bug in the caller: report it)', source: 'harness' },
  SERVER_UNAVAILABLE: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered HTTP 500, 502 or 503 (maintenance or an outage); codes and refresh tokens are never re-sent', fix: 'try again later (status.salesforce.com)', source: 'observed' },
  UNEXPECTED_REDIRECT: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered with a redirect (typically http:// to https://, or an old host)', fix: 'use the https:// login URL the redirect points to as SF_LOGIN_URL', source: 'observed' },
  HTTP_STATUS_UNEXPECTED: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered a status that is not an OAuth answer (e.g. 404 or 418), so SF_LOGIN_URL is probably not Salesforce', fix: 'check SF_LOGIN_URL', source: 'harness' },
  RESPONSE_EMPTY: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered an empty body where a JSON object was due', fix: 'check SF_LOGIN_URL and any proxy in between', source: 'sf-web-server-flow' },
  RESPONSE_NOT_JSON: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered another content type than application/json (often an HTML page from a proxy or captive portal)', fix: 'check that SF_LOGIN_URL points at Salesforce and no proxy rewrites answers', source: 'sf-web-server-flow' },
  RESPONSE_MALFORMED_JSON: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered malformed or truncated JSON', fix: 'retry; if it persists, capture it with --record', source: 'harness' },
  RESPONSE_NOT_OBJECT: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered JSON that is not an object', fix: 'check SF_LOGIN_URL: the token response is a JSON object', source: 'sf-web-server-flow' },
  RESPONSE_FIELD_MISSING: { class: 'ResponseValidationError', exit: F, meaning: 'a field Salesforce always sends is missing from an answer', fix: 'check SF_LOGIN_URL; capture the answer with --record', source: 'sf-web-server-flow' },
  RESPONSE_FIELD_TYPE: { class: 'ResponseValidationError', exit: F, meaning: 'a field of an answer has the wrong JSON type (Salesforce sends every token field as a string)', fix: 'check SF_LOGIN_URL; capture the answer with --record', source: 'sf-web-server-flow' },
  RESPONSE_FIELD_EMPTY: { class: 'ResponseValidationError', exit: F, meaning: 'a field of an answer is empty, which Salesforce never sends', fix: 'check SF_LOGIN_URL; capture the answer with --record', source: 'sf-web-server-flow' },
  RESPONSE_FIELD_INVALID: { class: 'ResponseValidationError', exit: F, meaning: 'a field of an answer has the wrong form: id not <host>/id/<00D>/<005>, instance_url not an https Salesforce host, token_type not Bearer, issued_at not epoch milliseconds', fix: 'check SF_LOGIN_URL; capture the answer with --record', source: 'sf-web-server-flow' },
  HTTP_STATUS_INVALID: { class: 'ResponseValidationError', exit: F, meaning: "an endpoint answered a status outside HTTP's 200-599, so it is not Salesforce", fix: 'check SF_LOGIN_URL and any proxy', source: 'harness' },
  HTTP_PROTOCOL_ERROR: { class: 'ResponseValidationError', exit: F, meaning: 'an endpoint answered something that is not HTTP/1.1, so it is not Salesforce', fix: 'check SF_LOGIN_URL and any proxy', source: 'harness' },
  RESPONSE_TOO_LARGE: { class: 'ResponseValidationError', exit: F, meaning: 'an answer is larger than the harness reads (a token answer is under 4 KB); it was cut off unread', fix: 'check SF_LOGIN_URL and any proxy', source: 'harness' },
  SIGNATURE_INVALID: { class: 'ResponseValidationError', exit: F, meaning: 'the "signature" of a token answer is not HMAC-SHA256(client secret, id + issued_at) in base64', fix: 'the answer was altered, or SF_CLIENT_SECRET belongs to another app', source: 'sf-web-server-flow' },
  REFRESH_TOKEN_MISSING: { class: 'ResponseValidationError', exit: F, meaning: 'a refresh token was expected (in a token answer, or in a saved token file) and there is none', fix: 'add refresh_token (or offline_access) to the Connected App and to SF_SCOPE, then run the flow again', source: 'sf-web-server-flow' },
  TOKEN_INACTIVE: { class: 'ResponseValidationError', exit: F, meaning: 'introspection says a token just issued is not active', fix: 'the org revoked it at once: check the session policies of the app', source: 'RFC 7662 §2.2' },
  USERINFO_BAD_TOKEN: { class: 'ResponseValidationError', exit: F, meaning: 'userinfo or the identity URL refused the access token (403 Bad_OAuth_Token)', fix: 'the access token expired or was revoked: refresh it or run the flow again', source: 'sf-userinfo' },
  INSTANCE_URL_UNTRUSTED: { class: 'ResponseValidationError', exit: F, meaning: 'instance_url is not a Salesforce host (or not https), so the access token was not sent there', fix: 'if it is really your org\'s instance, use "verify": "introspect", which asks the login host', source: 'harness' },
  PKCE_CHALLENGE_INVALID: { class: 'HarnessError', exit: F, meaning: 'the authorize URL does not carry the S256 challenge of the verifier, so the code would not be bound to this client', fix: 'report it as a bug', source: 'RFC 7636 §4.2' },
  RECORD_NOT_MASKED: { class: 'HarnessError', exit: F, meaning: 'credential-shaped values survived masking in a recording; nothing was written', fix: 'report it with the kinds the message lists', source: 'harness' },

  // ── OpenID Connect: the id_token and userinfo as a relying party checks them (issue 16) (exit 1) ──
  ID_TOKEN_MISSING: { class: 'ResponseValidationError', exit: F, meaning: 'the scope asked for openid and the code exchange answered no id_token', fix: 'add openid to the Connected App\'s scopes, or leave it out of SF_SCOPE', source: 'OIDC Core §3.1.3.3' },
  ID_TOKEN_MALFORMED: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token is not a signed JWT with numeric exp and iat', fix: 'check SF_LOGIN_URL: Salesforce sends an RS256 JWS', source: 'OIDC Core §2' },
  ID_TOKEN_KEY_UNKNOWN: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token is not RS256, or its kid is not a key of /id/keys', fix: 'the token was not signed by this login host: check SF_LOGIN_URL', source: 'OIDC Core §10.1' },
  ID_TOKEN_SIGNATURE_INVALID: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token signature does not verify with the key of /id/keys its kid names (forged or altered)', fix: 'do not trust the answer; check what sits between the harness and SF_LOGIN_URL', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_ISSUER_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token iss is not the login host', fix: 'set SF_LOGIN_URL to the host that issues the tokens (My Domain or login/test.salesforce.com)', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_AUDIENCE_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token aud is not SF_CLIENT_ID: it was issued to another client', fix: 'check SF_CLIENT_ID; do not accept tokens issued to another app', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_EXPIRED: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token exp has passed (beyond the allowed clock skew)', fix: 'check the local clock; run the flow again for a fresh token', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_ISSUED_IN_FUTURE: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token iat is ahead of the local clock by more than the allowed skew', fix: 'synchronise the local clock (NTP)', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_NONCE_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token nonce is missing or not the one the authorize request sent (a replayed or crossed token)', fix: 'run the flow again; if it repeats, the server does not bind id_tokens to the request', source: 'OIDC Core §3.1.3.7' },
  ID_TOKEN_AT_HASH_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token at_hash is not the hash of the access token of the same answer', fix: 'do not trust the answer: the id_token and access token were not issued together', source: 'OIDC Core §3.1.3.6' },
  ID_TOKEN_SUBJECT_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'the id_token sub is not the identity URL (id) of the same answer', fix: 'do not trust the answer: Salesforce sets sub to the identity URL', source: 'sf-userinfo' },
  JWKS_INVALID: { class: 'ResponseValidationError', exit: F, meaning: 'GET /id/keys did not answer a JSON Web Key Set', fix: 'check SF_LOGIN_URL: the login host publishes its id_token keys at /id/keys', source: 'OIDC Core §10.1.1' },
  TOKEN_FORMAT_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'a token answer is not in the format SF_TOKEN_FORMAT asked for (content type or shape)', fix: 'check SF_LOGIN_URL and any proxy: Salesforce answers format=json, xml or urlencoded as asked', source: 'sf-web-server-flow' },
  USERINFO_SUBJECT_MISMATCH: { class: 'ResponseValidationError', exit: F, meaning: 'userinfo names another user (sub) than the id_token', fix: 'do not trust the answers: the access token and id_token belong to different users', source: 'OIDC Core §5.3.2' },

  // ── the browser part of the flow (exit 1) ──
  LOGIN_FAILED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce refused the login: the login page came back with its error text', fix: 'check SF_USERNAME and SF_PASSWORD, and that the user is active and not locked out', source: 'observed' },
  IDENTITY_VERIFICATION_REQUIRED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce asks to verify the identity (email code, authenticator or SMS) and nothing is configured to answer it', fix: 'set SF_TOTP_SECRET or SF_VERIFICATION_CODE_COMMAND, reuse SF_BROWSER_STATE, or trust the IP range of this machine', source: 'observed' },
  IDENTITY_VERIFICATION_FAILED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce refused the verification code the harness entered', fix: 'check SF_TOTP_SECRET and the machine clock, or that SF_VERIFICATION_CODE_COMMAND prints the newest code', source: 'observed' },
  VERIFICATION_CODE_UNAVAILABLE: { class: 'BrowserFlowError', exit: F, meaning: 'SF_VERIFICATION_CODE_COMMAND failed, timed out or printed no code', fix: 'make it print the emailed code (digits) on stdout', source: 'harness' },
  // ── pages between login and the callback (issue 15: docs/login-pages.md) ──
  PASSWORD_EXPIRED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce shows "Change Your Password": the password expired; the harness never changes a password', fix: 'log in once by hand and change the password, then update SF_PASSWORD (or give the user a profile whose password never expires)', source: 'observed' },
  MFA_REGISTRATION_REQUIRED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce asks the user to register a verification method (authenticator app, passkey, security key) before going on', fix: 'register an authenticator app by hand and set SF_TOTP_SECRET to its secret, or enrol a passkey with sf-oauth passkey enrol and set SF_PASSKEY_FILE', source: 'observed' },
  VERIFICATION_METHOD_UNSUPPORTED: { class: 'BrowserFlowError', exit: F, meaning: 'Salesforce verifies the identity by SMS, Salesforce Authenticator push or Lightning Login, which no headless run can answer', fix: 'give the user an authenticator app (SF_TOTP_SECRET) or a passkey (SF_PASSKEY_FILE) as verification method', source: 'observed' },
  FLOW_UNKNOWN_PAGE: { class: 'BrowserFlowError', exit: F, meaning: 'the browser settled on a page the harness does not know (usually an org login flow: a Visualforce /apex/ or Flow page)', fix: 'look at the screenshot and form fields in the --record directory; exempt the user from the login flow, or complete it once by hand', source: 'harness' },
  ORG_MAINTENANCE: { class: 'InfraError', exit: I, meaning: 'the org showed its maintenance page again after the harness continued past it once', fix: 'wait for the maintenance window to end (status.salesforce.com), then run again', source: 'observed' },
  AUTHORIZE_PKCE_REQUIRED: { class: 'AuthorizationError', exit: F, meaning: 'the org or the app requires PKCE and the authorize request carried no code_challenge (SF_PKCE=false)', fix: 'set SF_PKCE=true, or an admin turns off "Require Proof Key for Code Exchange (PKCE)" on the app (or the org\'s OAuth and OpenID Connect Settings)', source: 'observed' },
  PASSKEY_FILE_INVALID: { class: 'HarnessError', exit: U, meaning: 'SF_PASSKEY_FILE is not a Chrome DevTools WebAuthn.Credential as JSON (credentialId, isResidentCredential, rpId, privateKey of ECDSA P-256 in PKCS#8, signCount), or is a symbolic link or not a regular file', fix: 'create it with sf-oauth passkey enrol, or export the credential again', source: 'harness' },
  PASSKEY_FILE_PERMISSIONS: { class: 'HarnessError', exit: U, meaning: 'SF_PASSKEY_FILE is readable or writable by group or others, or belongs to another user: its private key logs in as the user', fix: 'chmod 600 the file (and remove the passkey in Salesforce if others could read it)', source: 'harness' },
  PASSKEY_ENROL_FAILED: { class: 'BrowserFlowError', exit: F, meaning: 'sf-oauth passkey enrol reached no "Create a Passkey" page, or the org refused the passkey created', fix: 'run with --headed and create the passkey from the page it shows; passkeys need https or http://localhost, never an IP address', source: 'harness' },
  FLOW_STUCK: { class: 'BrowserFlowError', exit: F, meaning: 'the browser went through too many pages without reaching the callback', fix: 'run with --headed to watch, or --record DIR to capture', source: 'harness' },

  // ── infrastructure (exit 3) ──
  NETWORK_TIMEOUT: { class: 'InfraError', exit: I, meaning: 'an endpoint did not answer within SF_TIMEOUT_MS', fix: 'raise SF_TIMEOUT_MS or check the network', source: 'harness' },
  NETWORK_CONNECT_FAILED: { class: 'InfraError', exit: I, meaning: 'an endpoint could not be reached (DNS, refused, unreachable)', fix: 'check SF_LOGIN_URL, DNS and HTTPS_PROXY', source: 'harness' },
  NETWORK_ERROR: { class: 'InfraError', exit: I, meaning: 'the connection failed during the exchange (reset); a code or refresh token is not re-sent', fix: 'run again', source: 'harness' },
  NAVIGATION_TIMEOUT: { class: 'InfraError', exit: I, meaning: 'a page of the flow did not load within SF_TIMEOUT_MS', fix: 'raise SF_TIMEOUT_MS or check SF_LOGIN_URL', source: 'harness' },
  NAVIGATION_FAILED: { class: 'InfraError', exit: I, meaning: 'the browser could not load the login host', fix: 'check SF_LOGIN_URL and the network', source: 'harness' },
  CALLBACK_TIMEOUT: { class: 'InfraError', exit: I, meaning: 'the browser did not reach SF_REDIRECT_URI within SF_TIMEOUT_MS', fix: 'raise SF_TIMEOUT_MS, or run with --headed to see the page', source: 'harness' },
  CALLBACK_INTERCEPT_FAILED: { class: 'InfraError', exit: I, meaning: 'the browser cannot intercept the redirect URI, so the callback could not be caught', fix: 'use Chromium (npm run setup), or run --headed, which serves the callback on its own port', source: 'harness' },
  CALLBACK_SERVER_UNSUPPORTED: { class: 'InfraError', exit: I, meaning: 'a local callback server (--headed) runs only for an http://localhost redirect URI', fix: 'run headless, or register http://localhost:1717/OauthRedirect', source: 'RFC 8252 §7.3' },
  PORT_IN_USE: { class: 'InfraError', exit: I, meaning: 'the port of SF_REDIRECT_URI is taken, so the local callback server cannot listen', fix: 'stop the process listening there, or register and use another port', source: 'harness' },
  BROWSER_NOT_FOUND: { class: 'InfraError', exit: I, meaning: 'no Chromium was found (or SF_BROWSER_PATH points nowhere)', fix: 'run npx sf-oauth setup (finds or installs one), or set SF_BROWSER_PATH to a Chromium or Chrome executable', source: 'harness' },
  BROWSER_LAUNCH_FAILED: { class: 'InfraError', exit: I, meaning: 'Chromium did not start', fix: 'run npx sf-oauth setup, or set SF_BROWSER_PATH', source: 'harness' },
  STORE_LOCKED: { class: 'InfraError', exit: I, meaning: 'another sf-oauth run holds the lock of a token file for longer than the wait', fix: 'wait for that run, or delete the .lock file if no run is active', source: 'harness' },
  STORE_LOCK_INVALID: { class: 'InfraError', exit: I, meaning: 'the lock file next to a token file was not written by sf-oauth', fix: 'remove it if no sf-oauth run is using the token file', source: 'harness' },
  EMULATOR_PORT_IN_USE: { class: 'InfraError', exit: I, meaning: 'sf-oauth emulator --port is already in use', fix: 'stop what listens there, or pick another port (--port 0 picks a free one)', source: 'harness' },
  EMULATOR_PORT_DENIED: { class: 'InfraError', exit: I, meaning: 'sf-oauth emulator --port needs privileges this user lacks', fix: 'use a port from 1024 up, or --port 0', source: 'harness' },
  // ── watching many orgs (issue 18): history, alerts, forecast, write-back of rotated tokens ──
  HISTORY_FILE_INVALID: { class: 'HarnessError', exit: U, meaning: 'check --history or report --history names something that is not a history file (not a regular file, or far too big)', fix: 'give the JSON Lines file written by sf-oauth check --history, or a new path', source: 'harness' },
  WRITE_BACK_FAILED: { class: 'InfraError', exit: I, meaning: 'check --write-back github could not store a rotated token in its Actions secret (GitHub refused or did not answer); the new token is only in the local token file, and the secret holds a dead one', fix: 'give GH_TOKEN secrets write permission on the repository (or environment), then store the token file in the secret by hand before the next run', source: 'harness' },
  // ── the emulator's https mode, and proxies in front of it (issue 16) ──
  PROXY_TUNNEL_REFUSED: { class: 'InfraError', exit: I, meaning: 'the proxy of HTTPS_PROXY answered CONNECT with a refusal (407: its credentials; 403: its rules), so nothing reached Salesforce', fix: 'check the user and password in HTTPS_PROXY (percent-encoded) and the proxy\'s allow-list, or add the host to NO_PROXY', source: 'harness' },
  NETWORK_TLS_UNTRUSTED: { class: 'InfraError', exit: I, meaning: 'the server\'s TLS certificate is not trusted by Node (unknown CA, self-signed, expired, or for another host); nothing was sent', fix: 'put the CA of a TLS-inspecting proxy or test server (sf-oauth emulator --tls prints its caFile) in NODE_EXTRA_CA_CERTS; otherwise check SF_LOGIN_URL', source: 'harness' },
  EMULATOR_TLS_UNAVAILABLE: { class: 'InfraError', exit: I, meaning: 'sf-oauth emulator --tls could not issue its throwaway certificates (the openssl command is missing or failed)', fix: 'install openssl, or run the emulator without --tls', source: 'harness' },
  // ── HAR of a run and its offline replay (export, flow --har, replay FILE.har) ──
  HAR_INVALID: { class: 'HarnessError', exit: U, meaning: 'a HAR given to sf-oauth replay is not one written by sf-oauth flow --har / --record (no log._sfOauth, or entries without request or response)', fix: 'record it again with sf-oauth flow --har FILE or --record DIR', source: 'harness' },
  // ── by hand: sf-oauth login, authorize-url --pending / exchange --pending (a person logs in) ──
  PENDING_GONE: { class: 'HarnessError', exit: U, meaning: 'the pending file of exchange --pending does not exist: exchange deletes it once it sent the code (a code is redeemed once, so pasting it again cannot work), or authorize-url never wrote it', fix: 'run sf-oauth authorize-url --pending FILE again and log in again', source: 'sf-web-server-flow' },
  PENDING_INVALID: { class: 'HarnessError', exit: U, meaning: 'the pending file is not one authorize-url --pending wrote: a symbolic link, not a regular file, readable by others, too big, or not its JSON', fix: 'run sf-oauth authorize-url --pending FILE again', source: 'harness' },
  PENDING_EXPIRED: { class: 'HarnessError', exit: F, meaning: 'the pending file is older than 15 minutes, the life of an authorization code; nothing was sent, the file was deleted', fix: 'run sf-oauth authorize-url --pending FILE again and paste the redirected URL within 15 minutes', source: 'sf-web-server-flow' },
  PENDING_CONFIG_MISMATCH: { class: 'HarnessError', exit: U, meaning: 'the pending file was written for another login URL, client id, redirect URI or scope than the configuration names now; the code would be refused', fix: 'run exchange with the SF_* values authorize-url ran with, or run authorize-url again', source: 'sf-web-server-flow' },
  PASTE_OTHER_REQUEST: { class: 'HarnessError', exit: F, meaning: 'the pasted URL answers another authorize request: its "state" is not the one in the pending file (an older tab, another run of authorize-url)', fix: 'paste the URL the browser reached from the URL authorize-url printed for this file, or run authorize-url again', source: 'RFC 6749 §10.12' },
  PASTE_INVALID: { class: 'HarnessError', exit: U, meaning: 'what exchange read is neither the redirected URL nor an authorization code: empty, several values (pasted twice), or another address', fix: "paste the whole address from the browser's address bar after the redirect, once, then Enter", source: 'harness' },
  LOGIN_NEEDS_LOOPBACK: { class: 'HarnessError', exit: U, meaning: 'sf-oauth login listens for the callback on this machine, and SF_REDIRECT_URI is not an http:// loopback address (localhost, 127.0.0.1, [::1])', fix: 'paste the URL instead: sf-oauth authorize-url --pending FILE, then sf-oauth exchange --pending FILE', source: 'RFC 8252 §7.3' },
  CALLBACK_PORT_DENIED: { class: 'InfraError', exit: I, meaning: 'the port of SF_REDIRECT_URI (80 when it names none) needs privileges this user lacks, so nothing can listen for the callback', fix: 'paste the URL instead (authorize-url --pending FILE, then exchange --pending FILE), or register http://localhost:1717/OauthRedirect', source: 'harness' },
  LOGIN_WAIT_TIMEOUT: { class: 'InfraError', exit: I, meaning: 'the browser did not reach the callback within login --wait', fix: 'log in and click Allow within --wait (default 5m), or raise --wait', source: 'harness' },
  OPEN_WITH_FAILED: { class: 'InfraError', exit: I, meaning: 'the --open-with command could not be started, or exited with a failure before the browser reached the callback', fix: 'check the command (the URL is its last argument), or use --no-open and open the printed URL yourself', source: 'harness' },
  // ── the installed package (issue 14): sf-oauth setup, the library API ──
  SETUP_FAILED: { class: 'InfraError', exit: I, meaning: 'sf-oauth setup could not run the package\'s setup script', fix: 'reinstall the package (npm i -D sf-oauth-harness)', source: 'harness' },
  // ── check --identity-version (issue 16 item, with issue 14's checkTargets) ──
  IDENTITY_VERSION_REFUSED: { class: 'ResponseValidationError', exit: F, meaning: 'the identity URL refused the asked version (406 Invalid_Version)', fix: 'ask for latest or an API version the org serves, e.g. 62.0', source: 'sf-identity-urls' },
  IDENTITY_VERSION_UNFILLED: { class: 'ResponseValidationError', exit: F, meaning: 'the identity URL was asked with version and its urls still carry {version} placeholders, or carry another version than asked', fix: 'the org ignored the version parameter: check that the id URL is the identity URL of the token answer', source: 'sf-identity-urls' },
  INTERNAL_ERROR: { class: 'Error', exit: I, meaning: 'an unexpected exception, not a HarnessError: a bug in the harness', fix: 'rerun with --debug and report it with the stack', source: 'harness' },
} as const satisfies Record<string, ErrorEntry>

/** Every code the harness can produce. A literal outside this union does not compile where a code is due. */
export type ErrorCode = keyof typeof ERRORS

/** The codes a class carries (its constructor accepts only these). */
export type CodeOf<C extends ErrorClass> = { [K in ErrorCode]: (typeof ERRORS)[K]['class'] extends C ? K : never }[ErrorCode]

/** The codes as constants: `ERR.TOKEN_FILE_INVALID === 'TOKEN_FILE_INVALID'`. */
export const ERR = Object.freeze(Object.fromEntries(Object.keys(ERRORS).map((k) => [k, k]))) as { readonly [K in ErrorCode]: K }

/** Every code of the registry. */
export const ERROR_CODES = Object.keys(ERRORS) as readonly ErrorCode[]

/** Whether `code` is a code of the registry. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, code)
}

/** The exit code of a code: the registry's, never a guess from its prefix. */
export function exitCodeOf(code: ErrorCode): FailureExit {
  return ERRORS[code].exit
}

/** Codes that report a finding without failing the run (printed, and in --json output; the exit code is the run's). */
export const WARNINGS = {
  INSTANCE_URL_NOT_SALESFORCE: { meaning: 'a token answer (or a saved token file) names an instance_url outside Salesforce\'s domains; the access token is not sent there unasked', fix: 'if it is your org\'s instance (a custom domain), use "verify": "introspect" in the targets file', source: 'harness' },
  // watching many orgs (issue 18)
  NOTIFY_FAILED: { meaning: 'check --notify could not deliver an alert or recovery (after its retries); the verdict and exit code are unchanged', fix: 'check the webhook URL and that it accepts the chosen --notify-format', source: 'harness' },
  TOKEN_EXPIRES_SOON: { meaning: "a target's refresh token will stop working within --warn-before (forecast from the refresh token policy in the targets file)", fix: 'run the flow again for that target (sf-oauth flow --save), or keep using it if the policy is an idle timeout', source: 'harness' },
  APPROVAL_LIMIT: { meaning: 'a plan approves one app for one user more often than Salesforce keeps approvals (5 per user per app); the oldest refresh token is revoked silently', fix: 'use another user per target, fewer targets, or --revoke-after between runs', source: 'observed' },
} as const satisfies Record<string, Omit<ErrorEntry, 'class' | 'exit'>>
export type WarningCode = keyof typeof WARNINGS
