/**
 * The only place that reads process.env. `.env` is loaded by dotenv (existing environment variables win),
 * every key is validated, every problem is reported at once, and the result is frozen.
 */
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import dotenv from 'dotenv'
import { ProxyAgent } from 'undici'
import { ConfigError, type ConfigProblem } from './errors.js'
import type { ProxySettings } from './http/client.js'
import { checkLoginUrl, isLoopbackHost } from './oauth/hosts.js'
import { redactor } from './redact.js'
import { displayUrl } from './sanitise.js'

/** SF_REDIRECT_URI's default: the loopback callback the Salesforce CLI registers too (RFC 8252 §7.3). */
export const DEFAULT_REDIRECT_URI = 'http://localhost:1717/OauthRedirect'
/** SF_SCOPE's default: API access and a refresh token (Salesforce Help: "OAuth Tokens and Scopes"). */
export const DEFAULT_SCOPE = 'api refresh_token'
/** SF_TIMEOUT_MS's default: the time limit of each request and of each wait for a page, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000

/**
 * The configuration: an org (SF_LOGIN_URL set: a real org, or an emulator running as its own process),
 * whose app and user are then required, or the embedded emulator (SF_LOGIN_URL unset), whose seeded app
 * and user each SF_* variable may override. Narrow on `kind` (or on `loginUrl`).
 */
export type HarnessConfig = OrgConfig | EmbeddedEmulatorConfig

/** The configuration of an org (SF_LOGIN_URL set): where to log in, through which app, as whom. */
export interface OrgConfig extends ConfigSettings {
  readonly kind: 'org'
  readonly loginUrl: string
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly username: string
  readonly password: string
}

/** The configuration without SF_LOGIN_URL: the embedded emulator is started per run, SF_* may override its seeded app and user. */
export interface EmbeddedEmulatorConfig extends ConfigSettings {
  readonly kind: 'emulator'
  readonly loginUrl: undefined
  /** Overrides of the emulator's seeded app and user. */
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
  readonly username: string | undefined
  readonly password: string | undefined
}

/** What holds for either kind. */
export interface ConfigSettings {
  readonly redirectUri: string
  readonly scope: string
  readonly pkce: boolean
  readonly headless: boolean
  readonly browserPath: string | undefined
  readonly timeoutMs: number
  readonly totpSecret: string | undefined
  readonly verificationCodeCommand: string | undefined
  /** Browser state (cookies) kept between runs, so "remember this browser" holds. Keep it out of git. */
  readonly browserStateFile: string | undefined
  /** A passkey (CDP WebAuthn.Credential JSON, mode 0600) for "Log In With a Passkey"; read by the flow command. */
  readonly passkeyFile: string | undefined
  /** The HTTPS proxy as the HTTP client uses it (https_proxy first, as undici and curl read it), for `doctor` to show. */
  readonly proxy: string | undefined
  /** HTTP(S)_PROXY and NO_PROXY for the HTTP client (`''`: unset), read here rather than by undici from process.env. */
  readonly proxies: ProxySettings
  /** SF_TOKEN_FORMAT: json (default), xml or urlencoded, asked of the token endpoint with format= and checked. */
  readonly tokenFormat: 'json' | 'xml' | 'urlencoded'
}

/** Environment variables by name, as `process.env` holds them (or `readEnv()` returns them). */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * The configuration when a person logs in (`login`, `authorize-url`, `exchange`, `flow --headed`):
 * SF_USERNAME and SF_PASSWORD are optional, since whoever is at the browser types them (or logs in by SSO,
 * a passkey, ...). An org run without them has username/password undefined.
 */
export type PersonConfig = HarnessConfig | PersonOrgConfig

export interface PersonOrgConfig extends Omit<OrgConfig, 'username' | 'password'> {
  readonly username: string | undefined
  readonly password: string | undefined
}

export interface LoadOptions {
  /** A person logs in at the browser: SF_USERNAME and SF_PASSWORD are not required with SF_LOGIN_URL. */
  readonly person?: boolean
}

