/**
 * Request functions of each protocol step: I/O only. Their answers go to the process functions in
 * src/oauth (validation only), as in oauth4webapi.
 */
import type { Endpoints } from '../oauth/endpoints.js'
import { normaliseLoginUrl } from '../oauth/hosts.js'
import type { RawResponse } from '../oauth/types.js'
import type { Http } from './client.js'

/** POST the code exchange. Never re-sent once it may have reached Salesforce: a code is single-use. */
export function requestToken(http: Http, endpoints: Endpoints, body: URLSearchParams): Promise<RawResponse> {
  return http.send({ method: 'POST', url: endpoints.token, body, idempotent: false })
}

/** POST a refresh. Not re-sent after it may have been processed: under rotation that would burn the token. */
export function requestRefresh(http: Http, endpoints: Endpoints, body: URLSearchParams): Promise<RawResponse> {
  return http.send({ method: 'POST', url: endpoints.token, body, idempotent: false })
}

/** POST /services/oauth2/revoke with `token=` (docs/salesforce-oauth.md §5.1). Revoking twice is harmless. */
export function requestRevoke(http: Http, endpoints: Endpoints, token: string): Promise<RawResponse> {
  return http.send({ method: 'POST', url: endpoints.revoke, body: new URLSearchParams({ token }), idempotent: true })
}

/** GET /services/oauth2/userinfo with the access token (docs/salesforce-oauth.md §5.3). */
export function requestUserinfo(http: Http, instanceUrl: string, accessToken: string): Promise<RawResponse> {
  return http.send({ method: 'GET', url: `${normaliseLoginUrl(instanceUrl, 'instance_url')}/services/oauth2/userinfo`, headers: { authorization: `Bearer ${accessToken}` }, idempotent: true })
}

/**
 * GET the identity URL (the token answer's `id`, docs/salesforce-oauth.md §5.4) with the access token. Its host is held
 * to the SF_LOGIN_URL rules first: the token goes there.
 */
export function requestIdentity(http: Http, idUrl: string, accessToken: string, options: { readonly version?: string | undefined } = {}): Promise<RawResponse> {
  const url = new URL(idUrl)
  // `version` (latest or a number) has Salesforce fill the {version} placeholders of `urls` (§11.2).
  const query = options.version === undefined ? '' : `?${new URLSearchParams({ version: options.version }).toString()}`
  return http.send({ method: 'GET', url: `${normaliseLoginUrl(url.origin, 'the identity URL')}${url.pathname}${query}`, headers: { authorization: `Bearer ${accessToken}` }, idempotent: true })
}

/** POST /services/oauth2/introspect with client credentials in the body (docs/salesforce-oauth.md §5.2). */
export function requestIntrospect(http: Http, endpoints: Endpoints, token: string, client: { clientId: string; clientSecret: string | undefined }): Promise<RawResponse> {
  const body = new URLSearchParams({ token, token_type_hint: 'access_token', client_id: client.clientId })
  if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret)
  return http.send({ method: 'POST', url: endpoints.introspect, body, idempotent: true })
}

/** GET the OpenID discovery document under the login URL (docs/salesforce-oauth.md §5.5): is it Salesforce, and up? */
export function requestOpenidConfiguration(http: Http, loginUrl: string): Promise<RawResponse> {
  return http.send({ method: 'GET', url: `${normaliseLoginUrl(loginUrl)}/.well-known/openid-configuration`, idempotent: true })
}

/**
 * GET an authorize URL without a browser session, not following redirects: Salesforce checks client_id
 * and redirect_uri first and answers in plain text, else sends the browser to its login page (docs/salesforce-oauth.md §1.5).
 */
export function requestAuthorizeProbe(http: Http, authorizeUrl: string): Promise<RawResponse> {
  return http.send({ method: 'GET', url: authorizeUrl, headers: { accept: 'text/html,text/plain;q=0.9,*/*;q=0.8' }, idempotent: true })
}

/** GET the login host's id_token keys (`jwks_uri` of its discovery document: /id/keys, docs/salesforce-oauth.md §5.5). */
export function requestJwks(http: Http, loginUrl: string): Promise<RawResponse> {
  return http.send({ method: 'GET', url: `${normaliseLoginUrl(loginUrl)}/id/keys`, idempotent: true })
}
