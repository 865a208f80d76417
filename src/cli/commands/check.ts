/**
 * `sf-oauth check --targets FILE`: parse, call `checkTargets` (src/flow/check-targets.ts), print. One line
 * per target as it is known, a summary, JUnit and JSON for CI; exit 1 when any target fails.
 */
import { loadConfig, monitoringSettings } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { ConfigError, EXIT, UsageError } from '../../errors.js'
import { checkTargets, tokenSecretProblems, type CheckWarning } from '../../flow/check-targets.js'
import { isNotifyFormat, parseNotifyUrl } from '../../flow/monitor.js'
import type { GithubRepo } from '../../http/github-secrets.js'
import type { NotifyTarget } from '../../http/notify.js'
import { checkLoginUrl } from '../../oauth/hosts.js'
import { redactor } from '../../redact.js'
import { junitXml } from '../../report/junit.js'
import { assertDistinctOutputs, assertWritableTarget, writeFileAtomic } from '../../store/atomic.js'
import { parseSpan } from '../../targets/forecast.js'
import { loadTargets } from '../../targets/load.js'
import { intOption, parse } from '../args.js'
import { jsonErrors, type Io, Printer } from '../output.js'

export const CHECK_HELP = `Usage: sf-oauth check --targets FILE [--flow] [--revoke-after] [--concurrency N] [--identity-version V] [--junit FILE] [--json]
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
  --identity-version V  also GET the identity URL with version=V (latest or e.g. 62.0) and check its
                     urls carry that version, no {version} placeholder left
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

export async function checkCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('check', argv, {
    targets: { type: 'string' },
    flow: { type: 'boolean' },
    'revoke-after': { type: 'boolean' },
    runs: { type: 'string' },
    concurrency: { type: 'string' },
    'identity-version': { type: 'string' },
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
    const identityVersion = values['identity-version']
    if (identityVersion !== undefined && !/^(latest|\d{1,3}(\.\d)?)$/.test(identityVersion)) throw new UsageError(`--identity-version is "${identityVersion}": use latest or an API version such as 62.0`)
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
        ...tokenSecretProblems(file),
      ]
      if (problems.length > 0) throw new ConfigError(problems)
      redactor.add(gh.token)
      repo = { apiUrl: gh.apiUrl, repository: gh.repository ?? '', token: gh.token ?? '' }
    }
    // The report must not overwrite the targets file, a token file or the history (checkTargets checks the history against the first two).
    const junit = values.junit
    if (junit !== undefined) {
      for (const other of [{ flag: '--targets', path: values.targets }, { flag: '--history', path: values.history }, ...file.targets.map((t) => ({ flag: `${t.name}.tokenFile`, path: t.tokenFile }))]) {
        await assertDistinctOutputs([other, { flag: '--junit', path: junit }])
      }
    }
    const warn = (w: CheckWarning) => {
      if (values.json) return
      out.line(w.code === 'APPROVAL_LIMIT' ? `! ${w.code}: ${w.message}` : `! ${w.code}: ${w.target}: ${w.message}`)
    }
    const run = await checkTargets({
      targets: file,
      config,
      flow: withFlow,
      revokeAfter,
      runs,
      concurrency: concurrencyArg,
      identityVersion,
      // A browser handed in (cli.browser) is the caller's: used, never closed.
      browser: withFlow ? cli.browser : undefined,
      history: values.history,
      notify: notifyUrls,
      warnBeforeMs,
      run: { id: monitoring.runId, url: monitoring.runUrl },
      writeBack: repo,
      onWarning: warn,
      onResult: (r) => {
        if (values.json) return
        out.line(r.ok ? `✓ ${r.name.padEnd(24)} ${r.detail} (${r.durationMs} ms)` : `✗ ${r.name.padEnd(24)} ${r.error?.code ?? ''}: ${r.detail}`)
      },
    })
    const { targets: results, revoked, monitored } = run
    if (revokeAfter && !values.json) {
      for (const r of revoked.filter((x) => !x.ok)) out.line(`✗ revoke ${r.name.padEnd(17)} ${r.error?.code ?? ''}: ${r.error?.message ?? ''}`)
      const kinds = [...new Set(revoked.map((o) => `${o.kind}s`))].join(' and ') || 'tokens'
      out.line(`revoke-after: ${revoked.filter((r) => r.ok).length} of ${revoked.length} ${kinds} revoked`)
    }
    if (monitored !== undefined && !values.json) {
      for (const line of monitored.lines) {
        const f = line.forecast
        const idle = file.targets.find((t) => t.name === line.target)?.refreshTokenPolicy?.type === 'expire-if-unused' && line.result === 'pass' ? ' (this check counted as a use)' : ''
        const when = f.expiresAt === null ? (f.policy === 'until-revoked' ? 'valid until revoked' : 'expiry unknown (set "refreshTokenPolicy")') : `stops working ${f.expiresAt}${idle}`
        if (line.warnings.includes('TOKEN_EXPIRES_SOON')) out.line(`! TOKEN_EXPIRES_SOON: ${line.target}: refresh token ${when} (within --warn-before ${values['warn-before'] ?? ''}); approvals ${f.approvalsInUse ?? '?'} of ${f.approvalsMax}`)
        else out.line(`  forecast ${line.target.padEnd(15)} ${when}; approvals ${f.approvalsInUse ?? '?'} of ${f.approvalsMax}`)
      }
      if (monitored.events.length > 0) {
        for (const d of monitored.deliveries.filter((x) => !x.ok)) out.line(`! NOTIFY_FAILED: ${d.event} for ${d.target} to ${d.host} (${d.format}) not delivered after ${d.attempts} attempts: ${d.reason ?? ''}`)
        out.line(`notify: ${monitored.events.length} change${monitored.events.length === 1 ? '' : 's'} (${monitored.events.map((e) => `${e.event} ${e.target}`).join(', ')}), ${monitored.deliveries.filter((x) => x.ok).length} of ${monitored.deliveries.length} posts delivered`)
      }
    }
    const failed = results.filter((r) => !r.ok).length
    const revokeFailed = revoked.filter((r) => !r.ok).length
    if (junit !== undefined) {
      const cases = results.map((r) => ({ name: r.name, classname: `sf-oauth.check.${r.kind}`, durationMs: r.durationMs, failure: r.error }))
      // The clean-up is a case of its own, so a failed revoke is as visible in CI as a failed target.
      const firstRevokeError = revoked.find((r) => !r.ok)?.error
      if (revokeAfter) cases.push({ name: 'revoke-after', classname: 'sf-oauth.check.cleanup', durationMs: 0, failure: firstRevokeError === undefined ? undefined : { code: firstRevokeError.code, message: `${revokeFailed} of ${revoked.length} revokes failed; first: ${firstRevokeError.message}` } })
      await writeFileAtomic(junit, junitXml('sf-oauth check', cases))
    }
    if (values.json) {
      const monitorWarnings = monitored === undefined ? [] : [
        ...monitored.lines.filter((l) => l.warnings.includes('TOKEN_EXPIRES_SOON')).map((l) => ({ code: 'TOKEN_EXPIRES_SOON', target: l.target, message: `refresh token stops working ${l.forecast.expiresAt ?? ''}` })),
        ...monitored.deliveries.filter((d) => !d.ok).map((d) => ({ code: 'NOTIFY_FAILED', target: d.target, message: `${d.event} to ${d.host} (${d.format}) not delivered after ${d.attempts} attempts: ${d.reason ?? ''}` })),
      ]
      out.json({ ok: run.ok, mode: run.mode, warnings: [...run.warnings, ...monitorWarnings], targets: results, ...(revokeAfter ? { revoked } : {}), ...(monitored === undefined ? {} : { forecast: monitored.lines.map((l) => ({ target: l.target, ...l.forecast })), notifications: monitored.deliveries.map((d) => ({ event: d.event, target: d.target, format: d.format, host: d.host, ok: d.ok, attempts: d.attempts })) }), summary: { total: results.length, passed: results.length - failed, failed, concurrency: run.concurrency, peakConcurrent: run.peakConcurrent, durationMs: run.durationMs } })
    } else {
      out.line(`${results.length} targets: ${results.length - failed} passed, ${failed} failed in ${run.durationMs} ms${junit ? ` (JUnit: ${junit})` : ''}`)
    }
    return run.ok ? EXIT.OK : EXIT.FAILED
  })
}
