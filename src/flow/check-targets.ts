/**
 * Check many orgs at once (what `sf-oauth check` runs): per target of a targets file, refresh its saved
 * token set without a browser (signature, then userinfo or introspect), or with `flow` run the whole
 * browser flow (one browser, a context per flow), with bounded concurrency; optionally the identity URL
 * with a `version`, the revoke of what the run obtained, the history, the expiry forecast, notifications
 * and the write-back of rotated tokens to GitHub. A target's failure is its verdict, never a throw.
 */
import { dirname } from 'node:path'
import type { Browser } from 'playwright'
import { loadConfig, readEnv, type Env, type HarnessConfig } from '../config.js'
import { identity, introspect, revoke, userinfo, type OperationContext } from '../client/operations.js'
import { ConfigError, HarnessError, ResponseValidationError, type ConfigProblem } from '../errors.js'
import { createHttp, type Http } from '../http/client.js'
import { putActionsSecret, type GithubRepo } from '../http/github-secrets.js'
import type { NotifyTarget } from '../http/notify.js'
import { checkLoginUrl, instanceUrlWarning } from '../oauth/hosts.js'
import { checkIdentityUrls } from '../oauth/other-responses.js'
import type { Check, TokenSet } from '../oauth/types.js'
import { redactor } from '../redact.js'
import { sanitiseLine } from '../sanitise.js'
import { assertDistinctOutputs, makeOutputDir } from '../store/atomic.js'
import { appendHistory, readHistory, type HistoryLine } from '../store/history.js'
import { savedTokenSet, withFileLock, writeTokenFile, type StoredTokenSet } from '../store/token-store.js'
import { approvalWarnings, type ApprovalWarning } from '../targets/approvals.js'
import { toFlowTarget, type TargetLogin } from '../targets/flow-target.js'
import { loadTargets, targetLogin, type Target, type TargetsFile } from '../targets/load.js'
import { mapLimit } from './limit.js'
import type { NotifyEvent } from '../report/notify-payload.js'
import { deliver, historyLines, lastByTarget, stateChanges, type Delivery, type Observation } from './monitor.js'
import { refreshSaved } from './refresh.js'

/** One target's verdict. */
export interface TargetResult {
  readonly name: string
  readonly kind: string
  readonly ok: boolean
  readonly durationMs: number
  /** What was checked (on success) or the error's message. */
  readonly detail: string
  /** The failure's code (from the error registry) and one-line message, redacted and sanitised. */
  readonly error?: { code: string; message: string }
}

/** An instance_url outside Salesforce's domains (src/oauth/hosts.ts), per target. */
export interface InstanceWarning {
  readonly code: 'INSTANCE_URL_NOT_SALESFORCE'
  readonly target: string
  readonly message: string
}

/** A warning of the run: a plan over five approvals (before anything runs) or a foreign instance_url. */
export type CheckWarning = ApprovalWarning | InstanceWarning

/** The revoke of one token the run obtained (`revokeAfter`). */
export interface RevokeResult {
  readonly name: string
  readonly kind: 'refresh token' | 'access token'
  readonly ok: boolean
  readonly error?: { code: string; message: string }
}

