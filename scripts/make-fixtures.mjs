#!/usr/bin/env node
// @ts-check
/**
 * Writes fixtures/salesforce/**: Salesforce's answers (status, headers, body) for every success and
 * error of token (authorization_code, refresh_token), revoke, introspect, userinfo and the identity URL,
 * each with the source its shape came from (docs/salesforce-oauth.md §2–§5, §7) and only
 * known fakes (src/record/fakes.ts), signatures computed with the fake client secret. Deterministic:
 * run it again after a change (`npm run build && node scripts/make-fixtures.mjs`) and commit the diff.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { computeSignature } from '../dist/oauth/signature.js'
import * as F from '../dist/record/fakes.js'

const ROOT = 'fixtures/salesforce'
const ISSUED_AT = '1764000000000'
const ID_URL = `${F.FAKE_LOGIN_URL}/id/${F.FAKE_ORG_ID}/${F.fakeUserId(0)}`
// docs/salesforce-oauth.md §2.2: recorded headers of a real token answer (mars/jsforce-patient-bulk-op nock recording).
const TOKEN_HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-cache, no-store', pragma: 'no-cache', expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }
// docs/salesforce-oauth.md §2.3: SF-ERR examples, `HTTP/1.1 400`, `Content-Type: application/json`, `Cache-Control: no-store`.
const ERROR_HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' }
const TEXT_HEADERS = { 'content-type': 'text/plain;charset=UTF-8' }

/** Field order as Salesforce emits it (docs/salesforce-oauth.md §2.2): access_token, refresh_token, signature, scope, instance_url, id, token_type, issued_at. */
function tokenBody({ access, refresh, scope }) {
  return JSON.stringify({
    access_token: access,
    ...(refresh === undefined ? {} : { refresh_token: refresh }),
    signature: computeSignature(F.FAKE_CLIENT_SECRET, ID_URL, ISSUED_AT),
    scope,
    instance_url: F.FAKE_INSTANCE_URL,
    id: ID_URL,
    token_type: 'Bearer',
    issued_at: ISSUED_AT,
  })
}

const token = (grant) => ({ method: 'POST', path: '/services/oauth2/token', form: { grant_type: grant } })
const err = (error, description) => JSON.stringify({ error, error_description: description })

