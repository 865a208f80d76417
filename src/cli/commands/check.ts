/**
 * `sf-oauth check --targets FILE`: validate each target's stored refresh token without a browser
 * (refresh grant, signature, then userinfo or introspect), with bounded concurrency. One line per
 * target, a summary, JUnit and JSON for CI; exit 1 when any target fails.
 */
import { loadConfig, readEnv, type HarnessConfig } from '../../config.js'
import { EXIT, UsageError } from '../../errors.js'
import { mapLimit } from '../../flow/limit.js'
import { refreshSaved } from '../../flow/refresh.js'
import { createHttp, type Http } from '../../http/client.js'
import { requestIntrospect, requestUserinfo } from '../../http/oauth.js'
import { endpointsFor } from '../../oauth/endpoints.js'
import { processIntrospectResponse, processUserinfoResponse } from '../../oauth/other-responses.js'
import { redactor } from '../../redact.js'
import { junitXml } from '../../report/junit.js'
import { assertWritableTarget, writeFileAtomic } from '../../store/atomic.js'
import { loadTargets, type Target } from '../../targets/load.js'
import { intOption, parse } from '../args.js'
import { errorJson, jsonErrors, type Io, Printer } from '../output.js'

export const CHECK_HELP = `Usage: sf-oauth check --targets FILE [--concurrency N] [--junit FILE] [--json]

For each target of FILE (schema: schemas/targets.schema.json) refreshes its saved token set without a
browser, verifies the signature, then calls userinfo (or introspect). Rotated refresh tokens are saved
before anything else. Prints one line per target and a summary; exit 1 when any target fails.

Options:
  --targets FILE     the targets file (secrets only as environment variable names)
  --concurrency N    targets at once (default: the file's "concurrency", else 4)
  --junit FILE       write a JUnit XML report
  --json             one JSON object instead of lines`

export interface TargetResult {
  readonly name: string
  readonly kind: string
  readonly ok: boolean
  readonly durationMs: number
  readonly detail: string
  readonly error?: { code: string; message: string }
}

async function checkTarget(t: Target, http: Http, timeoutMs: number): Promise<string> {
  redactor.add(t.clientSecret)
  const outcome = await refreshSaved(t.tokenFile, { http, clientSecret: t.clientSecret, timeoutMs, loginUrl: t.loginUrl })
  const signature = outcome.checks.find((c) => c.name === 'signature')?.status === 'pass' ? 'signature ok' : 'signature not verified (no secret)'
  if (t.verify === 'introspect') {
    processIntrospectResponse(await requestIntrospect(http, endpointsFor(t.loginUrl), outcome.tokens.accessToken, { clientId: t.clientId, clientSecret: t.clientSecret }))
    return `refresh ok${outcome.rotated ? ' (rotated, saved)' : ''}, ${signature}, introspect active`
  }
  const info = processUserinfoResponse(await requestUserinfo(http, outcome.tokens.instanceUrl, outcome.tokens.accessToken))
  return `refresh ok${outcome.rotated ? ' (rotated, saved)' : ''}, ${signature}, userinfo ${info.preferredUsername}`
}

export async function checkCommand(argv: string[], io: Io, loadEnvConfig: () => HarnessConfig = loadConfig): Promise<number> {
  const { values } = parse('check', argv, { targets: { type: 'string' }, concurrency: { type: 'string' }, junit: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io)
  if (values.help) {
    out.line(CHECK_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, async () => {
    if (values.targets === undefined) throw new UsageError('check needs --targets FILE (see schemas/targets.schema.json)')
    const concurrencyArg = intOption('concurrency', values.concurrency, 1, 32)
    if (values.junit !== undefined) await assertWritableTarget(values.junit, '--junit')
    const config = loadEnvConfig()
    const file = await loadTargets(values.targets, readEnv())
    const concurrency = concurrencyArg ?? file.concurrency
    const http = createHttp({ timeoutMs: config.timeoutMs })
    const started = performance.now()
    let results: TargetResult[]
    try {
      results = await mapLimit(file.targets, concurrency, async (t) => {
        const t0 = performance.now()
        try {
          const detail = await checkTarget(t, http, config.timeoutMs)
          const r: TargetResult = { name: t.name, kind: t.kind, ok: true, durationMs: Math.round(performance.now() - t0), detail }
          if (!values.json) out.line(`✓ ${t.name.padEnd(24)} ${detail} (${r.durationMs} ms)`)
          return r
        } catch (err) {
          const e = errorJson(err)
          const r: TargetResult = { name: t.name, kind: t.kind, ok: false, durationMs: Math.round(performance.now() - t0), detail: e.message, error: { code: e.code, message: e.message } }
          if (!values.json) out.line(`✗ ${t.name.padEnd(24)} ${e.code}: ${e.message}`)
          return r
        }
      })
    } finally {
      await http.close()
    }
    const failed = results.filter((r) => !r.ok).length
    const wall = Math.round(performance.now() - started)
    if (values.junit !== undefined) {
      await writeFileAtomic(values.junit, junitXml('sf-oauth check', results.map((r) => ({ name: r.name, classname: `sf-oauth.check.${r.kind}`, durationMs: r.durationMs, failure: r.error }))), 0o644)
    }
    if (values.json) out.json({ ok: failed === 0, targets: results, summary: { total: results.length, passed: results.length - failed, failed, durationMs: wall } })
    else out.line(`${results.length} targets: ${results.length - failed} passed, ${failed} failed in ${wall} ms${values.junit ? ` (JUnit: ${values.junit})` : ''}`)
    return failed === 0 ? EXIT.OK : EXIT.FAILED
  })
}
