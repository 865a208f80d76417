/**
 * Where the harness may send a secret: one set of URL rules for SF_LOGIN_URL, a targets file's loginUrl,
 * a token file's loginUrl and instanceUrl, and a token answer's instance_url. Pure: no I/O.
 */
import { HarnessError } from '../errors.js'

/**
 * Reachable from this machine only: localhost and its subdomains (RFC 6761 §6.3), 127.0.0.0/8, ::1, and
 * those IPv4 addresses mapped into IPv6 (`::ffff:127.0.0.1`, which the URL parser writes `::ffff:7f00:1`).
 * Takes a URL's hostname (IPv6 in brackets) or a bare address (`--host ::1`), in any case. Loopback hosts
 * may use http:// (the emulator, a local callback); everything else must be https.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/, '')
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h)
}

/**
 * Domains Salesforce serves orgs, My Domains, sandboxes (`*.sandbox.my.salesforce.com`), scratch orgs and
 * Experience Cloud sites from (Salesforce Help "My Domain URL Formats"; Government Cloud uses
 * salesforce.mil). A host outside them is not necessarily wrong (a custom site domain), so it is a warning.
 */
export const SALESFORCE_DOMAINS = ['salesforce.com', 'force.com', 'salesforce.mil', 'cloudforce.com', 'database.com', 'my.site.com', 'my.salesforce-sites.com'] as const

export function isSalesforceHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  return SALESFORCE_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`))
}

/** A URL that passed the rules: `url` is origin + path without a trailing slash (as jsforce keeps it). */
export interface GoodUrl {
  readonly ok: true
  readonly url: string
  /** Lower-case host name, punycode for non-ASCII names (as the URL parser gives it). */
  readonly hostname: string
}

/** Why a URL was refused, as a config problem: `<field> <problem>: <fix>`. Never echoes the raw value. */
export interface BadUrl {
  readonly ok: false
  readonly problem: string
  readonly fix: string
}

const LOGIN_EXAMPLES = 'use https://login.salesforce.com, https://test.salesforce.com or your My Domain URL'

/**
 * The SF_LOGIN_URL rules: https, or http only for a loopback host; no credentials, query or fragment; an
 * ASCII host name. The raw value is never put in the problem text: it may hold `user:password@`.
 */
export function checkLoginUrl(raw: string): GoodUrl | BadUrl {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return { ok: false, problem: 'is not a URL', fix: LOGIN_EXAMPLES }
  }
  if (url.username || url.password) return { ok: false, problem: 'contains credentials', fix: 'remove user:password@ from the URL; credentials go in SF_USERNAME and SF_PASSWORD' }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // Salesforce answers http:// with a redirect to https://; the POST body is lost on the way and the
    // token call fails with unsupported_grant_type "grant type not supported" (b2c-crm-sync#16). And a
    // refresh token or client secret sent over http is readable by anyone on the path.
    return { ok: false, problem: 'uses http://', fix: `use https://${url.host}: http is allowed only for loopback hosts (Salesforce redirects http to https, the token POST body is lost and the answer is "grant type not supported")` }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: `has scheme ${url.protocol}`, fix: 'use an https:// URL' }
  if (url.search || url.hash || raw.includes('#') || /\?/.test(raw)) return { ok: false, problem: 'has a query or fragment', fix: 'use only the scheme, host and (for an Experience Cloud site) path, e.g. https://login.salesforce.com' }
  // The URL parser turns a non-ASCII name into punycode (xn--). Salesforce host names are ASCII (My Domain
  // names allow letters, digits and hyphens only), so an xn-- label is a look-alike, e.g. a Cyrillic "о".
  if (url.hostname.split('.').some((label) => label.startsWith('xn--'))) {
    return { ok: false, problem: `has the internationalised host ${url.hostname}`, fix: 'Salesforce host names are plain ASCII; a look-alike host would receive the tokens and secrets: type the host name in ASCII' }
  }
  return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, ''), hostname: url.hostname }
}

/**
 * The one normaliser of a login (or instance) URL: the form checkLoginUrl keeps, origin + path without a
 * trailing slash, so a path prefix (an Experience Cloud site) stays and no slash is doubled (as jsforce
 * joins them). Every endpoint URL is built on it. A URL the rules refuse throws LOGIN_URL_INVALID: it
 * should have been refused where it came in (config, targets file, token file, token answer).
 */
export function normaliseLoginUrl(raw: string, what = 'a login URL'): string {
  const checked = checkLoginUrl(raw)
  if (!checked.ok) throw new HarnessError('LOGIN_URL_INVALID', `${what} ${checked.problem}: ${checked.fix}`)
  return checked.url
}

/** Two login URLs name the same endpoint when they normalise alike (host case, trailing slashes). */
export function sameLoginUrl(a: string, b: string): boolean {
  const x = checkLoginUrl(a)
  const y = checkLoginUrl(b)
  return x.ok && y.ok && x.url === y.url
}

/** The warning for an instance_url outside Salesforce's domains (undefined when it is inside, or loopback). */
export function instanceUrlWarning(good: GoodUrl): string | undefined {
  if (isSalesforceHost(good.hostname) || isLoopbackHost(good.hostname)) return undefined
  return `instance_url ${good.url} is outside Salesforce's domains (${SALESFORCE_DOMAINS.map((d) => `*.${d}`).join(', ')})`
}
