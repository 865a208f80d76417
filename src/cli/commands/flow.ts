/** `sf-oauth flow`: the whole web server flow, printed step by step, against the emulator or an org. */
import { loadConfig, type HarnessConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import type { Page } from 'playwright'
import { EXIT, HarnessError, UsageError } from '../../errors.js'
import { findCredentials } from '../../record/credential-check.js'
import { buildTranscript, TRANSCRIPT_FILE } from '../../record/transcript.js'
import { buildHar, HAR_FILE, type TimedExchange } from '../../record/har.js'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Har } from 'har-format'
import type { FlowEvent, FlowResult } from '../../flow/web-server-flow.js'
import { mask, redactor } from '../../redact.js'
import { assertNoLinkAt, assertOutputDir, assertWritableTarget, fileInDir, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import type { FlowTarget } from '../../targets/flow-target.js'
import { resolveTarget, type ResolvedTarget } from '../../targets/resolve.js'
import { parse } from '../args.js'
import { checkOutputFiles, checkOutputsAgainst, eventPrinter, finishFlow, printFailure, TOKEN_OUTPUT_HELP, TOKEN_OUTPUT_OPTIONS, tokenOutputs } from '../flow-outputs.js'
import { errorJson, type Io, Printer } from '../output.js'
import { scopeAsksForRefreshToken } from '../../oauth/token-request.js'
import { readPasskeyFile, writePasskeyFile } from '../../store/passkey-file.js'
import type { WebAuthnCredential } from '../../browser/passkey.js'

export const FLOW_HELP = `Usage: sf-oauth flow [options]

Runs the OAuth 2.0 web server flow in a headless browser: authorize URL, login, "Allow Access?",
redirect, code, token POST, and checks every field of the answer. Without SF_LOGIN_URL it starts the
embedded Salesforce emulator; with SF_LOGIN_URL (in .env or the environment) it runs against that org.

Options:
  --json         print one JSON object (secrets masked) instead of the step list
  --reveal       print tokens unmasked (never in CI logs)
${TOKEN_OUTPUT_HELP}
  --headed       show the browser, and catch the redirect with a loopback server too
  --deny         click Deny on "Allow Access?" (checks the access_denied path; exits 1)
  --record DIR   save a masked transcript of the run in DIR (every HTTP exchange, the page URLs, a
                 screenshot and the page's form fields by name on failure) and DIR/${HAR_FILE}, also when
                 it fails; replay it offline with sf-oauth replay DIR
  --har FILE     write a masked HTTP Archive 1.2 of the run: every browser page and redirect hop and
                 the harness's own calls (secrets and cookies as FAKE); opens in Chrome DevTools
  --debug        print stack traces
  -h, --help     this help

Exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage or config; 3 infrastructure.`

/** How long a person at the headed browser has for login and identity verification. */
const PERSON_WAIT_MS = 5 * 60_000

export async function flowCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('flow', argv, {
    ...TOKEN_OUTPUT_OPTIONS,
    headed: { type: 'boolean' },
    deny: { type: 'boolean' },
    record: { type: 'string' },
    har: { type: 'string' },
  })
  const out = new Printer(io, values.reveal === true)
  if (values.help) {
    out.own(FLOW_HELP)
    return EXIT.OK
  }
  const json = values.json === true
  const outputs = tokenOutputs(values)
  const started = performance.now()
  const events: FlowEvent[] = []
  // With --json, every outcome is one JSON object on stdout, failures included.
  // Set once the target is known; a failure before that (config, usage) has nothing to record.
  let recording: Recording | undefined
  let harRun: HarRecording | undefined
  const fail = async (err: unknown, label: string | null): Promise<never> => {
    if (harRun !== undefined) await saveHar(harRun, err).catch((e: unknown) => out.error(`! HAR not written to ${harRun?.files.join(', ') ?? ''}: ${errorJson(e).code}: ${errorJson(e).message}`))
    if (recording !== undefined) {
      // The run's own error is what the user needs; a transcript that cannot be written is a note beside it.
      await saveTranscript(recording, events, err).catch((e: unknown) => out.error(`! transcript not written to ${recording?.dir ?? ''}: ${errorJson(e).code}: ${errorJson(e).message}`))
    }
    printFailure(out, json, err, label, events, started)
    throw err
  }
  let config: HarnessConfig
  let person = false
  let resolved: ResolvedTarget
  let passkey: WebAuthnCredential | undefined
  try {
    if (values.save !== undefined && values.deny) throw new UsageError('--save and --deny exclude each other: a denied flow has no tokens to save')
    if ((values['sfdx-url'] !== undefined || values.postman !== undefined) && values.deny) throw new UsageError('--sfdx-url/--postman and --deny exclude each other: a denied flow has no tokens')
    await checkOutputFiles(outputs)
    const recordFiles = values.record === undefined ? [] : [fileInDir(values.record, TRANSCRIPT_FILE, '--record'), fileInDir(values.record, FAILURE_SCREENSHOT, '--record'), fileInDir(values.record, FAILURE_PAGE, '--record'), fileInDir(values.record, HAR_FILE, '--record')]
    if (values.har !== undefined) await assertWritableTarget(values.har, '--har')
    if (values.record !== undefined) await assertOutputDir(values.record, '--record')
    for (const f of recordFiles) await assertNoLinkAt(f, '--record')
    const loaded = values.headed === true ? loadConfig(cli.env, { person: true }) : loadConfig(cli.env)
    // No SF_USERNAME/SF_PASSWORD (headed only): the person at the browser logs in.
    person = loaded.kind === 'org' && (loaded.username === undefined || loaded.password === undefined)
    config = person ? { ...(loaded as HarnessConfig), username: loaded.username ?? '', password: loaded.password ?? '' } : (loaded as HarnessConfig)
    // Every output is checked before the browser starts: a failure after the flow would lose the tokens.
    if (config.browserStateFile !== undefined) await assertWritableTarget(config.browserStateFile, 'SF_BROWSER_STATE')
    await checkOutputsAgainst(outputs, config.scope, [
      { flag: 'SF_BROWSER_STATE', path: config.browserStateFile },
      ...recordFiles.map((path) => ({ flag: '--record', path })),
      { flag: '--har', path: values.har },
    ])
    if (values.record !== undefined) await makeOutputDir(values.record, '--record')
    if (config.passkeyFile !== undefined) passkey = await readPasskeyFile(config.passkeyFile)
    resolved = await resolveTarget(config)
  } catch (err) {
    return fail(err, null)
  }
  const { target, label, emulator } = resolved
  if (values.record !== undefined) recording = { dir: values.record, target, screenshots: [] }
  const harFiles = [...(values.har === undefined ? [] : [values.har]), ...(values.record === undefined ? [] : [fileInDir(values.record, HAR_FILE, '--record')])]
  // Playwright writes the raw HAR (secrets and all) into a private directory; only the masked one leaves it.
  if (harFiles.length > 0) harRun = { files: harFiles, target, raw: join(await mkdtemp(join(tmpdir(), 'sf-oauth-har-')), 'raw.har'), exchanges: [] }
  const harRec = harRun
  const rec = recording
  if (!json) {
    out.line(`sf-oauth flow → ${label}`)
    if (person) out.line('  No SF_USERNAME/SF_PASSWORD: log in yourself in the browser window (any method); the harness takes over at the callback.')
    out.line(`  client ${mask(target.clientId)}, user ${person ? '(you, at the browser)' : target.username}, scope "${target.scope}", PKCE ${target.pkce ? 'on' : 'off'}`)
  }
  const print = eventPrinter(out, json, events)
  const onEvent = (e: FlowEvent) => {
    if (e.type === 'exchange') harRec?.exchanges.push({ exchange: e.exchange, endedAt: Date.now() })
    print(e)
  }
  let result: FlowResult
  try {
    // Loaded after arguments and config are checked: Playwright takes ~0.6 s to import.
    const { runWebServerFlow } = await import('../../flow/web-server-flow.js')
    result = await runWebServerFlow({
      target,
      timeoutMs: config.timeoutMs,
      proxies: config.proxies,
      headless: values.headed !== true && config.headless,
      browserPath: config.browserPath,
      ...(cli.browser === undefined ? {} : { browser: cli.browser }),
      decision: values.deny ? 'deny' : 'approve',
      onEvent,
      verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand },
      browserStateFile: config.browserStateFile,
      ...(person ? { person: { waitMs: PERSON_WAIT_MS } } : {}),
      ...(harRec === undefined ? {} : { har: harRec.raw }),
      ...(passkey === undefined || config.passkeyFile === undefined ? {} : {
        // The authenticator's new sign count goes back to the file at once, also when the flow fails later.
        passkey: { credential: passkey, onSignCount: (signCount: number) => writePasskeyFile(config.passkeyFile ?? '', { ...passkey, signCount }) },
      }),
      ...(rec === undefined ? {} : {
        onBrowserFailure: async (page: Page) => {
          // Taken as bytes and written by the safe writer: Playwright's own `path` follows symlinks.
          await writeFileAtomic(fileInDir(rec.dir, FAILURE_SCREENSHOT, '--record'), await page.screenshot())
          rec.screenshots.push(FAILURE_SCREENSHOT)
          // The page's title, path and form fields by name (never values): what stopped the flow.
          const { describePage } = await import('../../browser/pages/recognise.js')
          await writeFileAtomic(fileInDir(rec.dir, FAILURE_PAGE, '--record'), `${JSON.stringify(await describePage(page), null, 2)}\n`)
        },
      }),
    })
  } catch (err) {
    return await fail(err, label)
  } finally {
    await emulator?.close()
  }
  if (rec !== undefined) await saveTranscript(rec, events, undefined)
  if (harRec !== undefined) await saveHar(harRec, undefined)
  return finishFlow(out, { json, reveal: values.reveal === true, label, target, result, outputs, started })
}

