/**
 * `sf-oauth doctor`: checks the configuration against the login host and explains every finding: the
 * config itself, DNS, TLS, HTTP, whether the app accepts the redirect URI (authorize without logging in),
 * and whether the app requires PKCE (as far as it shows before a login).
 */
import { loadConfig, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { ConfigError, EXIT } from '../../errors.js'
import { createHttp, type Http } from '../../http/client.js'
import { lookupHost, tlsHandshake } from '../../http/diagnostics.js'
import { requestOpenidConfiguration } from '../../http/oauth.js'
import { probeAuthorize } from '../../client/operations.js'
import type { AuthorizeProbe } from '../../oauth/authorize-probe.js'
import { buildAuthorizeUrl } from '../../oauth/authorize-url.js'
import { createPkce } from '../../oauth/pkce.js'
import { isLoopbackHost } from '../../oauth/hosts.js'
import { mask } from '../../redact.js'
import { displayUrl } from '../../sanitise.js'
import { parse } from '../args.js'
import { errorJson, jsonErrors, type Io, Printer } from '../output.js'
import { resolveTarget } from '../../targets/resolve.js'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ERRORS, isErrorCode } from '../../error-registry.js'

export const DOCTOR_HELP = `Usage: sf-oauth doctor [--json]

Checks the configuration (.env and the environment) and explains each finding:
  config        every SF_* variable is valid
  dns           the login host resolves
  tls           the TLS handshake succeeds; certificate subject, issuer and expiry (skipped for http loopback)
  http          GET /.well-known/openid-configuration answers as Salesforce does
  client_id     authorize without logging in does not answer "client identifier invalid"
  redirect_uri  ... nor "redirect_uri must match configuration": the plain-text mismatch answer versus a
                302 to the login page
  by hand       which way to log in yourself fits SF_REDIRECT_URI: sf-oauth login (a loopback port),
                or authorize-url + exchange (port 80, another host, https: paste the redirected URL)
  pkce          authorize without code_challenge: Salesforce's error page when the app requires PKCE
                (shown before login; if an org shows it only after login, the flow reports it then)
  last flow     with --record DIR (a failed sf-oauth flow --record DIR): which page stopped it, and the fix
Without SF_LOGIN_URL the embedded emulator is checked. Exit 1 when a finding fails.`

export type Status = 'ok' | 'warn' | 'fail' | 'skip'

export interface Finding {
  readonly check: string
  readonly status: Status
  readonly summary: string
  /** What it means and what to do. */
  readonly explain: string
}

const ICON: Readonly<Record<Status, string>> = { ok: '✓', warn: '!', fail: '✗', skip: '-' }

function netCode(err: unknown): string {
  const e = errorJson(err)
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && e.code === 'INTERNAL_ERROR' ? `${code}: ${e.message}` : `${e.code}: ${e.message}`
}

async function checkDns(host: string): Promise<Finding> {
  try {
    const a = await lookupHost(host)
    return a.literal
      ? { check: 'dns', status: 'ok', summary: `${host} is an IP address`, explain: 'nothing to resolve' }
      : { check: 'dns', status: 'ok', summary: `${host} → ${a.addresses.join(', ')}`, explain: 'the name resolves (system resolver: /etc/hosts, then DNS)' }
  } catch (err) {
    return { check: 'dns', status: 'fail', summary: `${host} does not resolve (${netCode(err)})`, explain: 'check the spelling of SF_LOGIN_URL (a My Domain is <name>.my.salesforce.com, a sandbox <name>--<sandbox>.sandbox.my.salesforce.com), the DNS server, and any proxy' }
  }
}

async function checkTls(url: URL, timeoutMs: number): Promise<Finding> {
  if (url.protocol === 'http:') {
    return { check: 'tls', status: 'skip', summary: 'skipped: http loopback', explain: 'plain http is accepted only on loopback (the emulator); every Salesforce host is https' }
  }
  try {
    const t = await tlsHandshake(url.hostname, Number(url.port || 443), timeoutMs)
    const days = t.validTo === undefined ? undefined : Math.floor((Date.parse(t.validTo) - Date.now()) / 86_400_000)
    const summary = `${t.protocol ?? 'TLS'}, certificate ${t.subject ?? '?'} by ${t.issuer ?? '?'}, valid until ${t.validTo ?? '?'}${days === undefined ? '' : ` (${days} days)`}`
    if (!t.authorized) return { check: 'tls', status: 'fail', summary: `${summary}; not trusted: ${t.authorizationError ?? 'unknown'}`, explain: 'the certificate is not trusted by Node: a TLS-inspecting proxy needs its CA in NODE_EXTRA_CA_CERTS; an expired or wrong-host certificate means the wrong host' }
    if (days !== undefined && days < 14) return { check: 'tls', status: 'warn', summary, explain: 'the certificate expires soon' }
    return { check: 'tls', status: 'ok', summary, explain: 'the handshake succeeds and the certificate is trusted' }
  } catch (err) {
    return { check: 'tls', status: 'fail', summary: `no TLS handshake with ${url.host} (${netCode(err)})`, explain: 'a firewall or proxy blocks port 443, or the host does not speak TLS; set HTTPS_PROXY if the network requires a proxy' }
  }
}