/** Options of {@link checkTargets}. */
export interface CheckTargetsOptions {
  /** The targets: a file's path (schemas/targets.schema.json; its `SF_*` names read from `env`) or a loaded file. */
  readonly targets: string | TargetsFile
  /** Where the targets file's variable names are looked up (default: `.env` and the process environment). */
  readonly env?: Env | undefined
  /** Time limits, and with `flow` the browser, redirect URI, scope and verification sources (default: `loadConfig(env)`). */
  readonly config?: HarnessConfig | undefined
  /** Run the full browser flow per target (each needs usernameEnv/passwordEnv) instead of refreshing its saved set. */
  readonly flow?: boolean | undefined
  /** With `flow`: save each new token set to the target's tokenFile (default: true unless `revokeAfter`). */
  readonly save?: boolean | undefined
  /** When the run ends, revoke what it obtained: with `flow` the new refresh tokens, otherwise the new access tokens. */
  readonly revokeAfter?: boolean | undefined
  /** With `flow`: how often the plan runs before its approvals are revoked (only for the approvals warning; default 1). */
  readonly runs?: number | undefined
  /** Targets at once (default: the file's `concurrency`). */
  readonly concurrency?: number | undefined
  /**
   * Also GET the identity URL (the token answer's `id`) with this `version` (`latest` or a number such as
   * `62.0`) and check every `{version}` placeholder of its `urls` is filled (docs/salesforce-oauth.md §11.2).
   */
  readonly identityVersion?: string | undefined
  /** A browser for `flow` (the caller's: used, never closed); default: one launched for the run and closed after. */
  readonly browser?: Browser | undefined
  /** An HTTP client (the caller's: never closed); default: one of its own, closed after. */
  readonly http?: Http | undefined
  /** Append one line per target to this history file (schemas/history-line.schema.json); also what `notify` compares against. */
  readonly history?: string | undefined
  /** Webhooks told of a change of state (needs `history`); a failed post is a warning, never a changed verdict. */
  readonly notify?: readonly NotifyTarget[] | undefined
  /** Warn (TOKEN_EXPIRES_SOON) when a refresh token stops working within this many ms (its `refreshTokenPolicy`). */
  readonly warnBeforeMs?: number | undefined
  /** The run's id and link for the history (default: the start time, no link). */
  readonly run?: { readonly id?: string | undefined; readonly url?: string | undefined } | undefined
  /** Also write each rotated token set to the target's `tokenSecret` Actions secret in this repository, before anything else. */
  readonly writeBack?: GithubRepo | undefined
  /** Each warning as it arises (approval warnings before any target runs). */
  readonly onWarning?: ((w: CheckWarning) => void) | undefined
  /** Each target's verdict as it is known. */
  readonly onResult?: ((r: TargetResult) => void) | undefined
}

/** What {@link checkTargets} found. */
export interface CheckTargetsResult {
  /** Every target passed and every revoke (with `revokeAfter`) succeeded. */
  readonly ok: boolean
  readonly mode: 'refresh' | 'flow'
  /** One per target, in the file's order. */
  readonly targets: readonly TargetResult[]
  readonly warnings: readonly CheckWarning[]
  /** With `revokeAfter`: one per token obtained. */
  readonly revoked: readonly RevokeResult[]
  /** With `history`, `warnBeforeMs` or a target's `refreshTokenPolicy`: the history lines (forecast included), the changes of state and the notifications posted. */
  readonly monitored?: { readonly lines: readonly HistoryLine[]; readonly events: readonly NotifyEvent[]; readonly deliveries: readonly Delivery[] }
  readonly concurrency: number
  /** The most targets in progress at once. */
  readonly peakConcurrent: number
  readonly durationMs: number
}

/** What a target's check learnt besides its verdict, for the history and the forecast. */
interface Learnt {
  steps: Observation['steps']
  rotated: boolean
  newRefreshTokenIssuedAt?: string | undefined
  savedIssuedAt?: string | undefined
  username?: string | undefined
}

/** A token this run obtained, for revokeAfter. */
interface Obtained {
  readonly name: string
  readonly loginUrl: string
  readonly kind: RevokeResult['kind']
  readonly token: string
}

/** A target's run: what it shares with the others. */
interface Run {
  readonly http: Http
  readonly config: HarnessConfig
  readonly identityVersion: string | undefined
  readonly obtained: Obtained[]
  readonly warn: (w: InstanceWarning) => void
  readonly writeBack: WriteBack
}

/** A failure as a verdict: code and one line, redacted then sanitised (it came from a server, perhaps). */
function failureOf(err: unknown): { code: string; message: string } {
  if (err instanceof HarnessError) return { code: err.code, message: sanitiseLine(redactor.text(err.message)) }
  // Not ours (a bug): its first line only, the stack stays out of reports.
  const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
  return { code: 'INTERNAL_ERROR', message: sanitiseLine(redactor.text(message)) }
}

