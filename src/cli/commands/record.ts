/**
 * `sf-oauth record` (`npm run record`): runs the web server flow against the org named in the
 * configuration, then the token calls the harness makes (refresh, userinfo, introspect, revoke, and a
 * refresh of the revoked token), with nock.back in record mode under the harness's global fetch. Only
 * Node's HTTP is recorded: the browser's pages go through Chromium and are not. Before nock.back writes
 * the fixture, every secret and identifier is masked (src/record/mask.ts) and every signature recomputed
 * with the fake client secret; the written file is then checked for anything credential-shaped.
 * nock 14 records global fetch in nock.back's record mode (checked first with a small experiment), so no
 * home-made recorder is needed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import nock from 'nock'
import type { Browser } from 'playwright'
import { loadConfig, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { ConfigError, EXIT, HarnessError, UsageError } from '../../errors.js'
import { introspect, refresh, revoke, userinfo, type OperationContext } from '../../client/operations.js'
import { createHttp } from '../../http/client.js'
import { findCredentials } from '../../record/credential-check.js'
import { Masker } from '../../record/mask.js'
import { redactor } from '../../redact.js'
import { resolveTarget } from '../../targets/resolve.js'
import { assertNoLinkAt, assertOutputDir, fileInDir, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { parse } from '../args.js'
import { jsonErrors, type Io, Printer } from '../output.js'

export const RECORD_HELP = `Usage: sf-oauth record [--out DIR] [--name NAME] [--json]

Records Salesforce's answers to the harness's token calls into a nock fixture, masked: runs the web server
flow against SF_LOGIN_URL (a real org, or an emulator started with sf-oauth emulator), then refresh,
userinfo, introspect, revoke and a refresh of the revoked token. Tokens, codes, the client id and secret,
org and user ids and the hosts are replaced by known fakes; signatures are recomputed with the fake secret.
Replay the file offline with sf-oauth replay FILE, or with nock.back in lockdown mode (the offline tests).

Options:
  --out DIR    directory for the fixture (default fixtures/recorded)
  --name NAME  file name without .json (default web-server-flow)
  --json       one JSON object (file, calls and their outcomes) instead of lines
  -h, --help   this help`

interface Step {
  readonly name: string
  readonly outcome: string
}

export async function recordCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('record', argv, { out: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io)
  if (values.help) {
    out.own(RECORD_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, () => record(values, out, cli))
}

async function record(values: { out?: string | undefined; name?: string | undefined; json?: boolean | undefined }, out: Printer, cli: CliConfig): Promise<number> {
  // Checked before anything runs: the fixture goes exactly to --out/--name.json, and only on success.
  if (values.out === '') throw new UsageError('--out is empty: give a directory (default fixtures/recorded)')
  const dir = resolve(values.out ?? 'fixtures/recorded')
  if (values.name === '') throw new UsageError('--name is empty: give a file name without .json')
  const name = `${values.name ?? 'web-server-flow'}.json`
  const file = fileInDir(dir, name, '--name')
  await assertOutputDir(dir, '--out')
  await assertNoLinkAt(file, '--name')
  const config = loadConfig(cli.env)
  if (config.loginUrl === undefined) {
    throw new ConfigError([{ key: 'SF_LOGIN_URL', problem: 'is not set', fix: 'npm run record needs an org: set SF_LOGIN_URL, SF_CLIENT_ID, SF_CLIENT_SECRET, SF_USERNAME, SF_PASSWORD (or point them at sf-oauth emulator)' }])
  }
  await makeOutputDir(dir, '--out')
  // nock.back records into a private directory of its own (record mode would replay an existing file);
  // the fixture replaces the old one only once the run succeeded and the masking check passed.
  const work = await mkdtemp(join(dir, '.record-'))
  try {
    return await recordInto(work, name, file, config, values.json === true, out, cli.browser)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

async function recordInto(work: string, name: string, file: string, config: HarnessConfig, json: boolean, out: Printer, browser: Browser | undefined): Promise<number> {
  const { target } = await resolveTarget(config)
  const masker = new Masker({ loginUrl: target.loginUrl, clientId: target.clientId, clientSecret: target.clientSecret, username: target.username, password: target.password })

  nock.back.fixtures = work
  nock.back.setMode('record')
  const { nockDone } = await nock.back(name, { afterRecord: (defs) => defs.map((d) => maskDefinition(d, masker)) })
  const steps: Step[] = []
  const http = createHttp({ timeoutMs: config.timeoutMs, proxies: config.proxies })
  const attempt = async (stepName: string, fn: () => Promise<string>) => {
    try {
      steps.push({ name: stepName, outcome: await fn() })
    } catch (err) {
      steps.push({ name: stepName, outcome: err instanceof HarnessError ? err.code : 'INTERNAL_ERROR' })
    }
  }
  try {
    const { runWebServerFlow } = await import('../../flow/web-server-flow.js')
    const flow = await runWebServerFlow({ target, timeoutMs: config.timeoutMs, headless: config.headless, browserPath: config.browserPath, http, proxies: config.proxies, ...(browser === undefined ? {} : { browser }) })
    steps.push({ name: 'code exchange', outcome: 'ok' })
    const ctx: OperationContext = { http, secrets: redactor }
    const rt = flow.tokens.refreshToken
    const at = flow.tokens.accessToken
    const refreshOnce = async () => {
      if (rt === undefined) return 'skipped: no refresh token'
      await refresh(ctx, target, rt)
      return 'ok'
    }
    await attempt('refresh', refreshOnce)
    await attempt('userinfo', async () => (await userinfo(ctx, flow.tokens.instanceUrl, at), 'ok'))
    await attempt('introspect', async () => (await introspect(ctx, target, at), 'ok'))
    await attempt('revoke', async () => (await revoke(ctx, target.loginUrl, rt ?? at), 'ok'))
    await attempt('refresh after revoke', refreshOnce)
  } finally {
    nockDone()
    nock.back.setMode('dryrun')
    nock.restore()
    await http.close()
  }
  const text = await readFile(join(work, name), 'utf8')
  const findings = findCredentials(text)
  if (findings.length > 0) {
    throw new HarnessError('RECORD_NOT_MASKED', `${findings.length} credential-shaped values survived masking (${findings.map((f) => f.kind).join(', ')}); nothing was written: report it with the kinds`)
  }
  await writeFileAtomic(file, text)
  if (json) {
    out.json({ ok: true, file, calls: steps })
    return EXIT.OK
  }
  for (const s of steps) out.line(`  ${s.outcome === 'ok' || s.outcome.startsWith('skipped') ? '✓' : '•'} ${s.name.padEnd(22)} ${s.outcome}`)
  out.line(`recorded ${steps.length} calls to ${file} (masked; signatures verify with the fake client secret)`)
  return EXIT.OK
}

const DROP = new Set(['date', 'set-cookie', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/** One recorded definition, masked: answer first (tokens are faked where issued), then the request. */
export function maskDefinition(d: nock.Definition, m: Masker): nock.Definition {
  const headers = Object.fromEntries(Object.entries((d.rawHeaders ?? {}) as Record<string, string>).filter(([k]) => !DROP.has(k.toLowerCase())))
  const response = typeof d.response === 'string' ? m.text(d.response) : d.response === undefined ? undefined : JSON.parse(m.json(JSON.stringify(d.response))) as unknown
  const body = typeof d.body === 'string' ? m.form(d.body) : d.body
  return { ...d, scope: m.url(String(d.scope)).replace(/\/$/, ''), path: m.url(`http://x${d.path}`).slice('http://x'.length), ...(body === undefined ? {} : { body }), response, rawHeaders: m.headers(headers) } as nock.Definition
}
