/** `sf-oauth flow`: the whole web server flow, printed step by step, against the emulator or an org. */
import { loadConfig, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import type { Page } from 'playwright'
import { EXIT, HarnessError, UsageError } from '../../errors.js'
import { findCredentials } from '../../record/credential-check.js'
import { buildTranscript, TRANSCRIPT_FILE } from '../../record/transcript.js'
import type { FlowEvent, FlowResult } from '../../flow/web-server-flow.js'
import type { TokenSet } from '../../oauth/types.js'
import { mask, redactor } from '../../redact.js'
import { assertDistinctOutputs, assertNoLinkAt, assertOutputDir, assertWritableTarget, fileInDir, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { savedTokenSet, writeTokenFile } from '../../store/token-store.js'
import type { FlowTarget } from '../../targets/flow-target.js'
import { resolveTarget, type ResolvedTarget } from '../../targets/resolve.js'
import { parse } from '../args.js'
import { checkInteropTargets, INTEROP_HELP, interopLines, writeInteropFiles, type InteropWritten } from '../interop-files.js'
import { errorJson, ms, type Io, Printer } from '../output.js'
import { scopeAsksForRefreshToken } from '../../oauth/token-request.js'

export const FLOW_HELP = `Usage: sf-oauth flow [options]

Runs the OAuth 2.0 web server flow in a headless browser: authorize URL, login, "Allow Access?",
redirect, code, token POST, and checks every field of the answer. Without SF_LOGIN_URL it starts the
embedded Salesforce emulator; with SF_LOGIN_URL (in .env or the environment) it runs against that org.

Options:
  --json         print one JSON object (secrets masked) instead of the step list
  --reveal       print tokens unmasked (never in CI logs)
  --save FILE    write the token set as JSON (mode 0600, atomically; never on failure)
${INTEROP_HELP}
  --headed       show the browser, and catch the redirect with a loopback server too
  --deny         click Deny on "Allow Access?" (checks the access_denied path; exits 1)
  --record DIR   save a masked transcript of the run in DIR (every HTTP exchange, the page URLs, a
                 screenshot on failure), also when it fails; replay it offline with sf-oauth replay DIR
  --debug        print stack traces
  -h, --help     this help

Exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage or config; 3 infrastructure.`

function tokensView(tokens: TokenSet, reveal: boolean) {
  const m = (v: string | undefined) => (v === undefined ? undefined : reveal ? v : mask(v))
  return {
    accessToken: m(tokens.accessToken),
    refreshToken: m(tokens.refreshToken),
    idToken: m(tokens.idToken),
    instanceUrl: tokens.instanceUrl,
    id: tokens.id,
    orgId: tokens.orgId,
    userId: tokens.userId,
    scope: tokens.scope,
    issuedAt: tokens.issuedAt,
    tokenType: tokens.tokenType,
    signature: tokens.signature,
  }
}

const ICON = { pass: '✓', warn: '!', skip: '-' } as const

export async function flowCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('flow', argv, {
    json: { type: 'boolean' },
    reveal: { type: 'boolean' },
    save: { type: 'string' },
    'sfdx-url': { type: 'string' },
    postman: { type: 'string' },
    headed: { type: 'boolean' },
    deny: { type: 'boolean' },
    record: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  const out = new Printer(io, values.reveal === true)
  if (values.help) {
    out.own(FLOW_HELP)
    return EXIT.OK
  }
  const json = values.json === true
  const started = performance.now()
  const events: FlowEvent[] = []
  // With --json, every outcome is one JSON object on stdout, failures included.
  // Set once the target is known; a failure before that (config, usage) has nothing to record.
  let recording: Recording | undefined
  const fail = async (err: unknown, label: string | null): Promise<never> => {
    if (recording !== undefined) {
      // The run's own error is what the user needs; a transcript that cannot be written is a note beside it.
      await saveTranscript(recording, events, err).catch((e: unknown) => out.error(`! transcript not written to ${recording?.dir ?? ''}: ${errorJson(e).code}: ${errorJson(e).message}`))
    }
    if (json) out.json({ ok: false, target: label, steps: stepsOf(events), checks: checksOf(events), error: errorJson(err), durationMs: Math.round(performance.now() - started) })
    throw err
  }
  let config: HarnessConfig
  let resolved: ResolvedTarget
  try {
    if (values.save !== undefined && values.deny) throw new UsageError('--save and --deny exclude each other: a denied flow has no tokens to save')
    if (values.save !== undefined) await assertWritableTarget(values.save, '--save')
    if ((values['sfdx-url'] !== undefined || values.postman !== undefined) && values.deny) throw new UsageError('--sfdx-url/--postman and --deny exclude each other: a denied flow has no tokens')
    await checkInteropTargets({ sfdxUrl: values['sfdx-url'], postman: values.postman })
    const recordFiles = values.record === undefined ? [] : [fileInDir(values.record, TRANSCRIPT_FILE, '--record'), fileInDir(values.record, FAILURE_SCREENSHOT, '--record')]
    if (values.record !== undefined) await assertOutputDir(values.record, '--record')
    for (const f of recordFiles) await assertNoLinkAt(f, '--record')
    config = loadConfig(cli.env)
    // Every output is checked before the browser starts: a failure after the flow would lose the tokens.
    if (config.browserStateFile !== undefined) await assertWritableTarget(config.browserStateFile, 'SF_BROWSER_STATE')
    if (values['sfdx-url'] !== undefined && !scopeAsksForRefreshToken(config.scope)) {
      throw new UsageError(`--sfdx-url needs a refresh token, and SF_SCOPE "${config.scope}" asks for none: add refresh_token (or offline_access) to SF_SCOPE and to the Connected App`)
    }
    await assertDistinctOutputs([
      { flag: '--save', path: values.save },
      { flag: '--sfdx-url', path: values['sfdx-url'] },
      { flag: '--postman', path: values.postman },
      { flag: 'SF_BROWSER_STATE', path: config.browserStateFile },
      ...recordFiles.map((path) => ({ flag: '--record', path })),
    ])
    if (values.record !== undefined) await makeOutputDir(values.record, '--record')
    resolved = await resolveTarget(config)
  } catch (err) {
    return fail(err, null)
  }
  const { target, label, emulator } = resolved
  if (values.record !== undefined) recording = { dir: values.record, target, screenshots: [] }
  const rec = recording
  if (!json) {
    out.line(`sf-oauth flow → ${label}`)
    out.line(`  client ${mask(target.clientId)}, user ${target.username}, scope "${target.scope}", PKCE ${target.pkce ? 'on' : 'off'}`)
  }
  const onEvent = (e: FlowEvent) => {
    events.push(e)
    if (json) return
    if (e.type === 'step') out.line(`  ✓ ${e.step.name.padEnd(26)} ${ms(e.step.durationMs).padStart(8)}${e.step.detail ? `  ${e.step.detail}` : ''}`)
    if (e.type === 'check') out.line(`    ${ICON[e.check.status]} check ${e.check.name.padEnd(14)} ${e.check.detail}`)
  }
  let result: FlowResult
  try {
    // Loaded after arguments and config are checked: Playwright takes ~0.6 s to import.
    const { runWebServerFlow } = await import('../../flow/web-server-flow.js')
    result = await runWebServerFlow({
      target,
      timeoutMs: config.timeoutMs,
      headless: values.headed !== true && config.headless,
      browserPath: config.browserPath,
      ...(cli.browser === undefined ? {} : { browser: cli.browser }),
      decision: values.deny ? 'deny' : 'approve',
      onEvent,
      verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand },
      browserStateFile: config.browserStateFile,
      ...(rec === undefined ? {} : {
        onBrowserFailure: async (page: Page) => {
          // Taken as bytes and written by the safe writer: Playwright's own `path` follows symlinks.
          await writeFileAtomic(fileInDir(rec.dir, FAILURE_SCREENSHOT, '--record'), await page.screenshot())
          rec.screenshots.push(FAILURE_SCREENSHOT)
        },
      }),
    })
  } catch (err) {
    return await fail(err, label)
  } finally {
    await emulator?.close()
  }
  if (rec !== undefined) await saveTranscript(rec, events, undefined)
  if (values.save !== undefined) {
    await writeTokenFile(values.save, savedTokenSet(target, result.tokens))
  }
  const interop: InteropWritten = await writeInteropFiles({ sfdxUrl: values['sfdx-url'], postman: values.postman }, { ...target, ...result.tokens })
  const view = tokensView(result.tokens, values.reveal === true)
  if (json) {
    out.json({ ok: true, target: label, steps: result.steps, checks: result.checks, tokens: view, saved: values.save ?? null, interop, durationMs: Math.round(performance.now() - started) })
  } else {
    out.line(`  refresh token  ${view.refreshToken ?? '(none)'}`)
    out.line(`  access token   ${view.accessToken ?? ''}`)
    out.line(`  instance_url   ${view.instanceUrl}`)
    if (values.save !== undefined) out.line(`  saved to       ${values.save} (mode 0600)`)
    for (const l of interopLines(interop)) out.line(l)
    const warns = result.checks.filter((c) => c.status === 'warn').length
    out.line(`ok: ${result.checks.length} checks (${warns} warnings) in ${ms(performance.now() - started)}`)
  }
  return EXIT.OK
}

interface Recording {
  readonly dir: string
  readonly target: FlowTarget
  readonly screenshots: string[]
}

const FAILURE_SCREENSHOT = 'failure.png'

/** Write DIR/transcript.json: everything masked (src/record/mask.ts), written even when the run failed. */
async function saveTranscript(rec: Recording, events: FlowEvent[], err: unknown): Promise<void> {
  const t = rec.target
  const transcript = buildTranscript({
    known: { loginUrl: t.loginUrl, clientId: t.clientId, clientSecret: t.clientSecret, username: t.username, password: t.password },
    expectRefreshToken: scopeAsksForRefreshToken(t.scope),
    exchanges: events.flatMap((e) => (e.type === 'exchange' ? [e.exchange] : [])),
    pages: events.flatMap((e) => (e.type === 'page' ? [e.url] : [])),
    outcome: err === undefined ? { ok: true, code: undefined, message: undefined } : { ok: false, code: err instanceof HarnessError ? err.code : 'INTERNAL_ERROR', message: err instanceof Error ? err.message : 'unknown error' },
    screenshots: rec.screenshots,
  })
  const text = `${JSON.stringify(transcript, null, 2)}\n`
  // Masked already. Should anything credential-shaped but not a known fake be left, the redactor goes
  // over the whole file: a transcript that no longer replays beats one that leaks.
  await writeFileAtomic(fileInDir(rec.dir, TRANSCRIPT_FILE, '--record'), findCredentials(text).length === 0 ? text : redactor.text(text))
}

const stepsOf = (events: FlowEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.step] : []))
const checksOf = (events: FlowEvent[]) => events.flatMap((e) => (e.type === 'check' ? [e.check] : []))
