/**
 * Salesforce OAuth endpoints under a login URL, keeping any path prefix (Experience Cloud sites) and
 * never doubling a slash, as jsforce does (docs/salesforce-oauth.md §1.1): the URL goes through the one normaliser.
 */
import { normaliseLoginUrl } from './hosts.js'

export interface Endpoints {
  readonly authorize: string
  readonly token: string
  readonly revoke: string
  readonly introspect: string
  readonly userinfo: string
}

/** The endpoints' paths under a login URL; with no URL (sf-oauth curl without SF_LOGIN_URL) they stand alone. */
export const ENDPOINT_PATHS: Endpoints = {
  authorize: '/services/oauth2/authorize',
  token: '/services/oauth2/token',
  revoke: '/services/oauth2/revoke',
  introspect: '/services/oauth2/introspect',
  userinfo: '/services/oauth2/userinfo',
}

export function endpointsFor(loginUrl: string): Endpoints {
  const base = normaliseLoginUrl(loginUrl)
  return {
    authorize: `${base}${ENDPOINT_PATHS.authorize}`,
    token: `${base}${ENDPOINT_PATHS.token}`,
    revoke: `${base}${ENDPOINT_PATHS.revoke}`,
    introspect: `${base}${ENDPOINT_PATHS.introspect}`,
    userinfo: `${base}${ENDPOINT_PATHS.userinfo}`,
  }
}
