/**
 * `sf-oauth login`: the web server flow with the person at their own browser. Listens on the redirect
 * URI's loopback port, opens the authorize URL (the system's browser, --open-with CMD, or just prints it),
 * waits for the callback, then exchanges and checks exactly as `flow` does. No Playwright, no password.
 */
import { type CliConfig, processConfig } from '../cli-config.js'
import { loadConfig } from '../../config.js'
import { EXIT, HarnessError, UsageError } from '../../errors.js'
import { platformOpener, splitCommand } from '../../browser/open-url.js'
import { runLogin } from '../../flow/by-hand.js'
import type { FlowEvent } from '../../flow/web-server-flow.js'
import { isLoopbackHost } from '../../oauth/hosts.js'
import { mask } from '../../redact.js'
import { parse } from '../args.js'
import { checkOutputFiles, checkOutputsAgainst, eventPrinter, finishFlow, handTarget, printFailure, TOKEN_OUTPUT_HELP, TOKEN_OUTPUT_OPTIONS, tokenOutputs } from '../flow-outputs.js'
import { type Io, Printer } from '../output.js'

export const LOGIN_HELP = `Usage: sf-oauth login [options]

Log in yourself, in your own browser, however your org asks (SSO, MFA, a passkey, a security key):
sf-oauth builds the authorize URL (state, PKCE S256, SF_SCOPE), listens on the port of SF_REDIRECT_URI
(an http://localhost Callback URL of the app), opens the URL in the system's browser, waits for the
redirect, then exchanges the code and checks every field of the answer as sf-oauth flow does.
Needs SF_LOGIN_URL and SF_CLIENT_ID (and SF_CLIENT_SECRET if the app requires it), never a password.
If nothing can listen on the redirect URI (port 80, another machine, https), use
sf-oauth authorize-url --pending FILE and sf-oauth exchange --pending FILE instead.

Options:
  --open-with CMD  open the URL with CMD instead (the URL is its last argument; quotes group words)
  --no-open        only print the URL; open it yourself
  --wait TIME      how long to wait for the browser to reach the callback: 300, 90s, 5m (default 5m)
  --json           print one JSON object (secrets masked) instead of the step list
  --reveal         print tokens unmasked (never in CI logs)
${TOKEN_OUTPUT_HELP}
  --debug          print stack traces
  -h, --help       this help

Exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage or config; 3 infrastructure.`

const DEFAULT_WAIT_MS = 5 * 60_000

/** `300` and `300s` are seconds, `5m` minutes; from 1 s to 1 hour. */
export function parseWait(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_WAIT_MS
  const m = /^(\d{1,5})(s|m)?$/.exec(raw.trim())
  const ms = m === null ? NaN : Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000)
  if (!(ms >= 1000 && ms <= 3_600_000)) throw new UsageError(`--wait is "${raw}": use seconds or minutes from 1s to 60m, e.g. 90s or 5m`)
  return ms
}

export async function loginCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('login', argv, {
    'open-with': { type: 'string' },
    'no-open': { type: 'boolean' },
    wait: { type: 'string' },
    ...TOKEN_OUTPUT_OPTIONS,
  })
  const out = new Printer(io, values.reveal === true)
  if (values.help) {
    out.own(LOGIN_HELP)
    return EXIT.OK
  }
  const json = values.json === true
  const outputs = tokenOutputs(values)
  const events: FlowEvent[] = []
  const started = performance.now()
  let label: string | null = null
  try {
    if (values['open-with'] !== undefined && values['no-open'] === true) throw new UsageError('--open-with and --no-open exclude each other: give one')
    const openWith = values['open-with'] === undefined ? undefined : splitCommand(values['open-with'])
    if (values['open-with'] !== undefined && openWith === undefined) throw new UsageError(`--open-with "${values['open-with']}" is empty or leaves a quote open: give a command, e.g. --open-with "firefox --private-window"`)
    const waitMs = parseWait(values.wait)
    await checkOutputFiles(outputs)
    const config = loadConfig(cli.env, { person: true })
    const target = handTarget(config, 'login')
    const redirect = new URL(target.redirectUri)
    if (redirect.protocol !== 'http:' || !isLoopbackHost(redirect.hostname)) {
      throw new HarnessError('LOGIN_NEEDS_LOOPBACK', `sf-oauth login listens for the callback on this machine, and SF_REDIRECT_URI ${redirect.origin}${redirect.pathname} is not http://localhost (127.0.0.1, [::1]): paste the URL instead with sf-oauth authorize-url --pending FILE, then sf-oauth exchange --pending FILE`)
    }
    await checkOutputsAgainst(outputs, target.scope)
    label = `org ${target.loginUrl}`
    if (!json) {
      out.line(`sf-oauth login → ${label}`)
      out.line(`  client ${mask(target.clientId)}, you log in, scope "${target.scope}", PKCE ${target.pkce ? 'on' : 'off'}`)
    }
    const platform = platformOpener()
    const say = (text: string) => (json ? out.error(text) : out.line(text))
    const result = await runLogin({
      target,
      timeoutMs: config.timeoutMs,
      proxies: config.proxies,
      waitMs,
      opener: values['no-open'] === true ? undefined : openWith !== undefined ? { argv: openWith, verbatim: false, explicit: true } : { ...platform, explicit: false },
      onUrl: (url) => {
        say(`  Open this URL in a browser if none opens, log in and click Allow (waiting ${Math.round(waitMs / 1000)} s):`)
        say(`  ${url}`)
      },
      onNote: (text) => out.error(`  ! ${text}`),
      onEvent: eventPrinter(out, json, events),
    })
    return await finishFlow(out, { json, reveal: values.reveal === true, label, target: { ...target, username: result.username }, result, outputs, started })
  } catch (err) {
    printFailure(out, json, err, label, events, started)
    throw err
  }
}
