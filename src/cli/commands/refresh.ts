/**
 * `sf-oauth refresh --file F`: the refresh grant on a saved token set. Rotation-aware: a returned refresh
 * token is written to F (under a lock, atomically, mode 0600) before anything else is done with it.
 * `sf-oauth revoke --file F`: revoke the saved refresh token (and with it its access tokens).
 */
import { loadConfig, type PersonConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { EXIT, UsageError } from '../../errors.js'
import { refreshSaved } from '../../flow/refresh.js'
import { revoke } from '../../client/operations.js'
import { createHttp } from '../../http/client.js'
import { mask, redactor } from '../../redact.js'
import { assertDistinctOutputs } from '../../store/atomic.js'
import type { LoginUrlExpectation } from '../../store/token-file.js'
import { readTokenFile, withFileLock } from '../../store/token-store.js'
import { parse } from '../args.js'
import { jsonErrors, type Io, Printer } from '../output.js'
import { checkInteropTargets, INTEROP_HELP, interopLines, writeInteropFiles } from '../interop-files.js'

export const REFRESH_HELP = `Usage: sf-oauth refresh --file FILE [--sfdx-url FILE] [--postman FILE] [--json] [--reveal]

Sends the refresh grant for the token set saved by \`sf-oauth flow --save FILE\` and checks the answer
(signature, fields). With Refresh Token Rotation the new refresh token is stored in FILE before anything
else happens; concurrent runs on one FILE take turns, so the newest token is never lost.
The client secret comes from SF_CLIENT_SECRET (it is never stored in FILE).
FILE is checked before anything is sent: mode 0600 (else: chmod 600 FILE), not a symbolic link, its
loginUrl https (http only for loopback) and equal to SF_LOGIN_URL when that is set.

Options:
${INTEROP_HELP}`

export const REVOKE_HELP = `Usage: sf-oauth revoke --file FILE [--json]

Revokes the refresh token saved in FILE (Salesforce then revokes its access tokens too), so the
approval does not count against the 5 approvals per user per app.`

/** With SF_LOGIN_URL set, a token file must come from that login URL (src/store/token-file.ts). */
function configuredHost(config: PersonConfig): LoginUrlExpectation | undefined {
  return config.loginUrl === undefined ? undefined : { loginUrl: config.loginUrl, from: 'SF_LOGIN_URL' }
}

function fileOption(command: string, file: string | undefined): string {
  if (file === undefined) throw new UsageError(`${command} needs --file FILE: the token set saved by sf-oauth flow --save FILE`)
  return file
}

export async function refreshCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('refresh', argv, { file: { type: 'string' }, 'sfdx-url': { type: 'string' }, postman: { type: 'string' }, json: { type: 'boolean' }, reveal: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io, values.reveal === true)
  if (values.help) {
    out.own(REFRESH_HELP)
    return EXIT.OK
  }
  const started = performance.now()
  return jsonErrors(values.json, out, async () => {
    const file = fileOption('refresh', values.file)
    const interopOptions = { sfdxUrl: values['sfdx-url'], postman: values.postman }
    await checkInteropTargets(interopOptions)
    // The token file is read and rewritten: an interop file on the same path would replace the token set.
    await assertDistinctOutputs([{ flag: '--file', path: file }, { flag: '--sfdx-url', path: interopOptions.sfdxUrl }, { flag: '--postman', path: interopOptions.postman }])
    const config = loadConfig(cli.env, { person: true })
    redactor.add(config.clientSecret)
    const http = createHttp({ timeoutMs: config.timeoutMs, proxies: config.proxies })
    try {
      const outcome = await refreshSaved(file, { http, clientSecret: config.clientSecret, timeoutMs: config.timeoutMs, expect: configuredHost(config) })
      const interop = await writeInteropFiles(interopOptions, { ...outcome.stored, clientSecret: config.clientSecret })
      const shown = (v: string | null) => (v === null ? null : values.reveal ? v : mask(v))
      if (values.json) {
        out.json({ ok: true, file, rotated: outcome.rotated, checks: outcome.checks, accessToken: shown(outcome.stored.accessToken), refreshToken: shown(outcome.stored.refreshToken), issuedAt: outcome.stored.issuedAt, instanceUrl: outcome.stored.instanceUrl, warnings: outcome.warnings, interop, durationMs: Math.round(performance.now() - started) })
      } else {
        for (const c of outcome.checks) out.line(`  ${c.status === 'pass' ? '✓' : c.status === 'warn' ? '!' : '-'} check ${c.name.padEnd(14)} ${c.detail}`)
        out.line(`  rotated        ${outcome.rotated ? 'yes: the new refresh token is saved' : 'no (rotation off): the refresh token stays'}`)
        out.line(`  access token   ${shown(outcome.stored.accessToken) ?? ''}`)
        out.line(`  refresh token  ${shown(outcome.stored.refreshToken) ?? '(none)'}`)
        out.line(`  instance_url   ${outcome.stored.instanceUrl}`)
        for (const w of outcome.warnings) out.line(`! ${w.code}: ${w.message}`)
        for (const l of interopLines(interop)) out.line(l)
        out.line(`ok: refreshed ${file} in ${Math.round(performance.now() - started)} ms`)
      }
    } finally {
      await http.close()
    }
    return EXIT.OK
  })
}

export async function revokeCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('revoke', argv, { file: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io)
  if (values.help) {
    out.own(REVOKE_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, async () => {
    const file = fileOption('revoke', values.file)
    const config = loadConfig(cli.env, { person: true })
    const http = createHttp({ timeoutMs: config.timeoutMs, proxies: config.proxies })
    try {
      const revoked = await withFileLock(file, async () => {
        const saved = await readTokenFile(file, { expect: configuredHost(config) })
        redactor.add(saved.refreshToken)
        redactor.add(saved.accessToken)
        const token = saved.refreshToken ?? saved.accessToken
        await revoke({ http, secrets: redactor }, saved.loginUrl, token)
        return saved.refreshToken === null ? 'access token' : 'refresh token'
      }, { timeoutMs: Math.max(config.timeoutMs * 2, 10_000) })
      if (values.json) out.json({ ok: true, file, revoked })
      else out.line(`ok: revoked the ${revoked} of ${file}`)
    } finally {
      await http.close()
    }
    return EXIT.OK
  })
}
