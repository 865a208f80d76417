/**
 * The Salesforce CLI's auth URL, for `sf org login sfdx-url --sfdx-url-file FILE`:
 * `force://<clientId>:<clientSecret>:<refreshToken>@<instanceUrl>` (docs/salesforce-oauth.md §10.1; sfdx-core parses it with
 * /^force:\/\/([a-zA-Z0-9._-]+={0,2}):([a-zA-Z0-9._-]*={0,2}):([a-zA-Z0-9._-]+={0,2})@([a-zA-Z0-9:._-]+)/
 * and prefixes https:// to the host, so the instance part is a host[:port] without scheme).
 */
import { UsageError } from '../errors.js'

export const SFDX_URL_PATTERN = /^force:\/\/([a-zA-Z0-9._-]+={0,2}):([a-zA-Z0-9._-]*={0,2}):([a-zA-Z0-9._-]+={0,2})@([a-zA-Z0-9:._-]+)$/

export interface SfdxUrl {
  readonly url: string
  /** Set when the sf CLI will not reach the instance as written (it assumes https). */
  readonly warning: string | undefined
}

export function sfdxAuthUrl(p: { clientId: string; clientSecret: string | undefined; refreshToken: string | null | undefined; instanceUrl: string }): SfdxUrl {
  if (p.refreshToken === null || p.refreshToken === undefined) {
    throw new UsageError('--sfdx-url needs a refresh token, and this token set has none: keep refresh_token in SF_SCOPE and on the app, then run the flow again')
  }
  if (!URL.canParse(p.instanceUrl)) throw new UsageError('--sfdx-url: the token set\'s instance_url is not a URL: run the flow again for a new token set')
  const instance = new URL(p.instanceUrl)
  const url = `force://${p.clientId}:${p.clientSecret ?? ''}:${p.refreshToken}@${instance.host}`
  if (!SFDX_URL_PATTERN.test(url)) {
    throw new UsageError('--sfdx-url: the client id, secret or refresh token has characters the sf CLI does not accept in an auth URL: use sf org login web instead')
  }
  const warning = instance.protocol === 'https:' ? undefined : `instance_url ${p.instanceUrl} is ${instance.protocol}//: the sf CLI always uses https://${instance.host}, so this file works only for an https org`
  return { url, warning }
}
