/**
 * The protocol steps the harness takes after the browser, one function each: the request function
 * (src/http/oauth.ts, I/O through the one HTTP client) paired with its process function (src/oauth,
 * pure), returning a result type, as oauth4webapi pairs them. Every caller (CLI commands, flows, record
 * and replay, the tests' three targets, the bench) takes these steps here, so a step exists once.
 *
 * This layer sits above src/oauth (which may import no I/O) and src/http (transport only); it writes
 * to no global: the secrets an answer holds go to the caller's sink (`ctx.secrets`).
 */
import type { Http } from '../http/client.js'
import { requestAuthorizeProbe, requestIdentity, requestJwks, requestIntrospect, requestRefresh, requestRevoke, requestToken, requestUserinfo } from '../http/oauth.js'
import { processAuthorizeProbe, type AuthorizeProbe } from '../oauth/authorize-probe.js'
import type { ValidatedCallback } from '../oauth/callback.js'
import { endpointsFor } from '../oauth/endpoints.js'
import { processIdentityResponse, processIntrospectResponse, processRevokeResponse, processUserinfoResponse, type Identity, type Introspection, type UserInfo } from '../oauth/other-responses.js'
import { authorizationCodeBody, refreshBody, type ClientCredentials } from '../oauth/token-request.js'
import { processTokenResponse, type ProcessedTokens } from '../oauth/token-response.js'
import type { Check, RawResponse, SecretSink, TokenSet } from '../oauth/types.js'
import { processJwksResponse, verifyIdToken, type VerifiedIdToken } from '../oauth/id-token.js'
import { ResponseValidationError } from '../errors.js'

/** What every operation runs with: the HTTP client, and where the secrets it reads go (the redactor). */
export interface OperationContext {
  readonly http: Http
  readonly secrets: SecretSink
}

/** The app at one login host: where the token, revoke and introspect endpoints are, and who asks. */
export interface OAuthClient extends ClientCredentials {
  readonly loginUrl: string
}

export type { Identity, Introspection, ProcessedTokens, UserInfo }

/** The code exchange's result: the validated token set and the checks it passed. */
export type ExchangeResult = ProcessedTokens
/** A refresh's result, likewise (the refresh token is there only when the app rotates it). */
export type RefreshResult = ProcessedTokens

/**
 * Told of the raw answer of a token call before it is validated: the flow times the request apart from
 * the checks; under Refresh Token Rotation the old token is dead once Salesforce answered, so a
 * rotation-aware store persists the new one first (src/flow/refresh.ts). Raw: never print it.
 */
export type AnswerHook = (res: RawResponse) => void | Promise<void>

/** Options of {@link exchangeCode}. */
export interface ExchangeOptions {
  /** PKCE: the verifier of the challenge the authorize URL carried; undefined with PKCE off. */
  readonly verifier: string | undefined
  /** The scope asked for a refresh token (scopeAsksForRefreshToken), so the answer must hold one. */
  readonly expectRefreshToken: boolean
  readonly onAnswer?: AnswerHook
}

/**
 * grant_type=authorization_code. The callback must come from parseCallback (state checked); the code is
 * sent once (src/http never re-sends it). Salesforce Help: "OAuth 2.0 Web Server Flow for Web App
 * Integration"; RFC 6749 §4.1.3; RFC 7636 §4.5; docs/salesforce-oauth.md §2.
 *
 * @throws `CALLBACK_NOT_VALIDATED` for a callback that did not come from parseCallback; the token endpoint's refusals by their OAuth error (`TOKEN_INVALID_GRANT`, `TOKEN_CODE_EXPIRED`, `TOKEN_INVALID_CODE_VERIFIER`, `TOKEN_REFRESH_TOKEN_EXPIRED`, `TOKEN_INVALID_CLIENT_CREDENTIALS`, `TOKEN_REDIRECT_URI_MISMATCH`, ..., `TOKEN_ERROR_UNKNOWN`; docs/errors.md);
 *   `REFRESH_TOKEN_MISSING` when one was expected; `RESPONSE_NOT_JSON`, `RESPONSE_MALFORMED_JSON`, `RESPONSE_FIELD_MISSING`, `RESPONSE_FIELD_TYPE`, `RESPONSE_FIELD_INVALID`, `SIGNATURE_INVALID`, `SERVER_UNAVAILABLE`, `UNEXPECTED_REDIRECT`, `HTTP_STATUS_UNEXPECTED` when the answer is not what Salesforce sends; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function exchangeCode(ctx: OperationContext, client: OAuthClient, callback: ValidatedCallback, opts: ExchangeOptions): Promise<ExchangeResult> {
  const res = await requestToken(ctx.http, endpointsFor(client.loginUrl), authorizationCodeBody(callback, client, opts.verifier))
  await opts.onAnswer?.(res)
  return processTokenResponse(res, { clientSecret: client.clientSecret, expectRefreshToken: opts.expectRefreshToken, grant: 'authorization_code', ...(client.tokenFormat === undefined ? {} : { format: client.tokenFormat }) }, ctx.secrets)
}

/** Options of {@link refresh}. */
export interface RefreshOptions {
  readonly onAnswer?: AnswerHook
  /**
   * Check an id_token the answer carries against /id/keys (default true). Only replay turns it off: a
   * transcript's id_token is masked (never a signed JWT) and its /id/keys call is replayed on its own.
   */
  readonly checkIdToken?: boolean
  /** Local clock for the id_token's exp/iat, epoch ms (default now). */
  readonly now?: number
}