/** Every variable the harness reads, with its documentation (also the source of .env.example). */
export const VARIABLES = {
  SF_LOGIN_URL: 'Login host (https://login.salesforce.com, https://test.salesforce.com, or a My Domain). Unset: the embedded emulator.',
  SF_CLIENT_ID: "The Connected App's consumer key. Required with SF_LOGIN_URL.",
  SF_CLIENT_SECRET: "The Connected App's consumer secret (omit only if the app does not require it).",
  SF_REDIRECT_URI: `A Callback URL registered on the app. Default ${DEFAULT_REDIRECT_URI}.`,
  SF_USERNAME: 'The user who logs in. Required with SF_LOGIN_URL, unless you log in yourself (login, authorize-url/exchange, flow --headed).',
  SF_PASSWORD: 'That user\'s password. Required with SF_LOGIN_URL, unless you log in yourself (login, authorize-url/exchange, flow --headed).',
  SF_SCOPE: `Space-separated scopes. Default "${DEFAULT_SCOPE}". Keep refresh_token (or offline_access) to get a refresh token.`,
  SF_PKCE: 'Send a PKCE challenge (true/false). Default true.',
  SF_HEADLESS: 'Run the browser headless (true/false). Default true.',
  SF_BROWSER_PATH: 'A Chromium or Chrome executable to use instead of the one setup finds.',
  SF_TIMEOUT_MS: `Time limit in ms for each network and browser step. Default ${DEFAULT_TIMEOUT_MS}.`,
  SF_TOTP_SECRET: 'Base32 secret of the user\'s authenticator app, to pass identity verification headless.',
  SF_VERIFICATION_CODE_COMMAND: 'A command that prints the emailed verification code.',
  SF_BROWSER_STATE: 'A file for the browser state (cookies), so "remember this browser" holds between runs (git-ignored under .sf-oauth/).',
  SF_NOTIFY_URLS: 'Webhook URLs for sf-oauth check --notify (space or comma separated; prefix slack: or teams: to pick the payload). Secrets: keep them in the CI secret store.',
  SF_TOKEN_FORMAT: 'The token answer format to ask for (format=) and check: json (default), xml or urlencoded.',
  SF_PASSKEY_FILE: 'A passkey of the user (mode 0600; made by sf-oauth passkey enrol), for orgs that ask for one. Needs an https or http://localhost login URL.',
} as const

/**
 * What `check` reads for history, alerts and the GitHub write-back (docs/monitoring.md): the webhook URLs,
 * and the variables GitHub Actions sets (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID,
 * GITHUB_API_URL) plus GH_TOKEN, which the workflow passes for --write-back github.
 */
export interface MonitoringSettings {
  readonly notifyUrls: readonly string[]
  /** The CI run's page, when GitHub Actions variables say. */
  readonly runUrl: string | undefined
  readonly runId: string | undefined
  readonly github: { readonly apiUrl: string; readonly repository: string | undefined; readonly token: string | undefined }
}

