/**
 * Salesforce OAuth endpoints under a login URL, keeping any path prefix (Experience Cloud sites) and
 * never doubling a slash, as jsforce does (docs/salesforce-oauth.md §1.1).
 */
export interface Endpoints {
  readonly authorize: string
  readonly token: string
  readonly revoke: string
  readonly introspect: string
  readonly userinfo: string
}

export function endpointsFor(loginUrl: string): Endpoints {
  const base = loginUrl.replace(/\/+$/, '')
  return {
    authorize: `${base}/services/oauth2/authorize`,
    token: `${base}/services/oauth2/token`,
    revoke: `${base}/services/oauth2/revoke`,
    introspect: `${base}/services/oauth2/introspect`,
    userinfo: `${base}/services/oauth2/userinfo`,
  }
}
