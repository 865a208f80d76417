/**
 * `sf-oauth check --targets FILE`: validate each target's stored refresh token without a browser
 * (refresh grant, signature, then userinfo or introspect), or with `--flow` run the whole browser flow per
 * target (one browser, a context per flow), with bounded concurrency. One line per target, a summary,
 * JUnit and JSON for CI; exit 1 when any target fails. `--revoke-after` revokes what the run obtained.
 */
import { dirname } from 'node:path'
import type { Browser } from 'playwright'
import { loadConfig, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { ConfigError, EXIT, ResponseValidationError, UsageError } from '../../errors.js'
import { mapLimit } from '../../flow/limit.js'
import { refreshSaved } from '../../flow/refresh.js'
import { introspect, revoke, userinfo, type OperationContext } from '../../client/operations.js'
import { createHttp, type Http } from '../../http/client.js'
import { checkLoginUrl, instanceUrlWarning } from '../../oauth/hosts.js'
import type { Check, TokenSet } from '../../oauth/types.js'
import { redactor } from '../../redact.js'
import { junitXml } from '../../report/junit.js'
import { assertDistinctOutputs, assertWritableTarget, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { savedTokenSet, withFileLock, writeTokenFile } from '../../store/token-store.js'
import { approvalWarnings, type ApprovalWarning } from '../../targets/approvals.js'
import { toFlowTarget, type TargetLogin } from '../../targets/flow-target.js'
import { loadTargets, targetLogin, type Target } from '../../targets/load.js'
import { intOption, parse } from '../args.js'
import { errorJson, jsonErrors, type Io, Printer } from '../output.js'

export const CHECK_HELP = `Usage: sf-oauth check --targets FILE [--flow] [--revoke-after] [--concurrency N] [--junit FILE] [--json]

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

async function checkTarget(t: Target, http: Http, timeoutMs: number, obtained: Obtained[], warn: (w: InstanceWarning) => void): Promise<string> {
  redactor.add(t.clientSecret)
  const outcome = await refreshSaved(t.tokenFile, { http, clientSecret: t.clientSecret, timeoutMs, expect: { loginUrl: t.loginUrl, from: `target ${t.name}'s loginUrl` } })
  for (const w of outcome.warnings) warn({ ...w, target: t.name })
  obtained.push({ name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: outcome.tokens.accessToken })
  return `refresh ok${outcome.rotated ? ' (rotated, saved)' : ''}, ${signatureDetail(outcome.checks)}, ${await verifyAccess(t, http, outcome.tokens)}`
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

async function flowTarget(t: Target, ctx: FlowContext, obtained: Obtained[], warn: (w: InstanceWarning) => void): Promise<string> {
  const { runWebServerFlow } = await import('../../flow/web-server-flow.js')
  const login = ctx.logins.get(t.name)
  if (login === undefined) throw new ConfigError([noLogin(t)])
  const target = toFlowTarget(login, ctx.config)
  const result = await runWebServerFlow({ target, browser: ctx.browser, http: ctx.http, timeoutMs: ctx.config.timeoutMs, verification: { totpSecret: ctx.config.totpSecret, codeCommand: ctx.config.verificationCodeCommand } })
  const { tokens } = result
  for (const c of result.checks) if (c.name === 'instance_url' && c.status === 'warn') warn({ code: 'INSTANCE_URL_NOT_SALESFORCE', target: t.name, message: c.detail })
  obtained.push(tokens.refreshToken === undefined
    ? { name: t.name, loginUrl: t.loginUrl, kind: 'access token', token: tokens.accessToken }
    : { name: t.name, loginUrl: t.loginUrl, kind: 'refresh token', token: tokens.refreshToken })
  let saved = ''
  if (ctx.save) {
    await makeOutputDir(dirname(t.tokenFile), `${t.name}.tokenFile`)
    await withFileLock(t.tokenFile, () => writeTokenFile(t.tokenFile, savedTokenSet(target, tokens)), { timeoutMs: Math.max(ctx.config.timeoutMs * 2, 10_000) })
    saved = ', saved'
  }
  return `flow ok (${result.checks.length} checks${saved}), ${signatureDetail(result.checks)}, ${await verifyAccess(t, ctx.http, tokens)}`
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
    const config = loadConfig(cli.env)
    const file = await loadTargets(values.targets, cli.env)
    // The report must not overwrite the targets file or a token file (they are read, and rewritten on rotation).
    const junit = values.junit
    if (junit !== undefined) {
      for (const other of [{ flag: '--targets', path: values.targets }, ...file.targets.map((t) => ({ flag: `${t.name}.tokenFile`, path: t.tokenFile }))]) {
        await assertDistinctOutputs([other, { flag: '--junit', path: junit }])
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
    let results: TargetResult[]
    let revoked: RevokeResult[] = []
    let browser: Browser | undefined
    // Targets in progress at once (a browser context each with --flow): bounded by --concurrency.
    let running = 0
    let peak = 0
    try {
      if (withFlow && cli.browser === undefined) {
        const { launchBrowser } = await import('../../browser/launch.js')
        browser = await launchBrowser({ browserPath: config.browserPath, headless: config.headless, timeoutMs: Math.max(config.timeoutMs, 30_000) })
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
          const detail = flowCtx === undefined ? await checkTarget(t, http, config.timeoutMs, obtained, warn) : await flowTarget(t, flowCtx, obtained, warn)
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
      out.json({ ok, mode: withFlow ? 'flow' : 'refresh', warnings: [...warnings, ...instanceWarnings], targets: results, ...(revokeAfter ? { revoked } : {}), summary: { total: results.length, passed: results.length - failed, failed, concurrency, peakConcurrent: peak, durationMs: wall } })
    } else {
      out.line(`${results.length} targets: ${results.length - failed} passed, ${failed} failed in ${wall} ms${values.junit ? ` (JUnit: ${values.junit})` : ''}`)
    }
    return ok ? EXIT.OK : EXIT.FAILED
  })
}