export function monitoringSettings(env: Env): MonitoringSettings {
  const notifyUrls = (env.SF_NOTIFY_URLS ?? '').split(/[\s,]+/).filter((u) => u !== '')
  const server = env.GITHUB_SERVER_URL
  const repo = env.GITHUB_REPOSITORY
  const runId = env.GITHUB_RUN_ID !== undefined && /^\d{1,20}$/.test(env.GITHUB_RUN_ID) ? env.GITHUB_RUN_ID : undefined
  const runUrl = server !== undefined && /^https?:\/\/[^\s/]+$/.test(server.replace(/\/+$/, '')) && repo !== undefined && /^[\w.-]+\/[\w.-]+$/.test(repo) && runId !== undefined ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${runId}` : undefined
  const token = env.GH_TOKEN === undefined || env.GH_TOKEN.trim() === '' ? undefined : env.GH_TOKEN.trim()
  return { notifyUrls, runUrl, runId, github: { apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', repository: repo, token } }
}


/**
 * The per-user cache of an installed sf-oauth (the browser the run-time ladder or `sf-oauth setup` found):
 * never inside the package, which an install may replace or mount read-only. XDG Base Directory on Linux,
 * the platform's cache folder elsewhere. scripts/setup-lib.mjs `userCacheDir` computes the same path.
 */
export function userCacheDir(env: Env = process.env, platform: string = process.platform, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME
  const base = platform === 'darwin' ? join(home, 'Library', 'Caches')
    : platform === 'win32' ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
    : xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache') // XDG: a relative value is ignored
  return join(base, 'sf-oauth-harness')
}

/** Load `.env` (if present) into a copy of the environment; the real environment wins. */
export function readEnv(path = '.env'): Env {
  const fromFile: Record<string, string> = {}
  dotenv.config({ path, processEnv: fromFile, quiet: true })
  return { ...fromFile, ...process.env }
}

/**
 * Validate the environment (default: `.env` in the current directory, then the process environment,
 * which wins) into a frozen config: an org when `SF_LOGIN_URL` is set, else the embedded emulator.
 * With `{ person: true }` (flow --headed, login, exchange) SF_USERNAME/SF_PASSWORD may be absent.
 *
 * @throws `CONFIG_INVALID` (a {@link ConfigError}, exit 2) listing every problem at once: each with the
 *   variable, what is wrong and the fix.
 */
export function loadConfig(env?: Env): HarnessConfig
export function loadConfig(env: Env | undefined, options: LoadOptions & { readonly person: true }): PersonConfig
export function loadConfig(env: Env = readEnv(), options: LoadOptions = {}): PersonConfig {
  const problems: ConfigProblem[] = []
  const bad = (key: string, problem: string, fix: string): undefined => {
    problems.push({ key, problem, fix })
    return undefined
  }
  /** A value that is set must not be empty or blank. */
  const str = (key: string): string | undefined => {
    const v = env[key]
    if (v === undefined) return undefined
    if (v.trim() === '') { bad(key, 'is empty', `set a value or remove the ${key} line`); return; }
    return v
  }
  const bool = (key: string, dflt: boolean): boolean => {
    const v = str(key)
    if (v === undefined) return dflt
    const t = v.trim().toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(t)) return true
    if (['0', 'false', 'no', 'off'].includes(t)) return false
    bad(key, `is "${v}", not a boolean`, 'use true or false')
    return dflt
  }

  const loginUrl = parseLoginUrl(str('SF_LOGIN_URL'), bad)
  const redirectUri = parseRedirectUri(str('SF_REDIRECT_URI') ?? DEFAULT_REDIRECT_URI, bad)
  const scope = parseScope(str('SF_SCOPE') ?? DEFAULT_SCOPE, bad)
  const timeoutMs = parseTimeout(str('SF_TIMEOUT_MS'), bad)
  const clientId = str('SF_CLIENT_ID')
  const clientSecret = str('SF_CLIENT_SECRET')
  const username = str('SF_USERNAME')
  const password = str('SF_PASSWORD')

  if (env.SF_LOGIN_URL !== undefined) {
    // A real org: nothing can be taken from the emulator's seed.
    if (env.SF_CLIENT_ID === undefined) bad('SF_CLIENT_ID', 'is missing', "set it to the Connected App's consumer key")
    if (env.SF_USERNAME === undefined && options.person !== true) bad('SF_USERNAME', 'is missing', 'set it to the username that logs in (or log in yourself: sf-oauth login)')
    if (env.SF_PASSWORD === undefined && options.person !== true) bad('SF_PASSWORD', 'is missing', "set it to that user's password (or log in yourself: sf-oauth login)")
  }
  if (clientId !== undefined && /\s/.test(clientId)) bad('SF_CLIENT_ID', 'contains white space', 'copy the consumer key again, without spaces or line breaks')

  const totpSecret = str('SF_TOTP_SECRET')
  if (totpSecret !== undefined && !/^[A-Z2-7]+=*$/i.test(totpSecret.replace(/\s/g, ''))) {
    bad('SF_TOTP_SECRET', 'is not base32', 'paste the secret shown when the authenticator was registered (letters A-Z and digits 2-7)')
  }

  checkProxies(env, bad)
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY

  const settings: ConfigSettings = {
    redirectUri,
    scope,
    pkce: bool('SF_PKCE', true),
    headless: bool('SF_HEADLESS', true),
    browserPath: str('SF_BROWSER_PATH'),
    timeoutMs,
    totpSecret,
    verificationCodeCommand: str('SF_VERIFICATION_CODE_COMMAND'),
    browserStateFile: str('SF_BROWSER_STATE'),
    passkeyFile: str('SF_PASSKEY_FILE'),
    proxy: httpsProxy,
    // Handed to the HTTP client and the browser, so a proxy set in .env is used, not only reported. The
    // embedded emulator listens on this machine's loopback, which no proxy can reach: it goes direct.
    proxies: env.SF_LOGIN_URL === undefined
      ? { httpProxy: '', httpsProxy: '', noProxy: '' }
      : { httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '', httpsProxy: httpsProxy ?? '', noProxy: env.no_proxy ?? env.NO_PROXY ?? '' },
    tokenFormat: parseTokenFormat(str('SF_TOKEN_FORMAT'), bad),
  }
  for (const key of PROXY_KEYS) registerUrlCredentials(env[key])
  if (problems.length > 0) throw new ConfigError(problems)
  if (env.SF_LOGIN_URL === undefined) return Object.freeze({ ...settings, kind: 'emulator', loginUrl: undefined, clientId, clientSecret, username, password })
  // With SF_LOGIN_URL, a missing or bad login URL, client id, username or password is a problem above.
  if (loginUrl === undefined || clientId === undefined) throw new ConfigError(problems)
  if (username === undefined || password === undefined) {
    if (options.person === true) return Object.freeze({ ...settings, kind: 'org', loginUrl, clientId, clientSecret, username, password })
    throw new ConfigError(problems)
  }
  return Object.freeze({ ...settings, kind: 'org', loginUrl, clientId, clientSecret, username, password })
}

type Bad = (key: string, problem: string, fix: string) => undefined

/** Read by undici's EnvHttpProxyAgent; their user:password must never be printed. */
const PROXY_KEYS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const

/** Register a URL's password (and user:password) with the redactor, decoded and as written. */
function registerUrlCredentials(raw: string | undefined): void {
  if (raw === undefined) return
  const userinfo = /\/\/([^\s/?#]*)@/.exec(raw)?.[1]
  if (userinfo === undefined) return
  redactor.add(userinfo)
  const colon = userinfo.indexOf(':')
  if (colon < 0) return
  const password = userinfo.slice(colon + 1)
  redactor.add(password)
  try {
    redactor.add(decodeURIComponent(password))
  } catch {
    // Not percent-encoded: registered as written above.
  }
}

function parseLoginUrl(raw: string | undefined, bad: Bad): string | undefined {
  if (raw === undefined) return undefined
  const checked = checkLoginUrl(raw)
  if (checked.ok) return checked.url
  bad('SF_LOGIN_URL', checked.problem, checked.fix)
  return undefined
}

/**
 * undici's EnvHttpProxyAgent reads these itself (lower case first) and throws on a value it cannot use, so
 * ask its own ProxyAgent. The value is never echoed: a proxy URL may hold a password.
 */
function checkProxies(env: Env, bad: Bad): void {
  for (const key of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const v = env[key]
    if (v === undefined || v === '') continue
    try {
      new ProxyAgent(v).close().catch(() => undefined)
    } catch {
      bad(key, 'is not a usable proxy URL', 'use http://host:port (user:password@ percent-encoded), or unset it')
    }
  }
}

/**
 * Custom (private-use) schemes are Callback URLs of mobile apps, which Salesforce accepts (RFC 8252 §7.1:
 * reverse-DNS names such as com.example.app:/cb; Salesforce's own apps use sfdc://). Schemes a browser
 * runs or reads locally are not such apps.
 */
const PRIVATE_SCHEME = /^(?!(?:javascript|data|file|blob|about|view-source|ftp|ws|wss|chrome|chrome-extension|filesystem|vbscript):$)[a-z][a-z0-9+.-]*:$/

function parseRedirectUri(raw: string, bad: Bad): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    bad('SF_REDIRECT_URI', `is "${displayUrl(raw)}", not a URL`, `use a Callback URL of the app, e.g. ${DEFAULT_REDIRECT_URI}`)
    return DEFAULT_REDIRECT_URI
  }
  // RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
  if (raw.includes('#')) bad('SF_REDIRECT_URI', 'has a #fragment', 'remove the fragment: redirect URIs must not have one (RFC 6749 §3.1.2)')
  else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    // RFC 8252 §8.3 / RFC 6749 §3.1.2.1: a code sent over plain http to another machine can be read on the way.
    bad('SF_REDIRECT_URI', `uses http:// with the non-loopback host ${url.hostname}`, `use https://${url.host}${url.pathname}, or http://localhost (127.0.0.1, [::1]) for a local callback`)
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:' && !PRIVATE_SCHEME.test(url.protocol)) {
    bad('SF_REDIRECT_URI', `has scheme ${url.protocol}`, 'use an http://localhost or https:// Callback URL, or a custom scheme of a mobile app (e.g. com.example.app:/callback)')
  }
  // Salesforce compares byte for byte, so keep the user's spelling.
  return raw.trim()
}

