/**
 * The browser's proxy, from the same settings the HTTP client uses (src/config.ts reads HTTP(S)_PROXY and
 * NO_PROXY from `.env` and the environment). Playwright hands it to Chromium per context, credentials
 * included, which Chromium cannot take from environment variables. https://playwright.dev/docs/network#http-proxy
 */
import type { ProxySettings } from '../http/client.js'

export interface BrowserProxy {
  /** scheme://host:port, without credentials. */
  readonly server: string
  /** NO_PROXY's entries, comma-separated (Chromium's bypass list reads the same host and .domain forms). */
  readonly bypass?: string
  readonly username?: string
  readonly password?: string
}

/**
 * The proxy the login pages go through: HTTPS_PROXY (Salesforce's pages are https), else HTTP_PROXY;
 * undefined when neither is set. The values were checked by src/config.ts (a usable proxy URL).
 */
export function browserProxy(proxies: ProxySettings): BrowserProxy | undefined {
  const raw = proxies.httpsProxy !== '' ? proxies.httpsProxy : proxies.httpProxy
  if (raw === '' || !URL.canParse(raw)) return undefined
  const u = new URL(raw)
  const bypass = proxies.noProxy.split(/[,\s]+/).filter((e) => e !== '').join(',')
  return {
    server: `${u.protocol}//${u.host}`,
    ...(bypass === '' ? {} : { bypass }),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
  }
}