async function checkHttp(http: Http, loginUrl: string): Promise<Finding> {
  try {
    const res = await requestOpenidConfiguration(http, loginUrl)
    let issuer: unknown
    try {
      issuer = (JSON.parse(res.body) as { issuer?: unknown }).issuer
    } catch {
      issuer = undefined
    }
    if (res.status === 200 && typeof issuer === 'string') return { check: 'http', status: 'ok', summary: `GET /.well-known/openid-configuration → 200, issuer ${issuer}`, explain: 'the host answers HTTP as a Salesforce login host does' }
    if (res.status >= 300 && res.status < 400) return { check: 'http', status: 'warn', summary: `GET /.well-known/openid-configuration → ${res.status} to ${res.headers.location ?? '?'}`, explain: 'the host redirects: use the host it redirects to as SF_LOGIN_URL (a POST to the token endpoint does not survive a redirect)' }
    return { check: 'http', status: 'warn', summary: `GET /.well-known/openid-configuration → ${res.status}${typeof issuer === 'string' ? '' : ', no issuer'}`, explain: 'the host answers, but not like a Salesforce login host: check that SF_LOGIN_URL is the login host (not a Lightning or Visualforce URL)' }
  } catch (err) {
    return { check: 'http', status: 'fail', summary: `GET /.well-known/openid-configuration failed (${netCode(err)})`, explain: 'the host does not answer HTTP: check the network, HTTPS_PROXY and NO_PROXY' }
  }
}

function describe(p: AuthorizeProbe): string {
  switch (p.kind) {
    case 'login-page': return '302 to the login page'
    case 'plain-error': return `plain text error=${p.error}`
    case 'redirect-error': return `redirect to the callback with error=${p.error}${p.description === undefined ? '' : ` (${p.description})`}`
    case 'error-page': return `Salesforce's error page, ${p.error}${p.description === undefined ? '' : ` (${p.description})`}`
    case 'unexpected': return `HTTP ${p.status}${p.location === undefined ? '' : ` to ${p.location}`}`
  }
}

function clientAndRedirect(p: AuthorizeProbe, config: { clientId: string; redirectUri: string }): Finding[] {
  if (p.kind === 'plain-error' && p.error === 'invalid_client_id') {
    return [
      { check: 'client_id', status: 'fail', summary: `${mask(config.clientId)}: ${describe(p)}`, explain: 'no app with this consumer key on this login host: copy the consumer key again, and check that the app lives in this org (production vs sandbox host); a new app can take up to 10 minutes to be usable' },
      { check: 'redirect_uri', status: 'skip', summary: 'not checked: the client_id is refused first', explain: 'Salesforce checks the client_id before the redirect URI' },
    ]
  }
  const clientOk: Finding = { check: 'client_id', status: 'ok', summary: `${mask(config.clientId)} is known`, explain: 'authorize did not answer "client identifier invalid"' }
  if (p.kind === 'plain-error' && p.error === 'redirect_uri_mismatch') {
    return [clientOk, { check: 'redirect_uri', status: 'fail', summary: `${config.redirectUri}: ${describe(p)}`, explain: 'the app has no such Callback URL: add it to the app exactly, byte for byte (localhost is not 127.0.0.1; a trailing slash counts), or set SF_REDIRECT_URI to one it has' }]
  }
  if (p.kind === 'login-page') {
    return [clientOk, { check: 'redirect_uri', status: 'ok', summary: `${config.redirectUri} accepted: ${describe(p)}`, explain: 'Salesforce checks client_id and redirect_uri before it shows the login page, so both are right' }]
  }
  if (p.kind === 'redirect-error' || p.kind === 'error-page') {
    const explain = p.error === 'OAUTH_APP_BLOCKED' ? 'an admin blocked the app (Connected Apps OAuth Usage)'
      : p.error === 'invalid_scope' ? 'the app lacks a scope of SF_SCOPE (e.g. refresh_token): add it to the app or remove it from SF_SCOPE'
      : p.error === 'invalid_client' ? 'the app is not installed in the org: install it, or give the user "Approve Uninstalled Connected Apps"'
      : 'Salesforce refused the request before the login page'
    return [clientOk, { check: 'redirect_uri', status: p.kind === 'redirect-error' ? 'ok' : 'warn', summary: describe(p), explain: `${p.kind === 'redirect-error' ? 'the redirect URI is accepted (Salesforce sent the error to it); but ' : ''}${explain}` }]
  }
  return [clientOk, { check: 'redirect_uri', status: 'warn', summary: describe(p), explain: 'not an answer Salesforce gives to authorize: check that SF_LOGIN_URL is the login host' }]
}