/**
 * The access token goes to instance_url only when that is https (or loopback) and a Salesforce host, or the
 * target's own login host: an answer naming any other host gets nothing (introspect asks the login host).
 */
function trustedInstance(t: Target, instanceUrl: string): string {
  const inst = checkLoginUrl(instanceUrl)
  if (!inst.ok) throw new ResponseValidationError('INSTANCE_URL_UNTRUSTED', `instance_url ${inst.problem}: the access token was not sent there`)
  const foreign = instanceUrlWarning(inst)
  if (foreign !== undefined && inst.hostname !== new URL(t.loginUrl).hostname) {
    throw new ResponseValidationError('INSTANCE_URL_UNTRUSTED', `${foreign}: the access token was not sent there; if it is really your org's instance, use "verify": "introspect" (asks the login host)`)
  }
  return inst.url
}

async function verifyAccess(t: Target, run: Run, tokens: Pick<TokenSet, 'accessToken' | 'instanceUrl' | 'id'>): Promise<string> {
  const ctx: OperationContext = { http: run.http, secrets: redactor }
  let verified: string
  if (t.verify === 'introspect') {
    await introspect(ctx, t, tokens.accessToken)
    verified = `introspect active, instance_url ${tokens.instanceUrl}`
  } else {
    const instance = trustedInstance(t, tokens.instanceUrl)
    const info = await userinfo(ctx, instance, tokens.accessToken)
    verified = `userinfo ${info.preferredUsername}, instance_url ${instance}`
  }
  if (run.identityVersion === undefined) return verified
  // The identity URL is on the login host (requestIdentity holds it to the login URL rules before the token goes).
  const id = await identity(ctx, tokens.id, tokens.accessToken, { version: run.identityVersion })
  const filled = checkIdentityUrls(id, run.identityVersion)
  return `${verified}, identity version=${run.identityVersion}: ${filled}`
}

/** The signature check's outcome in a target's line (it cannot be verified without the client secret). */
function signatureDetail(checks: readonly Check[]): string {
  return checks.find((c) => c.name === 'signature')?.status === 'pass' ? 'signature ok' : 'signature not verified (no secret)'
}

/** writeBack: the target's Actions secret gets the token set (sealed); undefined without it. */
type WriteBack = ((t: Target, stored: StoredTokenSet, learnt: Learnt) => Promise<void>) | undefined

async function refreshTarget(t: Target, run: Run, learnt: Learnt): Promise<string> {
  const t0 = performance.now()
  const outcome = await refreshSaved(t.tokenFile, { http: run.http, clientSecret: t.clientSecret, timeoutMs: run.config.timeoutMs, expect: { loginUrl: t.loginUrl, from: `target ${t.name}'s loginUrl` }, onRotated: run.writeBack === undefined ? undefined : (stored) => run.writeBack?.(t, stored, learnt) ?? Promise.resolve() })
  learnt.steps.refresh = performance.now() - t0 - (learnt.steps.writeBack ?? 0)
  learnt.rotated = outcome.rotated
  learnt.savedIssuedAt = outcome.before.issuedAt
  learnt.username = outcome.before.username
  if (outcome.rotated) learnt.newRefreshTokenIssuedAt = outcome.tokens.issuedAt
  for (const w of outcome.warnings) run.warn({ ...w, target: t.name })
  run.obtained.push({ name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: outcome.tokens.accessToken })
  const t1 = performance.now()
  const verified = await verifyAccess(t, run, outcome.tokens)
  learnt.steps.verify = performance.now() - t1
  return `refresh ok${outcome.rotated ? ` (rotated, saved${run.writeBack === undefined ? '' : ', written back'})` : ''}, ${signatureDetail(outcome.checks)}, ${verified}`
}