interface Recording {
  readonly dir: string
  readonly target: FlowTarget
  readonly screenshots: string[]
}

const FAILURE_SCREENSHOT = 'failure.png'
const FAILURE_PAGE = 'failure-page.json'

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

interface HarRecording {
  readonly files: readonly string[]
  readonly target: FlowTarget
  /** Playwright's raw HAR, in a private temporary directory: removed once masked. */
  readonly raw: string
  readonly exchanges: TimedExchange[]
}

/** Mask the browser's HAR, add the harness's calls, write it to each target; the raw HAR is removed. */
async function saveHar(h: HarRecording, err: unknown): Promise<void> {
  const t = h.target
  try {
    const browser = await readFile(h.raw, 'utf8').then((text) => JSON.parse(text) as Har, () => undefined)
    const har = buildHar({
      known: { loginUrl: t.loginUrl, clientId: t.clientId, clientSecret: t.clientSecret, username: t.username, password: t.password },
      browser,
      exchanges: h.exchanges,
      outcome: err === undefined ? { ok: true, code: undefined } : { ok: false, code: err instanceof HarnessError ? err.code : 'INTERNAL_ERROR' },
      expectRefreshToken: scopeAsksForRefreshToken(t.scope),
    })
    const text = `${JSON.stringify(har, null, 2)}\n`
    // As for the transcript: anything credential-shaped left that is no known fake, the redactor takes.
    const safe = findCredentials(text).length === 0 ? text : redactor.text(text)
    for (const f of h.files) await writeFileAtomic(f, safe)
  } finally {
    await rm(join(h.raw, '..'), { recursive: true, force: true })
  }
}