/**
 * grant_type=refresh_token (docs/salesforce-oauth.md §3.2), sent once: under rotation a second send would
 * burn the token. Salesforce Help: "OAuth 2.0 Refresh Token Flow for Renewed Sessions".
 * An id_token in the answer (Salesforce sends one when the scope has openid, §3.3) is checked as on the
 * code exchange (signature against /id/keys, iss, aud, exp/iat, at_hash against the new access token,
 * sub) except the nonce: a refresh answers no authorize request, OpenID Connect Core §12.2 (clarified by
 * the OpenID Foundation's issue 1025) lets its id_token omit the nonce, and whether Salesforce echoes the
 * authorize nonce there is UNVERIFIED (docs/salesforce-oauth.md §11.1).
 *
 * @throws `TOKEN_REFRESH_TOKEN_EXPIRED` (revoked, rotated or idle too long) and the token endpoint's other
 *   refusals (`TOKEN_INVALID_CLIENT_CREDENTIALS`, `TOKEN_INVALID_GRANT`, ...); `RESPONSE_NOT_JSON`, `RESPONSE_MALFORMED_JSON`, `RESPONSE_FIELD_MISSING`, `RESPONSE_FIELD_TYPE`, `RESPONSE_FIELD_INVALID`, `SIGNATURE_INVALID`, `SERVER_UNAVAILABLE`, `UNEXPECTED_REDIRECT`, `HTTP_STATUS_UNEXPECTED` when the answer is not what Salesforce sends; the `ID_TOKEN_*` codes for an id_token that fails its checks; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `NETWORK_TLS_UNTRUSTED`, `PROXY_TUNNEL_REFUSED`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function refresh(ctx: OperationContext, client: OAuthClient, refreshToken: string, opts: RefreshOptions = {}): Promise<RefreshResult> {
  const res = await requestRefresh(ctx.http, endpointsFor(client.loginUrl), refreshBody(refreshToken, client))
  await opts.onAnswer?.(res)
  const processed = processTokenResponse(res, { clientSecret: client.clientSecret, expectRefreshToken: false, grant: 'refresh_token', ...(client.tokenFormat === undefined ? {} : { format: client.tokenFormat }) }, ctx.secrets)
  if (processed.tokens.idToken === undefined || opts.checkIdToken === false) return processed
  const { checks } = await checkIdToken(ctx, client, processed.tokens, processed.tokens.idToken, { nonce: undefined, ...(opts.now === undefined ? {} : { now: opts.now }) })
  return { ...processed, checks: [...processed.checks, ...checks] }
}

/** Revoke a refresh or access token at the login host (docs/salesforce-oauth.md §5.1); REVOKE_INVALID_TOKEN when unknown. */
export async function revoke(ctx: OperationContext, loginUrl: string, token: string): Promise<void> {
  processRevokeResponse(await requestRevoke(ctx.http, endpointsFor(loginUrl), token))
}