/** The targets without a `tokenSecret`, which a write-back to GitHub needs. */
export function tokenSecretProblems(file: TargetsFile): ConfigProblem[] {
  return file.targets.filter((t) => t.tokenSecret === undefined).map((t) => ({ key: `${t.name}.tokenSecret`, problem: 'is missing', fix: '--write-back github stores the rotated token set in this Actions secret: name it, e.g. {"name": "SF_PROD_TOKEN_FILE"}' }))
}

const noLogin = (t: Target) => ({ key: `${t.name}.usernameEnv/passwordEnv`, problem: 'is missing', fix: 'flow logs in as a user: name the environment variables holding the username and password' })

async function flowTarget(t: Target, run: Run, browser: Browser, login: TargetLogin, save: boolean, learnt: Learnt): Promise<string> {
  const { runWebServerFlow } = await import('./web-server-flow.js')
  const { config } = run
  const target = toFlowTarget(login, config)
  const t0 = performance.now()
  const result = await runWebServerFlow({ target, browser, http: run.http, proxies: config.proxies, timeoutMs: config.timeoutMs, verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand } })
  const { tokens } = result
  learnt.steps.flow = performance.now() - t0
  learnt.username = login.username
  if (tokens.refreshToken !== undefined) learnt.newRefreshTokenIssuedAt = tokens.issuedAt
  for (const c of result.checks) if (c.name === 'instance_url' && c.status === 'warn') run.warn({ code: 'INSTANCE_URL_NOT_SALESFORCE', target: t.name, message: c.detail })
  run.obtained.push(tokens.refreshToken === undefined
    ? { name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: tokens.accessToken }
    : { name: t.name, loginUrl: t.loginUrl, kind: 'refresh token', token: tokens.refreshToken })
  let saved = ''
  if (save) {
    await makeOutputDir(dirname(t.tokenFile), `${t.name}.tokenFile`)
    const set = savedTokenSet(target, tokens)
    await withFileLock(t.tokenFile, () => writeTokenFile(t.tokenFile, set), { timeoutMs: Math.max(config.timeoutMs * 2, 10_000) })
    saved = ', saved'
    if (run.writeBack !== undefined && set.refreshToken !== null) {
      await run.writeBack(t, set, learnt)
      saved += ', written back'
    }
  }
  const t1 = performance.now()
  const verified = await verifyAccess(t, run, tokens)
  learnt.steps.verify = performance.now() - t1
  return `flow ok (${result.checks.length} checks${saved}), ${signatureDetail(result.checks)}, ${verified}`
}

async function revokeAll(obtained: readonly Obtained[], http: Http, concurrency: number): Promise<RevokeResult[]> {
  return mapLimit(obtained, concurrency, async (o) => {
    try {
      await revoke({ http, secrets: redactor }, o.loginUrl, o.token)
      return { name: o.name, kind: o.kind, ok: true }
    } catch (err) {
      return { name: o.name, kind: o.kind, ok: false, error: failureOf(err) }
    }
  })
}