/** [file, source, request, response-or-fault, harness code expected (undefined: success)] */
const FIXTURES = [
  // ── token, authorization_code ──
  ['token/authorization_code/200-success', '§2.2 field set and order, values as §7 (restforce auth_success_response, chilkat 2025 sample); refresh_token with api refresh_token scope (§3.1)', token('authorization_code'),
    { status: 200, headers: TOKEN_HEADERS, body: tokenBody({ access: F.fakeAccessToken(1), refresh: F.fakeRefreshToken(1), scope: 'refresh_token api' }) }, undefined],
  ['token/authorization_code/200-no-refresh-token', '§3.1: no refresh_token when the scope lacks refresh_token/offline_access (simple-salesforce TOKEN_LOGIN_RESPONSE_SUCCESS shape, §7)', token('authorization_code'),
    { status: 200, headers: TOKEN_HEADERS, body: tokenBody({ access: F.fakeAccessToken(1), refresh: undefined, scope: 'api' }) }, 'REFRESH_TOKEN_MISSING'],
  ['token/authorization_code/400-expired-authorization-code', '§2.3 (omniphx/forrest#169): a reused or 15-minute-old code', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'expired authorization code') }, 'TOKEN_CODE_EXPIRED'],
  ['token/authorization_code/400-invalid-code-verifier', '§2.3, §2.5 observed (nsflow#249); docs say invalid_request: DISAGREE, observed traffic followed', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'invalid code verifier') }, 'TOKEN_INVALID_CODE_VERIFIER'],
  ['token/authorization_code/400-authentication-failure', '§2.3 (omniphx/forrest#364, jsforce#482): code of another client or host', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'authentication failure') }, 'TOKEN_AUTHENTICATION_FAILURE'],
  ['token/authorization_code/400-invalid-authorization-code', '§2.3: UNVERIFIED (only seen in a client test fixture); kept so the generic invalid_grant path is covered', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'invalid authorization code') }, 'TOKEN_INVALID_GRANT'],
  ['token/authorization_code/400-invalid-client-credentials', '§2.3 (restforce#338): wrong client secret', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_client', 'invalid client credentials') }, 'TOKEN_INVALID_CLIENT_CREDENTIALS'],
  ['token/authorization_code/400-invalid-client-id', '§2.3 (simple-salesforce tests/test_login.py, restforce#46): unknown client_id', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_client_id', 'client identifier invalid') }, 'TOKEN_INVALID_CLIENT_ID'],
  ['token/authorization_code/400-redirect-uri-mismatch', '§2.3: redirect_uri differs from the one sent to authorize', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('redirect_uri_mismatch', 'redirect_uri must match configuration') }, 'TOKEN_REDIRECT_URI_MISMATCH'],
  ['token/authorization_code/400-unsupported-grant-type', '§2.3, §8.6 (jsforce#706, b2c-crm-sync#16): unknown grant, wrong Content-Type, http:// body lost', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('unsupported_grant_type', 'grant type not supported') }, 'TOKEN_UNSUPPORTED_GRANT_TYPE'],
  ['token/authorization_code/400-invalid-scope', '§2.3 (forcedotcom/mcp-hosted#47)', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_scope', 'the requested scope is not allowed') }, 'TOKEN_INVALID_SCOPE'],
  ['token/authorization_code/400-invalid-request', '§1.5 docs list ("HTTPS required"), reused at the token endpoint per §2.3 last row', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_request', 'HTTPS required') }, 'TOKEN_INVALID_REQUEST'],
  ['token/authorization_code/400-inactive-user', '§1.5 docs list ("User is inactive"), §2.3 last row', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('inactive_user', 'User is inactive') }, 'TOKEN_INACTIVE_USER'],
  ['token/authorization_code/400-inactive-org', '§1.5 docs list ("Org is locked, closed, or suspended"), §2.3 last row', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('inactive_org', 'Org is locked, closed, or suspended') }, 'TOKEN_INACTIVE_ORG'],
  ['token/authorization_code/400-rate-limit-exceeded', '§1.5 docs list ("Number of logins exceeded"), §2.3 last row', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('rate_limit_exceeded', 'Number of logins exceeded') }, 'TOKEN_RATE_LIMITED'],
  ['token/authorization_code/400-invalid-app-access', '§2.3 last row (Mobile SDK enum); description text UNVERIFIED', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_app_access', 'user is not admin approved to access this app') }, 'TOKEN_INVALID_APP_ACCESS'],
  ['token/authorization_code/400-user-not-approved', "§2.3 (simple-salesforce tests/test_login.py): JWT and other flows before approval", token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', "user hasn't approved this consumer") }, 'TOKEN_INVALID_GRANT'],
  ['token/authorization_code/400-audience-validation-failed', '§2.3 (SF-ERR): JWT/SAML bearer', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'Audience validation failed') }, 'TOKEN_INVALID_GRANT'],
  ['token/authorization_code/400-invalid-password', '§2.3, §7 (restforce spec/fixtures/auth_error_response.json): username-password flow', token('authorization_code'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'authentication failure - Invalid Password') }, 'TOKEN_AUTHENTICATION_FAILURE'],
  // ── token, refresh_token ──
  ['token/refresh_token/200-success', '§3.3 (wadewegner#201; mars/jsforce-patient-bulk-op recording): no refresh_token without rotation', token('refresh_token'),
    { status: 200, headers: TOKEN_HEADERS, body: tokenBody({ access: F.fakeAccessToken(2), refresh: undefined, scope: 'refresh_token api' }) }, undefined],
  ['token/refresh_token/200-rotation', '§3.3 Refresh Token Rotation (SF KB 005316711; NetCoreForce TokenRefreshAsyncReturnsRotatedRefreshToken): a new refresh_token', token('refresh_token'),
    { status: 200, headers: TOKEN_HEADERS, body: tokenBody({ access: F.fakeAccessToken(2), refresh: F.fakeRefreshToken(2), scope: 'refresh_token api' }) }, undefined],
  ['token/refresh_token/400-expired-access-refresh-token', '§2.3, §3.3, §7 (restforce refresh_error_response.json): revoked, rotated-out or idle refresh token', token('refresh_token'),
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_grant', 'expired access/refresh token') }, 'TOKEN_REFRESH_TOKEN_EXPIRED'],
  // ── revoke ──
  ['revoke/200-revoked', '§5.1 (SF dev blog 2011; Mobile SDK guide): HTTP 200, empty body', { method: 'POST', path: '/services/oauth2/revoke' },
    { status: 200, headers: { 'cache-control': 'no-cache, no-store' }, body: '' }, undefined],
  ['revoke/400-invalid-token', '§5.1 (Mobile SDK guide "Token was invalid"); JSON body format UNVERIFIED (jsforce parses it as a form), JSON chosen as for token errors', { method: 'POST', path: '/services/oauth2/revoke' },
    { status: 400, headers: ERROR_HEADERS, body: err('invalid_token', 'Token was invalid') }, 'REVOKE_INVALID_TOKEN'],
  ['revoke/400-unsupported-token-type', '§5.1 (Mobile SDK guide "Token type not supported"); body format UNVERIFIED', { method: 'POST', path: '/services/oauth2/revoke' },
    { status: 400, headers: ERROR_HEADERS, body: err('unsupported_token_type', 'Token type not supported') }, 'TOKEN_UNSUPPORTED_TOKEN_TYPE'],
  // ── introspect ──
  ['introspect/200-active', '§5.2 (SF Postman collection sample; RFC 7662)', { method: 'POST', path: '/services/oauth2/introspect' },
    { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify({ active: true, scope: 'refresh_token api', client_id: F.FAKE_CLIENT_ID, username: F.FAKE_USERNAME, sub: ID_URL, token_type: 'access_token', exp: 1764007200, iat: 1764000000, nbf: 1764000000 }) }, undefined],
  ['introspect/200-inactive', '§5.2 (RFC 7662 §2.2; trufflehog Salesforce detector)', { method: 'POST', path: '/services/oauth2/introspect' },
    { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify({ active: false }) }, 'TOKEN_INACTIVE'],
  ['introspect/401-invalid-client', '§5.2 client credentials required; status 401 and body UNVERIFIED (the emulator answers so)', { method: 'POST', path: '/services/oauth2/introspect' },
    { status: 401, headers: ERROR_HEADERS, body: err('invalid_client', 'invalid client credentials') }, 'TOKEN_INVALID_CLIENT_CREDENTIALS'],
  // ── userinfo ──
  ['userinfo/200-success', '§5.3 (SF Postman collection "User Info" sample; the fields after urls are cut in the source)', { method: 'GET', path: '/services/oauth2/userinfo', host: 'instance' },
    { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify({ sub: ID_URL, user_id: F.fakeUserId(0), organization_id: F.FAKE_ORG_ID, preferred_username: F.FAKE_USERNAME, nickname: 'fake.user', name: 'Fake User', email: F.FAKE_USERNAME, email_verified: true, given_name: 'Fake', family_name: 'User', zoneinfo: 'Europe/Paris', photos: { picture: `${F.FAKE_INSTANCE_URL}/profilephoto/005/F`, thumbnail: `${F.FAKE_INSTANCE_URL}/profilephoto/005/T` }, profile: `${F.FAKE_INSTANCE_URL}/${F.fakeUserId(0)}`, picture: `${F.FAKE_INSTANCE_URL}/profilephoto/005/F`, address: { country: 'FR' }, is_salesforce_integration_user: false, urls: { rest: `${F.FAKE_INSTANCE_URL}/services/data/v{version}/` } }) }, undefined],
  ['userinfo/403-bad-oauth-token', '§5.3: 403 with the plain-text word Bad_OAuth_Token', { method: 'GET', path: '/services/oauth2/userinfo', host: 'instance' },
    { status: 403, headers: TEXT_HEADERS, body: 'Bad_OAuth_Token' }, 'USERINFO_BAD_TOKEN'],
  ['userinfo/403-missing-oauth-token', '§5.3: Missing_OAuth_Token; exact status UNVERIFIED (403 like Bad_OAuth_Token)', { method: 'GET', path: '/services/oauth2/userinfo', host: 'instance' },
    { status: 403, headers: TEXT_HEADERS, body: 'Missing_OAuth_Token' }, 'USERINFO_BAD_TOKEN'],
  // ── identity URL ──
  ['identity/200-success', '§5.4 (Mobile SDK Android OAuth2Test.testParseIdentityServiceResponse), values faked', { method: 'GET', path: `/id/${F.FAKE_ORG_ID}/${F.fakeUserId(0)}` },
    { status: 200, headers: TOKEN_HEADERS, body: JSON.stringify({ id: ID_URL, asserted_user: true, user_id: F.fakeUserId(0), organization_id: F.FAKE_ORG_ID, username: F.FAKE_USERNAME, nick_name: 'fake.user', display_name: 'Fake User', email: F.FAKE_USERNAME, email_verified: true, first_name: 'Fake', last_name: 'User', timezone: 'Europe/Paris', photos: { picture: `${F.FAKE_INSTANCE_URL}/profilephoto/005/F`, thumbnail: `${F.FAKE_INSTANCE_URL}/profilephoto/005/T` }, addr_street: null, addr_city: null, addr_state: null, addr_country: null, addr_zip: null, mobile_phone: null, mobile_phone_verified: false, is_lightning_login_user: false, status: { created_date: null, body: null }, urls: { rest: `${F.FAKE_INSTANCE_URL}/services/data/v{version}/`, profile: `${F.FAKE_INSTANCE_URL}/${F.fakeUserId(0)}`, custom_domain: F.FAKE_INSTANCE_URL }, active: true, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 3600000, last_modified_date: '2025-11-24T00:00:00Z', is_app_installed: true }) }, undefined],
  ['identity/403-bad-oauth-token', '§5.3/§5.4: the identity service answers a refused token with 403 plain text', { method: 'GET', path: `/id/${F.FAKE_ORG_ID}/${F.fakeUserId(0)}` },
    { status: 403, headers: TEXT_HEADERS, body: 'Bad_OAuth_Token' }, 'USERINFO_BAD_TOKEN'],
  // ── faults (no Salesforce text; shapes from §2.4) ──
  ['faults/503-html-maintenance', '§2.4 (jsforce synthesises ERROR_HTTP_503 from an HTML body; sfdx-core "HTTP response contains html content"): maintenance page', token('authorization_code'),
    { status: 503, headers: { 'content-type': 'text/html;charset=UTF-8', 'retry-after': '120' }, body: '<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>Salesforce is down for maintenance</h1></body></html>' }, 'SERVER_UNAVAILABLE'],
  ['faults/200-truncated-json', '§2.4: a token answer cut short (connection dropped by a proxy)', token('authorization_code'),
    { status: 200, headers: TOKEN_HEADERS, body: tokenBody({ access: F.fakeAccessToken(1), refresh: F.fakeRefreshToken(1), scope: 'refresh_token api' }).slice(0, 150) }, 'RESPONSE_MALFORMED_JSON'],
  ['faults/200-wrong-content-type', '§2.4: a proxy or captive portal answers text/html', token('authorization_code'),
    { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: tokenBody({ access: F.fakeAccessToken(1), refresh: F.fakeRefreshToken(1), scope: 'refresh_token api' }) }, 'RESPONSE_NOT_JSON'],
  ['faults/timeout', '§2.4 (a fault, no Salesforce text): no answer within SF_TIMEOUT_MS', token('authorization_code'), { fault: 'timeout' }, 'NETWORK_TIMEOUT'],
  ['faults/connection-reset', '§2.4 (a fault, no Salesforce text): the connection is reset before an answer', token('authorization_code'), { fault: 'reset' }, 'NETWORK_ERROR'],
]