function parseTokenFormat(raw: string | undefined, bad: Bad): 'json' | 'xml' | 'urlencoded' {
  const v = raw?.trim().toLowerCase() ?? 'json'
  if (v === 'json' || v === 'xml' || v === 'urlencoded') return v
  bad('SF_TOKEN_FORMAT', `is "${raw ?? ''}"`, 'use json, xml or urlencoded')
  return 'json'
}

function parseScope(raw: string, bad: Bad): string {
  const scopes = raw.trim().split(/\s+/)
  if (raw.includes(',')) {
    bad('SF_SCOPE', `is "${raw}" with commas`, 'separate scopes with spaces, e.g. "api refresh_token"')
  } else if (scopes.some((s) => !/^[A-Za-z0-9_:.\-/]+$/.test(s))) {
    bad('SF_SCOPE', `is "${raw}"`, 'use space-separated scope names such as api, refresh_token, offline_access, openid')
  }
  return scopes.join(' ')
}

function parseTimeout(raw: string | undefined, bad: Bad): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_MS
  const n = Number(raw.trim())
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
    bad('SF_TIMEOUT_MS', `is "${raw}", not a whole number of milliseconds`, 'use e.g. 30000')
    return DEFAULT_TIMEOUT_MS
  }
  if (n < 100 || n > 600_000) {
    bad('SF_TIMEOUT_MS', `is ${n}`, 'use a value from 100 to 600000 ms')
    return DEFAULT_TIMEOUT_MS
  }
  return n
}