/**
 * Check every target of a targets file: refresh its saved token set (rotation-aware: a rotated refresh token
 * is written back before the answer is validated), verify the signature, then call userinfo or introspect;
 * or with `flow`, run the web server flow per target in one browser. Each target's failure becomes its
 * verdict (`ok: false` and the error's code); the run itself throws only when it cannot start. Salesforce:
 * "OAuth 2.0 Refresh Token Flow for Renewed Sessions", "OAuth 2.0 Web Server Flow for Web App Integration",
 * "Revoke OAuth Tokens"; RFC 7662 (introspect); docs/salesforce-oauth.md §3, §5.
 *
 * @throws `CONFIG_INVALID` when the targets file or the environment is bad, `concurrency` or `runs` is not a
 *   whole number in range, with `flow` a target has no
 *   usernameEnv/passwordEnv, with `writeBack` a target has no `tokenSecret`, or `notify` is given without
 *   `history`; `USAGE_INVALID` when the targets file cannot be read or `history` collides with a token
 *   file; `HISTORY_FILE_INVALID` when the history file is not one; `BROWSER_NOT_FOUND` / `BROWSER_LAUNCH_FAILED`
 *   when `flow` has no browser to launch. Per target (in `targets[].error.code`, not thrown): the
 *   token-file codes (`TOKEN_FILE_INVALID`, `TOKEN_FILE_HOST_MISMATCH`, ...), the token endpoint's
 *   (`TOKEN_REFRESH_TOKEN_EXPIRED`, `TOKEN_INVALID_CLIENT_CREDENTIALS`, ...), `USERINFO_BAD_TOKEN`,
 *   `TOKEN_INACTIVE`, `INSTANCE_URL_UNTRUSTED`, `IDENTITY_VERSION_UNFILLED`, `HTTP_STATUS_UNEXPECTED`,
 *   the flow's codes with `flow`, and `NETWORK_*`.
 */
