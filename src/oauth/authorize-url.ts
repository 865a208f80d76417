import { endpointsFor } from './endpoints.js'

export interface AuthorizeParams {
  readonly loginUrl: string
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly state: string
  /** S256 challenge; omitted when PKCE is off. */
  readonly codeChallenge?: string | undefined
  readonly prompt?: string | undefined
  readonly loginHint?: string | undefined
  /** `immediate=true`: no pages; Salesforce answers immediate_unsuccessful unless logged in and approved. */
  readonly immediate?: boolean | undefined
  /** OpenID Connect nonce, sent whenever the scope asks for openid (OpenID Connect Core §3.1.2.1). */
  readonly nonce?: string | undefined
}

/**
 * The authorize URL of the web server flow.
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 * We send `code_challenge_method=S256` explicitly: Salesforce accepts it, and so does every RFC 7636
 * server (a missing method means `plain` there).
 */
export function buildAuthorizeUrl(p: AuthorizeParams): URL {
  const url = new URL(endpointsFor(p.loginUrl).authorize)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', p.clientId)
  url.searchParams.set('redirect_uri', p.redirectUri)
  url.searchParams.set('scope', p.scope)
  url.searchParams.set('state', p.state)
  if (p.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', p.codeChallenge)
    url.searchParams.set('code_challenge_method', 'S256')
  }
  if (p.prompt !== undefined) url.searchParams.set('prompt', p.prompt)
  if (p.loginHint !== undefined) url.searchParams.set('login_hint', p.loginHint)
  if (p.immediate === true) url.searchParams.set('immediate', 'true')
  if (p.nonce !== undefined) url.searchParams.set('nonce', p.nonce)
  return url
}