/**
 * Userinfo at the instance (docs/salesforce-oauth.md §5.3; Salesforce Help: "UserInfo Endpoint"): who the
 * access token belongs to.
 *
 * @throws `USERINFO_BAD_TOKEN` when the token is refused (403 Bad_OAuth_Token); `RESPONSE_FIELD_MISSING`,
 *   `RESPONSE_NOT_JSON`, `HTTP_STATUS_UNEXPECTED` for an answer that is not userinfo's; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function userinfo(ctx: OperationContext, instanceUrl: string, accessToken: string): Promise<UserInfo> {
  return processUserinfoResponse(await requestUserinfo(ctx.http, instanceUrl, accessToken))
}

/**
 * Introspect at the login host with the client's credentials (RFC 7662, docs/salesforce-oauth.md §5.2;
 * Salesforce Help: "OpenID Connect Token Introspection Endpoint").
 *
 * @throws `TOKEN_INACTIVE` when the token is not active; `TOKEN_INVALID_CLIENT_CREDENTIALS` and the other
 *   OAuth refusals; `RESPONSE_FIELD_MISSING` without `active`; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function introspect(ctx: OperationContext, client: OAuthClient, token: string): Promise<Introspection> {
  return processIntrospectResponse(await requestIntrospect(ctx.http, endpointsFor(client.loginUrl), token, client))
}

/**
 * The identity URL (the token answer's `id`, docs/salesforce-oauth.md §5.4) with the access token; with
 * `version` (latest or a number such as 62.0) its `urls` come with `{version}` filled (§11.2; Mobile SDK
 * Development Guide: "Using Identity URLs").
 *
 * @throws `USERINFO_BAD_TOKEN` when the token is refused; `IDENTITY_VERSION_REFUSED` for a version the org
 *   refuses (406); `LOGIN_URL_INVALID` when the URL's host may not get the token; `RESPONSE_FIELD_MISSING`,
 *   `HTTP_STATUS_UNEXPECTED`; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function identity(ctx: OperationContext, idUrl: string, accessToken: string, options: { readonly version?: string | undefined } = {}): Promise<Identity> {
  return processIdentityResponse(await requestIdentity(ctx.http, idUrl, accessToken, options))
}

/**
 * GET the authorize URL without a session (docs/salesforce-oauth.md §1.5): what Salesforce says of the
 * client_id and redirect_uri before anyone logs in. `doctor` uses it. The answer is classified, not thrown.
 *
 * @throws only `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function probeAuthorize(http: Http, authorizeUrl: string, redirectUri: string): Promise<AuthorizeProbe> {
  return processAuthorizeProbe(await requestAuthorizeProbe(http, authorizeUrl), redirectUri)
}

export interface OpenIdOptions {
  /** The nonce the authorize request carried; undefined after a refresh. */
  readonly nonce: string | undefined
  /** Local clock, epoch ms (default now). */
  readonly now?: number
}

/**
 * With openid asked: the id_token checked as a relying party checks it (src/oauth/id-token.ts) against
 * the login host's /id/keys, then userinfo's `sub` held to the id_token's (OpenID Connect Core §5.3.2).
 * Each broken rule throws its own code; the checks passed come back.
 */
export async function verifyOpenId(ctx: OperationContext, client: OAuthClient, tokens: TokenSet, opts: OpenIdOptions): Promise<Check[]> {
  if (tokens.idToken === undefined) throw new ResponseValidationError('ID_TOKEN_MISSING', 'SF_SCOPE asks for openid, and the token answer has no id_token: add openid to the Connected App\'s scopes, or leave it out of SF_SCOPE')
  const { claims, checks } = await checkIdToken(ctx, client, tokens, tokens.idToken, opts)
  const info = await userinfo(ctx, tokens.instanceUrl, tokens.accessToken)
  if (info.sub !== claims.sub) throw new ResponseValidationError('USERINFO_SUBJECT_MISMATCH', 'userinfo "sub" is not the id_token\'s "sub": the access token and the id_token name different users; do not trust either', { cause: { userinfoSubIsIdUrl: info.sub === tokens.id } })
  return [...checks, { name: 'userinfo sub', status: 'pass', detail: "the id_token's sub" }]
}

/** The id_token of one answer against the login host's /id/keys (src/oauth/id-token.ts): the code exchange's and the refresh's. */
async function checkIdToken(ctx: OperationContext, client: OAuthClient, tokens: TokenSet, idToken: string, opts: OpenIdOptions): Promise<VerifiedIdToken> {
  const keys = processJwksResponse(await requestJwks(ctx.http, client.loginUrl))
  return verifyIdToken(idToken, keys, { issuer: new URL(client.loginUrl).origin, clientId: client.clientId, nonce: opts.nonce, accessToken: tokens.accessToken, identityUrl: tokens.id, now: opts.now ?? Date.now() })
}
