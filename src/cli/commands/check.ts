/**
 * `sf-oauth check --targets FILE`: validate each target's stored refresh token without a browser
 * (refresh grant, signature, then userinfo or introspect), or with `--flow` run the whole browser flow per
 * target (one browser, a context per flow), with bounded concurrency. One line per target, a summary,
 * JUnit and JSON for CI; exit 1 when any target fails. `--revoke-after` revokes what the run obtained.
 */
import { dirname } from 'node:path'
import type { Browser } from 'playwright'
import { loadConfig, monitoringSettings, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { ConfigError, EXIT, ResponseValidationError, UsageError } from '../../errors.js'
import { mapLimit } from '../../flow/limit.js'
import { deliver, historyLines, isNotifyFormat, lastByTarget, parseNotifyUrl, stateChanges, type Observation } from '../../flow/monitor.js'
import { refreshSaved } from '../../flow/refresh.js'
import { introspect, revoke, userinfo, type OperationContext } from '../../client/operations.js'
import { createHttp, type Http } from '../../http/client.js'
import { putActionsSecret, type GithubRepo } from '../../http/github-secrets.js'
import type { NotifyTarget } from '../../http/notify.js'
import { checkLoginUrl, instanceUrlWarning } from '../../oauth/hosts.js'
import type { Check, TokenSet } from '../../oauth/types.js'
import { redactor } from '../../redact.js'
import { junitXml } from '../../report/junit.js'
import { assertDistinctOutputs, assertWritableTarget, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { appendHistory, readHistory, type HistoryLine } from '../../store/history.js'
import { savedTokenSet, withFileLock, writeTokenFile, type StoredTokenSet } from '../../store/token-store.js'
import { approvalWarnings, type ApprovalWarning } from '../../targets/approvals.js'
import { toFlowTarget, type TargetLogin } from '../../targets/flow-target.js'
import { parseSpan } from '../../targets/forecast.js'
import { loadTargets, targetLogin, type Target } from '../../targets/load.js'
import { intOption, parse } from '../args.js'
import { errorJson, jsonErrors, type Io, Printer } from '../output.js'

export const CHECK_HELP = `Usage: sf-oauth check --targets FILE [--flow] [--revoke-after] [--concurrency N] [--junit FILE] [--json]
                      [--history FILE] [--notify URL]... [--notify-format F] [--warn-before SPAN] [--write-back file|github]

For each target of FILE (schema: schemas/targets.schema.json) refreshes its saved token set without a
browser, verifies the signature, then calls userinfo (or introspect). Rotated refresh tokens are saved
before anything else. Prints one line per target and a summary; exit 1 when any target fails.

Options:
  --targets FILE     the targets file: secrets only as names of SF_* environment variables, token
                     files as relative paths inside its directory
  --flow             run the full browser flow per target instead (usernameEnv/passwordEnv needed);
                     the new token set is saved to the target's tokenFile (0600)
  --revoke-after     when the run ends, revoke what it obtained: with --flow the new refresh tokens
                     (the approvals), otherwise the new access tokens (the saved refresh token stays)
  --runs N           with --flow: how often this plan runs before its approvals are revoked (shards,
                     nights without --revoke-after); only for the 5-approvals warning
  --concurrency N    targets at once (default: the file's "concurrency", else 4)
  --junit FILE       write a JUnit XML report
  --json             one JSON object instead of lines

Watching many orgs (docs/monitoring.md):
  --history FILE     append one JSON line per target (schemas/history-line.schema.json; no secrets;
                     the newest 10000 lines are kept); also the memory --notify compares against
  --notify URL       post to this webhook when a target goes from pass to fail (alert) or back
                     (recovery), or newly nears expiry; repeatable, also SF_NOTIFY_URLS; needs --history.
                     A failure to notify is a warning (NOTIFY_FAILED), never a changed verdict
  --notify-format F  generic (default), slack or teams; a URL may say it itself: slack:https://...
  --warn-before SPAN warn (TOKEN_EXPIRES_SOON, and notify) when a refresh token will stop working within
                     SPAN (7d, 36h, 90m), forecast from the target's "refreshTokenPolicy"; a check is a
                     use, so it keeps an idle timeout from running out
  --write-back W     where a rotated refresh token is kept: file (default: the token file) or github:
                     also the target's "tokenSecret" Actions secret, sealed with the repository's public
                     key, before anything else (GH_TOKEN with secrets write permission, GITHUB_REPOSITORY)

Warns before running when a plan would create more than 5 approvals for one user of one app:
Salesforce then silently revokes the oldest refresh token.`

export interface TargetResult {
  readonly name: string
  readonly kind: string
  readonly ok: boolean
  readonly durationMs: number
  readonly detail: string
  readonly error?: { code: string; message: string }
}

/** What a target's check learnt besides its verdict, for the history and the forecast. */
interface Learnt {
  detail: string
  steps: Observation['steps']
  rotated: boolean
  newRefreshTokenIssuedAt?: string | undefined
  savedIssuedAt?: string | undefined
  username?: string | undefined
}

/** An instance_url outside Salesforce's domains (src/oauth/hosts.ts), per target. */
interface InstanceWarning {
  readonly code: 'INSTANCE_URL_NOT_SALESFORCE'
  readonly target: string
  readonly message: string
}

/** A token this run obtained, for --revoke-after. */
interface Obtained {
  readonly name: string
  readonly loginUrl: string
  readonly kind: 'refresh token' | 'access token'
  readonly token: string
}

interface RevokeResult {
  readonly name: string
  readonly kind: Obtained['kind']
  readonly ok: boolean
  readonly error?: { code: string; message: string }
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

async function verifyAccess(t: Target, http: Http, tokens: Pick<TokenSet, 'accessToken' | 'instanceUrl'>): Promise<string> {
  const ctx: OperationContext = { http, secrets: redactor }
  if (t.verify === 'introspect') {
    await introspect(ctx, t, tokens.accessToken)
    return `introspect active, instance_url ${tokens.instanceUrl}`
  }
  const instance = trustedInstance(t, tokens.instanceUrl)
  const info = await userinfo(ctx, instance, tokens.accessToken)
  return `userinfo ${info.preferredUsername}, instance_url ${instance}`
}

/** The signature check's outcome in a target's line (it cannot be verified without the client secret). */
function signatureDetail(checks: readonly Check[]): string {
  return checks.find((c) => c.name === 'signature')?.status === 'pass' ? 'signature ok' : 'signature not verified (no secret)'
}

/** --write-back github: the target's Actions secret gets the token set (sealed); undefined with --write-back file. */
type WriteBack = ((t: Target, stored: StoredTokenSet, learnt: Learnt) => Promise<void>) | undefined

async function checkTarget(t: Target, http: Http, timeoutMs: number, obtained: Obtained[], warn: (w: InstanceWarning) => void, writeBack: WriteBack, learnt: Learnt): Promise<string> {
  redactor.add(t.clientSecret)
  const t0 = performance.now()
  const outcome = await refreshSaved(t.tokenFile, { http, clientSecret: t.clientSecret, timeoutMs, expect: { loginUrl: t.loginUrl, from: `target ${t.name}'s loginUrl` }, onRotated: writeBack === undefined ? undefined : (stored) => writeBack(t, stored, learnt) })
  learnt.steps.refresh = performance.now() - t0 - (learnt.steps.writeBack ?? 0)
  learnt.rotated = outcome.rotated
  learnt.savedIssuedAt = outcome.before.issuedAt
  learnt.username = outcome.before.username
  if (outcome.rotated) learnt.newRefreshTokenIssuedAt = outcome.tokens.issuedAt
  for (const w of outcome.warnings) warn({ ...w, target: t.name })
  obtained.push({ name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: outcome.tokens.accessToken })
  const t1 = performance.now()
  const verified = await verifyAccess(t, http, outcome.tokens)
  learnt.steps.verify = performance.now() - t1
  return `refresh ok${outcome.rotated ? ` (rotated, saved${writeBack === undefined ? '' : ', written back'})` : ''}, ${signatureDetail(outcome.checks)}, ${verified}`
}

interface FlowContext {
  readonly browser: Browser
  readonly http: Http
  readonly config: HarnessConfig
  readonly save: boolean
  /** Each target's user (usernameEnv/passwordEnv), by target name. */
  readonly logins: ReadonlyMap<string, TargetLogin>
}

const noLogin = (t: Target) => ({ key: `${t.name}.usernameEnv/passwordEnv`, problem: 'is missing', fix: '--flow logs in as a user: name the environment variables holding the username and password' })

async function flowTarget(t: Target, ctx: FlowContext, obtained: Obtained[], warn: (w: InstanceWarning) => void, writeBack: WriteBack, learnt: Learnt): Promise<string> {
  const { runWebServerFlow } = await import('../../flow/web-server-flow.js')
  const login = ctx.logins.get(t.name)
  if (login === undefined) throw new ConfigError([noLogin(t)])
  const target = toFlowTarget(login, ctx.config)
  const t0 = performance.now()
  const result = await runWebServerFlow({ target, browser: ctx.browser, http: ctx.http, timeoutMs: ctx.config.timeoutMs, verification: { totpSecret: ctx.config.totpSecret, codeCommand: ctx.config.verificationCodeCommand } })
  const { tokens } = result
  learnt.steps.flow = performance.now() - t0
  learnt.username = login.username
  if (tokens.refreshToken !== undefined) learnt.newRefreshTokenIssuedAt = tokens.issuedAt
  for (const c of result.checks) if (c.name === 'instance_url' && c.status === 'warn') warn({ code: 'INSTANCE_URL_NOT_SALESFORCE', target: t.name, message: c.detail })
  obtained.push(tokens.refreshToken === undefined
    ? { name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: tokens.accessToken }
    : { name: t.name, loginUrl: t.loginUrl, kind: 'refresh token', token: tokens.refreshToken })
  let saved = ''
  if (ctx.save) {
    await makeOutputDir(dirname(t.tokenFile), `${t.name}.tokenFile`)
    const set = savedTokenSet(target, tokens)
    await withFileLock(t.tokenFile, () => writeTokenFile(t.tokenFile, set), { timeoutMs: Math.max(ctx.config.timeoutMs * 2, 10_000) })
    saved = ', saved'
    if (writeBack !== undefined && set.refreshToken !== null) {
      await writeBack(t, set, learnt)
      saved += ', written back'
    }
  }
  const t1 = performance.now()
  const verified = await verifyAccess(t, ctx.http, tokens)
  learnt.steps.verify = performance.now() - t1
  return `flow ok (${result.checks.length} checks${saved}), ${signatureDetail(result.checks)}, ${verified}`
}

async function revokeAll(obtained: readonly Obtained[], http: Http, concurrency: number): Promise<RevokeResult[]> {
  return mapLimit(obtained, concurrency, async (o) => {
    try {
      await revoke({ http, secrets: redactor }, o.loginUrl, o.token)
      return { name: o.name, kind: o.kind, ok: true }
    } catch (err) {
      const e = errorJson(err)
      return { name: o.name, kind: o.kind, ok: false, error: { code: e.code, message: e.message } }
    }
  })
}

export async function checkCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('check', argv, {
    targets: { type: 'string' },
    flow: { type: 'boolean' },
    'revoke-after': { type: 'boolean' },
    runs: { type: 'string' },
    concurrency: { type: 'string' },
    junit: { type: 'string' },
    json: { type: 'boolean' },
    history: { type: 'string' },
    notify: { type: 'string', multiple: true },
    'notify-format': { type: 'string' },
    'warn-before': { type: 'string' },
    'write-back': { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  const out = new Printer(io)
  if (values.help) {
    out.own(CHECK_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, async () => {
    if (values.targets === undefined) throw new UsageError('check needs --targets FILE (see schemas/targets.schema.json)')
    const concurrencyArg = intOption('concurrency', values.concurrency, 1, 32)
    const runs = intOption('runs', values.runs, 1, 1000) ?? 1
    const withFlow = values.flow === true
    const revokeAfter = values['revoke-after'] === true
    if (values.junit !== undefined) await assertWritableTarget(values.junit, '--junit')
    if (values.history !== undefined) await assertWritableTarget(values.history, '--history')
    const monitoring = monitoringSettings(cli.env)
    const notifyFormat = values['notify-format'] ?? 'generic'
    if (!isNotifyFormat(notifyFormat)) throw new UsageError(`--notify-format is "${notifyFormat}": use generic, slack or teams`)
    const notifyUrls: NotifyTarget[] = []
    for (const [i, raw] of [...(values.notify ?? []), ...monitoring.notifyUrls].entries()) {
      redactor.add(raw)
      const parsed = parseNotifyUrl(raw, notifyFormat)
      // The URL is a secret (a Slack webhook posts to the channel): named by its position, never printed.
      if ('problem' in parsed) throw new UsageError(`notify URL #${i + 1} (--notify, then SF_NOTIFY_URLS) ${parsed.problem}: use an https:// webhook URL, optionally prefixed slack: or teams:`)
      redactor.add(parsed.url)
      notifyUrls.push(parsed)
    }
    if (notifyUrls.length > 0 && values.history === undefined) throw new UsageError('--notify posts on a change of state, so it needs --history FILE to remember the last state')
    const warnBeforeMs = values['warn-before'] === undefined ? undefined : parseSpan(values['warn-before'])
    if (values['warn-before'] !== undefined && warnBeforeMs === undefined) throw new UsageError(`--warn-before is "${values['warn-before']}": use a span such as 7d, 36h or 90m`)
    const writeBackMode = values['write-back'] ?? 'file'
    if (writeBackMode !== 'file' && writeBackMode !== 'github') throw new UsageError(`--write-back is "${writeBackMode}": use file or github`)
    const config = loadConfig(cli.env)
    const file = await loadTargets(values.targets, cli.env)
    let repo: GithubRepo | undefined
    if (writeBackMode === 'github') {
      const gh = monitoring.github
      const problems = [
        ...(gh.token === undefined ? [{ key: 'GH_TOKEN', problem: 'is not set', fix: 'pass a token with secrets write permission (fine-grained: "Secrets: read and write") as GH_TOKEN' }] : []),
        ...(gh.repository === undefined || !/^[\w.-]+\/[\w.-]+$/.test(gh.repository) ? [{ key: 'GITHUB_REPOSITORY', problem: `is ${gh.repository === undefined ? 'not set' : `"${gh.repository}"`}`, fix: 'set it to owner/name (GitHub Actions sets it)' }] : []),
        ...(checkLoginUrl(gh.apiUrl).ok ? [] : [{ key: 'GITHUB_API_URL', problem: 'is not an https URL', fix: 'unset it (https://api.github.com) or give your GitHub Enterprise API URL' }]),
        ...file.targets.filter((t) => t.tokenSecret === undefined).map((t) => ({ key: `${t.name}.tokenSecret`, problem: 'is missing', fix: '--write-back github stores the rotated token set in this Actions secret: name it, e.g. {"name": "SF_PROD_TOKEN_FILE"}' })),
      ]
      if (problems.length > 0) throw new ConfigError(problems)
      redactor.add(gh.token)
      repo = { apiUrl: gh.apiUrl, repository: gh.repository ?? '', token: gh.token ?? '' }
    }
    const previous = values.history === undefined ? new Map<string, HistoryLine>() : lastByTarget(await readHistory(values.history))
    // The report must not overwrite the targets file or a token file (they are read, and rewritten on rotation).
    const junit = values.junit
    if (junit !== undefined) {
      for (const other of [{ flag: '--targets', path: values.targets }, ...file.targets.map((t) => ({ flag: `${t.name}.tokenFile`, path: t.tokenFile }))]) {
        await assertDistinctOutputs([other, { flag: '--junit', path: junit }])
      }
    }
    const history = values.history
    if (history !== undefined) {
      for (const other of [{ flag: '--targets', path: values.targets }, { flag: '--junit', path: junit }, ...file.targets.map((t) => ({ flag: `${t.name}.tokenFile`, path: t.tokenFile }))]) {
        await assertDistinctOutputs([other, { flag: '--history', path: history }])
      }
    }
    const concurrency = concurrencyArg ?? file.concurrency
    let warnings: ApprovalWarning[] = []
    const instanceWarnings: InstanceWarning[] = []
    const logins = new Map<string, TargetLogin>()
    if (withFlow) {
      for (const t of file.targets) {
        const login = targetLogin(t)
        if (login !== undefined) logins.set(t.name, login)
      }
      const missing = file.targets.filter((t) => !logins.has(t.name))
      if (missing.length > 0) throw new ConfigError(missing.map(noLogin))
      for (const l of logins.values()) redactor.add(l.password)
      // Without --revoke-after the approvals of each run stay, so every further run adds to them.
      warnings = approvalWarnings([...logins].map(([name, l]) => ({ name, clientId: l.clientId, username: l.username })), runs)
      if (!values.json) for (const w of warnings) out.line(`! ${w.code}: ${w.message}`)
    }
    const http = createHttp({ timeoutMs: config.timeoutMs })
    const started = performance.now()
    const obtained: Obtained[] = []
    const learnt = new Map<string, Learnt>()
    const writeBack: WriteBack = repo === undefined ? undefined : async (t, stored, l) => {
      const w0 = performance.now()
      // Before anything else is done with the answer: the secret must hold the newest token, or the next run fails.
      if (t.tokenSecret !== undefined) await putActionsSecret(http, repo, t.tokenSecret, `${JSON.stringify(stored, null, 2)}\n`)
      l.steps.writeBack = performance.now() - w0
    }
    let results: TargetResult[]
    let revoked: RevokeResult[] = []
    let browser: Browser | undefined
    let monitored: { lines: HistoryLine[]; deliveries: Awaited<ReturnType<typeof deliver>> } | undefined
    // Targets in progress at once (a browser context each with --flow): bounded by --concurrency.
    let running = 0
    let peak = 0
    try {
      if (withFlow && cli.browser === undefined) {
        // One browser for the run; each target's flow opens its own session (a context) in it.
        const { launchBrowser } = await import('../../browser/session.js')
        browser = await launchBrowser({ browserPath: config.browserPath, headless: config.headless, timeoutMs: config.timeoutMs })
      }
      // A browser handed in (cli.browser) is the caller's: used, never closed here.
      const shared = browser ?? (withFlow ? cli.browser : undefined)
      const flowCtx = shared === undefined ? undefined : { browser: shared, http, config, save: !revokeAfter, logins }
      results = await mapLimit(file.targets, concurrency, async (t) => {
        const t0 = performance.now()
        running++
        peak = Math.max(peak, running)
        try {
          const warn = (w: InstanceWarning) => {
            instanceWarnings.push(w)
            if (!values.json) out.line(`! ${w.code}: ${w.target}: ${w.message}`)
          }
          const l: Learnt = { detail: '', steps: {}, rotated: false }
          learnt.set(t.name, l)
          const detail = flowCtx === undefined ? await checkTarget(t, http, config.timeoutMs, obtained, warn, writeBack, l) : await flowTarget(t, flowCtx, obtained, warn, writeBack, l)
          const r: TargetResult = { name: t.name, kind: t.kind, ok: true, durationMs: Math.round(performance.now() - t0), detail }
          if (!values.json) out.line(`✓ ${t.name.padEnd(24)} ${detail} (${r.durationMs} ms)`)
          return r
        } catch (err) {
          const e = errorJson(err)
          const r: TargetResult = { name: t.name, kind: t.kind, ok: false, durationMs: Math.round(performance.now() - t0), detail: e.message, error: { code: e.code, message: e.message } }
          if (!values.json) out.line(`✗ ${t.name.padEnd(24)} ${e.code}: ${e.message}`)
          return r
        } finally {
          running--
        }
      })
      if (revokeAfter) {
        revoked = await revokeAll(obtained, http, concurrency)
        if (!values.json) {
          for (const r of revoked.filter((x) => !x.ok)) out.line(`✗ revoke ${r.name.padEnd(17)} ${r.error?.code ?? ''}: ${r.error?.message ?? ''}`)
          const kinds = [...new Set(obtained.map((o) => `${o.kind}s`))].join(' and ') || 'tokens'
          out.line(`revoke-after: ${revoked.filter((r) => r.ok).length} of ${revoked.length} ${kinds} revoked`)
        }
      }
      if (history !== undefined || warnBeforeMs !== undefined || file.targets.some((t) => t.refreshTokenPolicy !== undefined)) {
        const observations: Observation[] = results.map((r, i) => {
          const t = file.targets[i] as Target
          const l = learnt.get(r.name) ?? { detail: '', steps: {}, rotated: false }
          return { name: r.name, kind: r.kind, ok: r.ok, durationMs: r.durationMs, error: r.error, steps: l.steps, rotated: l.rotated, newRefreshTokenIssuedAt: l.newRefreshTokenIssuedAt, savedIssuedAt: l.savedIssuedAt, username: l.username, clientId: t.clientId, policy: t.refreshTokenPolicy, warnings: instanceWarnings.filter((w) => w.target === r.name).map((w) => w.code) }
        })
        const lines = historyLines(observations, previous, { now: new Date(), runId: monitoring.runId ?? new Date(Date.now() - (performance.now() - started)).toISOString(), runUrl: monitoring.runUrl, mode: withFlow ? 'flow' : 'refresh', warnBeforeMs })
        monitored = { lines, deliveries: [] }
        if (!values.json) {
          for (const line of lines) {
            const f = line.forecast
            const idle = file.targets.find((t) => t.name === line.target)?.refreshTokenPolicy?.type === 'expire-if-unused' && line.result === 'pass' ? ' (this check counted as a use)' : ''
            const when = f.expiresAt === null ? (f.policy === 'until-revoked' ? 'valid until revoked' : 'expiry unknown (set "refreshTokenPolicy")') : `stops working ${f.expiresAt}${idle}`
            if (line.warnings.includes('TOKEN_EXPIRES_SOON')) out.line(`! TOKEN_EXPIRES_SOON: ${line.target}: refresh token ${when} (within --warn-before ${values['warn-before'] ?? ''}); approvals ${f.approvalsInUse ?? '?'} of ${f.approvalsMax}`)
            else out.line(`  forecast ${line.target.padEnd(15)} ${when}; approvals ${f.approvalsInUse ?? '?'} of ${f.approvalsMax}`)
          }
        }
        if (history !== undefined) await appendHistory(history, lines)
        const events = notifyUrls.length === 0 ? [] : stateChanges(lines, previous)
        if (events.length > 0) {
          monitored.deliveries = await deliver(events, notifyUrls, http)
          if (!values.json) {
            for (const d of monitored.deliveries.filter((x) => !x.ok)) out.line(`! NOTIFY_FAILED: ${d.event} for ${d.target} to ${d.host} (${d.format}) not delivered after ${d.attempts} attempts: ${d.reason ?? ''}`)
            out.line(`notify: ${events.length} change${events.length === 1 ? '' : 's'} (${events.map((e) => `${e.event} ${e.target}`).join(', ')}), ${monitored.deliveries.filter((x) => x.ok).length} of ${monitored.deliveries.length} posts delivered`)
          }
        }
      }
    } finally {
      await browser?.close().catch(() => undefined)
      await http.close()
    }
    const failed = results.filter((r) => !r.ok).length
    const revokeFailed = revoked.filter((r) => !r.ok).length
    const wall = Math.round(performance.now() - started)
    if (values.junit !== undefined) {
      const cases = results.map((r) => ({ name: r.name, classname: `sf-oauth.check.${r.kind}`, durationMs: r.durationMs, failure: r.error }))
      // The clean-up is a case of its own, so a failed revoke is as visible in CI as a failed target.
      const firstRevokeError = revoked.find((r) => !r.ok)?.error
      if (revokeAfter) cases.push({ name: 'revoke-after', classname: 'sf-oauth.check.cleanup', durationMs: 0, failure: firstRevokeError === undefined ? undefined : { code: firstRevokeError.code, message: `${revokeFailed} of ${revoked.length} revokes failed; first: ${firstRevokeError.message}` } })
      await writeFileAtomic(values.junit, junitXml('sf-oauth check', cases))
    }
    const ok = failed === 0 && revokeFailed === 0
    if (values.json) {
      const monitorWarnings = monitored === undefined ? [] : [
        ...monitored.lines.filter((l) => l.warnings.includes('TOKEN_EXPIRES_SOON')).map((l) => ({ code: 'TOKEN_EXPIRES_SOON', target: l.target, message: `refresh token stops working ${l.forecast.expiresAt ?? ''}` })),
        ...monitored.deliveries.filter((d) => !d.ok).map((d) => ({ code: 'NOTIFY_FAILED', target: d.target, message: `${d.event} to ${d.host} (${d.format}) not delivered after ${d.attempts} attempts: ${d.reason ?? ''}` })),
      ]
      out.json({ ok, mode: withFlow ? 'flow' : 'refresh', warnings: [...warnings, ...instanceWarnings, ...monitorWarnings], targets: results, ...(revokeAfter ? { revoked } : {}), ...(monitored === undefined ? {} : { forecast: monitored.lines.map((l) => ({ target: l.target, ...l.forecast })), notifications: monitored.deliveries.map((d) => ({ event: d.event, target: d.target, format: d.format, host: d.host, ok: d.ok, attempts: d.attempts })) }), summary: { total: results.length, passed: results.length - failed, failed, concurrency, peakConcurrent: peak, durationMs: wall } })
    } else {
      out.line(`${results.length} targets: ${results.length - failed} passed, ${failed} failed in ${wall} ms${values.junit ? ` (JUnit: ${values.junit})` : ''}`)
    }
    return ok ? EXIT.OK : EXIT.FAILED
  })
}