function pkceFinding(withChallenge: AuthorizeProbe, without: AuthorizeProbe, pkceOn: boolean): Finding {
  const requiresPkce = without.kind === 'error-page' && without.error === 'OAUTH_APPROVAL_ERROR_GENERIC' && withChallenge.kind === 'login-page'
  if (requiresPkce) {
    return pkceOn
      ? { check: 'pkce', status: 'ok', summary: 'the app requires PKCE; SF_PKCE is on', explain: `without code_challenge authorize answers ${describe(without)}; with one, ${describe(withChallenge)}` }
      : { check: 'pkce', status: 'fail', summary: 'the app requires PKCE, but SF_PKCE=false', explain: `without code_challenge authorize answers ${describe(without)}: remove SF_PKCE=false` }
  }
  if (without.kind === 'login-page') {
    return { check: 'pkce', status: 'ok', summary: `not required before login (SF_PKCE ${pkceOn ? 'on' : 'off'})`, explain: 'without code_challenge authorize still goes to the login page. An org may enforce "Require PKCE" only after the login; the flow then ends in AUTHORIZE_APPROVAL_ERROR, so keep SF_PKCE on' }
  }
  return { check: 'pkce', status: 'skip', summary: `not observable: ${describe(without)}`, explain: 'authorize fails before PKCE matters; fix the findings above first' }
}

/**
 * Which of the three ways to get a token by hand fits the redirect URI (docs/by-hand.md): a loopback port
 * sf-oauth login can listen on, loopback without a port (80, privileged), or a callback elsewhere (paste).
 */
export function pathFinding(redirectUri: string): Finding {
  const u = new URL(redirectUri)
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) {
    const port = Number(u.port || 80)
    if (port >= 1024) return { check: 'by hand', status: 'ok', summary: `sf-oauth login (listens on port ${port})`, explain: 'log in yourself in any browser: login listens on the redirect URI\'s loopback port, exchanges and checks; flow --headed works too' }
    return { check: 'by hand', status: 'ok', summary: `sf-oauth authorize-url --pending FILE, then exchange --pending FILE (port ${port}${u.port === '' ? ', the URI names none' : ''})`, explain: `listening on port ${port} needs privileges: open the URL, log in, and paste the address the browser fails to load; or register an http://localhost port from 1024 up for sf-oauth login` }
  }
  return { check: 'by hand', status: 'ok', summary: 'sf-oauth authorize-url --pending FILE, then exchange --pending FILE', explain: `nothing on this machine receives ${u.protocol === 'https:' ? 'an https' : `a ${u.protocol}`} callback: open the URL, log in, and paste the address the browser reaches` }
}

export async function runDoctor(config: HarnessConfig, target: { loginUrl: string; clientId: string; redirectUri: string; scope: string }, http: Http): Promise<Finding[]> {
  const url = new URL(target.loginUrl)
  const findings: Finding[] = []
  findings.push({ check: 'config', status: 'ok', summary: `login ${target.loginUrl}, client ${mask(target.clientId)}, redirect ${target.redirectUri}, scope "${target.scope}", PKCE ${config.pkce ? 'on' : 'off'}${config.proxy === undefined ? '' : `, proxy ${displayUrl(config.proxy)}`}`, explain: 'every variable is valid' })
  findings.push(pathFinding(target.redirectUri))
  const dns = await checkDns(url.hostname)
  findings.push(dns)
  if (dns.status === 'fail') return findings
  const tls = await checkTls(url, config.timeoutMs)
  findings.push(tls)
  if (tls.status === 'fail') return findings
  const httpFinding = await checkHttp(http, target.loginUrl)
  findings.push(httpFinding)
  if (httpFinding.status === 'fail') return findings
  const probe = async (challenge: string | undefined) => {
    const u = buildAuthorizeUrl({ loginUrl: target.loginUrl, clientId: target.clientId, redirectUri: target.redirectUri, scope: target.scope, state: 'sf-oauth-doctor', codeChallenge: challenge })
    return probeAuthorize(http, u.toString(), target.redirectUri)
  }
  try {
    const withChallenge = await probe(createPkce().challenge)
    findings.push(...clientAndRedirect(withChallenge, target))
    if (withChallenge.kind === 'plain-error') {
      findings.push({ check: 'pkce', status: 'skip', summary: 'not checked', explain: 'authorize fails before PKCE matters' })
      return findings
    }
    findings.push(pkceFinding(withChallenge, await probe(undefined), config.pkce))
  } catch (err) {
    findings.push({ check: 'redirect_uri', status: 'fail', summary: `authorize could not be reached (${netCode(err)})`, explain: 'the login host answered the discovery document but not authorize: a proxy may block it' })
  }
  return findings
}