export async function checkTargets(options: CheckTargetsOptions): Promise<CheckTargetsResult> {
  const env = options.env ?? (typeof options.targets === 'string' || options.config === undefined ? readEnv() : {})
  const file = typeof options.targets === 'string' ? await loadTargets(options.targets, env) : options.targets
  const config = options.config ?? loadConfig(env)
  const withFlow = options.flow === true
  const revokeAfter = options.revokeAfter === true
  const concurrency = options.concurrency ?? file.concurrency
  const whole = (key: string, v: number | undefined, max: number) => (v === undefined || (Number.isInteger(v) && v >= 1 && v <= max) ? [] : [{ key, problem: `is ${String(v)}`, fix: `give a whole number from 1 to ${max}` }])
  const problems = [
    ...whole('concurrency', options.concurrency, 32),
    ...whole('runs', options.runs, 1000),
    ...(options.notify !== undefined && options.notify.length > 0 && options.history === undefined ? [{ key: 'notify', problem: 'is given without history', fix: 'a notification is sent on a change of state: give a history file to remember the last state' }] : []),
    ...(options.writeBack === undefined ? [] : tokenSecretProblems(file)),
  ]
  const logins = new Map<string, TargetLogin>()
  if (withFlow) {
    for (const t of file.targets) {
      const login = targetLogin(t)
      if (login !== undefined) logins.set(t.name, login)
    }
    problems.push(...file.targets.filter((t) => !logins.has(t.name)).map(noLogin))
  }
  if (problems.length > 0) throw new ConfigError(problems)
  const history = options.history
  if (history !== undefined) {
    for (const other of [...(typeof options.targets === 'string' ? [{ flag: 'targets file', path: options.targets }] : []), ...file.targets.map((t) => ({ flag: `${t.name}.tokenFile`, path: t.tokenFile }))]) {
      await assertDistinctOutputs([other, { flag: '--history', path: history }])
    }
  }
  const previous = history === undefined ? new Map<string, HistoryLine>() : lastByTarget(await readHistory(history))
  for (const t of file.targets) redactor.add(t.clientSecret)
  for (const l of logins.values()) redactor.add(l.password)
  const warnings: CheckWarning[] = []
  const warn = (w: CheckWarning) => {
    warnings.push(w)
    options.onWarning?.(w)
  }
  // Without revokeAfter the approvals of each run stay, so every further run adds to them.
  if (withFlow) for (const w of approvalWarnings([...logins].map(([name, l]) => ({ name, clientId: l.clientId, username: l.username })), options.runs ?? 1)) warn(w)

  const http = options.http ?? createHttp({ timeoutMs: config.timeoutMs, proxies: config.proxies })
  const started = performance.now()
  const learnt = new Map<string, Learnt>()
  const repo = options.writeBack
  const writeBack: WriteBack = repo === undefined ? undefined : async (t, stored, l) => {
    const w0 = performance.now()
    // Before anything else is done with the answer: the secret must hold the newest token, or the next run fails.
    if (t.tokenSecret !== undefined) await putActionsSecret(http, repo, t.tokenSecret, `${JSON.stringify(stored, null, 2)}\n`)
    l.steps.writeBack = performance.now() - w0
  }
  const run: Run = { http, config, identityVersion: options.identityVersion, obtained: [], warn, writeBack }
  let results: TargetResult[]
  let revoked: RevokeResult[] = []
  let monitored: { lines: HistoryLine[]; events: NotifyEvent[]; deliveries: Delivery[] } | undefined
  let launched: Browser | undefined
  // Targets in progress at once (a browser context each with flow): bounded by concurrency.
  let running = 0
  let peak = 0
  try {
    if (withFlow && options.browser === undefined) {
      // One browser for the run; each target's flow opens its own session (a context) in it.
      const { launchBrowser } = await import('../browser/session.js')
      launched = await launchBrowser({ browserPath: config.browserPath, headless: config.headless, timeoutMs: config.timeoutMs })
    }
    const browser = withFlow ? launched ?? options.browser : undefined
    const save = options.save ?? !revokeAfter
    results = await mapLimit(file.targets, concurrency, async (t) => {
      const t0 = performance.now()
      running++
      peak = Math.max(peak, running)
      const l: Learnt = { steps: {}, rotated: false }
      learnt.set(t.name, l)
      let r: TargetResult
      try {
        const login = logins.get(t.name)
        const detail = browser !== undefined && login !== undefined ? await flowTarget(t, run, browser, login, save, l) : await refreshTarget(t, run, l)
        r = { name: t.name, kind: t.kind, ok: true, durationMs: Math.round(performance.now() - t0), detail }
      } catch (err) {
        const error = failureOf(err)
        r = { name: t.name, kind: t.kind, ok: false, durationMs: Math.round(performance.now() - t0), detail: error.message, error }
      } finally {
        running--
      }
      options.onResult?.(r)
      return r
    })
    if (revokeAfter) revoked = await revokeAll(run.obtained, http, concurrency)
    if (history !== undefined || options.warnBeforeMs !== undefined || file.targets.some((t) => t.refreshTokenPolicy !== undefined)) {
      const observations: Observation[] = results.map((r, i) => {
        const t = file.targets[i] as Target
        const l = learnt.get(r.name) ?? { steps: {}, rotated: false }
        return { name: r.name, kind: r.kind, ok: r.ok, durationMs: r.durationMs, error: r.error, steps: l.steps, rotated: l.rotated, newRefreshTokenIssuedAt: l.newRefreshTokenIssuedAt, savedIssuedAt: l.savedIssuedAt, username: l.username, clientId: t.clientId, policy: t.refreshTokenPolicy, warnings: warnings.filter((w) => w.code === 'INSTANCE_URL_NOT_SALESFORCE' && w.target === r.name).map((w) => w.code) }
      })
      const lines = historyLines(observations, previous, { now: new Date(), runId: options.run?.id ?? new Date(Date.now() - (performance.now() - started)).toISOString(), runUrl: options.run?.url, mode: withFlow ? 'flow' : 'refresh', warnBeforeMs: options.warnBeforeMs })
      if (history !== undefined) await appendHistory(history, lines)
      const events = options.notify === undefined || options.notify.length === 0 ? [] : stateChanges(lines, previous)
      monitored = { lines, events, deliveries: events.length > 0 ? await deliver(events, options.notify ?? [], http) : [] }
    }
  } finally {
    await launched?.close().catch(() => undefined)
    if (options.http === undefined) await http.close()
  }
  const ok = results.every((r) => r.ok) && revoked.every((r) => r.ok)
  return { ok, mode: withFlow ? 'flow' : 'refresh', targets: results, warnings, revoked, ...(monitored === undefined ? {} : { monitored }), concurrency, peakConcurrent: peak, durationMs: Math.round(performance.now() - started) }
}