rmSync(ROOT, { recursive: true, force: true })
for (const [name, source, request, answer, expectCode] of FIXTURES) {
  const file = join(ROOT, `${name}.json`)
  mkdirSync(dirname(file), { recursive: true })
  const fixture = { name, source: `docs/salesforce-oauth.md ${source}`, fake: true, request, ...('fault' in answer ? { fault: answer.fault } : { response: answer }), expect: expectCode ?? 'ok' }
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`)
}
writeFileSync(join(ROOT, '..', 'fakes.json'), `${JSON.stringify({
  note: 'The known fakes of fixtures/ (src/record/fakes.ts). Every signature verifies with clientSecret.',
  loginUrl: F.FAKE_LOGIN_URL, instanceUrl: F.FAKE_INSTANCE_URL, clientId: F.FAKE_CLIENT_ID, clientSecret: F.FAKE_CLIENT_SECRET,
  orgId: F.FAKE_ORG_ID, userId: F.fakeUserId(0), username: F.FAKE_USERNAME, issuedAt: ISSUED_AT,
  accessTokens: [F.fakeAccessToken(1), F.fakeAccessToken(2)], refreshTokens: [F.fakeRefreshToken(1), F.fakeRefreshToken(2)], code: F.fakeCode(1), verifier: F.fakeVerifier(1),
}, null, 2)}\n`)
process.stdout.write(`wrote ${FIXTURES.length} fixtures under ${ROOT}\n`)