export async function doctorCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('doctor', argv, { json: { type: 'boolean' }, record: { type: 'string' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io)
  if (values.help) {
    out.own(DOCTOR_HELP)
    return EXIT.OK
  }
  const print = (findings: readonly Finding[]) => {
    const failed = findings.filter((f) => f.status === 'fail').length
    const warned = findings.filter((f) => f.status === 'warn').length
    if (values.json) out.json({ ok: failed === 0, findings, summary: { failed, warnings: warned } })
    else {
      for (const f of findings) {
        out.line(`${ICON[f.status]} ${f.check.padEnd(13)} ${f.summary}`)
        out.line(`  ${' '.repeat(13)} ${f.explain}`)
      }
      out.line(failed === 0 ? `ok: ${findings.length} checks, ${warned} warnings` : `${failed} of ${findings.length} checks failed`)
    }
    return failed === 0 ? EXIT.OK : EXIT.FAILED
  }
  return jsonErrors(values.json, out, async () => {
    let config: HarnessConfig
    try {
      config = loadConfig(cli.env)
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      // Every config problem is a finding of its own, explained; nothing else can be checked.
      print(err.problems.map((p) => ({ check: 'config', status: 'fail', summary: `${p.key} ${p.problem}`, explain: p.fix })))
      return EXIT.USAGE
    }
    const resolved = await resolveTarget(config)
    const http = createHttp({ timeoutMs: config.timeoutMs, maxAttempts: 1, proxies: config.proxies })
    try {
      const findings = await runDoctor(config, resolved.target, http)
      if (values.record !== undefined) findings.push(await lastFlowFinding(values.record))
      if (!values.json && resolved.emulator !== undefined) out.line(`sf-oauth doctor → ${resolved.label} (SF_LOGIN_URL unset)`)
      if (isLoopbackHost(new URL(resolved.target.loginUrl).hostname) && resolved.emulator === undefined && !values.json) out.line(`sf-oauth doctor → ${resolved.target.loginUrl} (loopback)`)
      return print(findings)
    } finally {
      await http.close()
      await resolved.emulator?.close()
    }
  })
}

/** Read a small JSON file of a --record directory; undefined when absent or not JSON. */
async function readRecordJson(path: string): Promise<unknown> {
  try {
    const text = await readFile(path, 'utf8')
    return text.length > 1_000_000 ? undefined : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}

/**
 * What stopped the last flow recorded in DIR (transcript.json's outcome, failure-page.json's page): the
 * pages between login and the callback (docs/login-pages.md) are only visible after a login.
 */
export async function lastFlowFinding(dir: string): Promise<Finding> {
  const transcript = (await readRecordJson(join(dir, 'transcript.json'))) as { outcome?: { ok?: unknown; code?: unknown } } | undefined
  const page = (await readRecordJson(join(dir, 'failure-page.json'))) as { title?: unknown; path?: unknown; fields?: unknown } | undefined
  const outcome = transcript?.outcome
  if (outcome === undefined) return { check: 'last flow', status: 'skip', summary: `no transcript in ${dir}`, explain: 'run sf-oauth flow --record DIR first; doctor then says which page stopped it' }
  if (outcome.ok === true) return { check: 'last flow', status: 'ok', summary: 'the recorded flow succeeded', explain: 'nothing stopped it' }
  const code = typeof outcome.code === 'string' ? outcome.code : 'unknown'
  const where = page !== undefined && typeof page.path === 'string' ? ` on "${typeof page.title === 'string' ? page.title.slice(0, 120) : ''}" at ${page.path.slice(0, 200)}` : ''
  const fields = page !== undefined && Array.isArray(page.fields) ? page.fields.flatMap((f) => (typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string' && (f as { name: string }).name !== '' ? [(f as { name: string }).name.slice(0, 60)] : [])).slice(0, 12) : []
  const fix = isErrorCode(code) ? ERRORS[code].fix : 'see the transcript'
  return { check: 'last flow', status: 'fail', summary: `stopped with ${code}${where}`, explain: `${fix}${fields.length > 0 ? ` (form fields on that page: ${fields.join(', ')})` : ''}` }
}
