/**
 * `sf-oauth exchange --pending FILE`: the second half of the copy-and-paste path. Reads the redirected
 * URL (or the bare code) from stdin, checks it answers FILE's authorize request, redeems the code with
 * FILE's verifier, runs every check of `flow`, prints and saves like `flow`, and deletes FILE.
 */
import { type CliConfig, processConfig } from '../cli-config.js'
import { loadConfig } from '../../config.js'
import { EXIT, UsageError } from '../../errors.js'
import { fromPending, pastedCallback, readPasted, redeem } from '../../flow/by-hand.js'
import { FlowLog } from '../../flow/code-flow.js'
import type { FlowEvent } from '../../flow/web-server-flow.js'
import { createHttp } from '../../http/client.js'
import { mask } from '../../redact.js'
import { deletePendingFile, readPendingFile } from '../../store/pending-file.js'
import { parse } from '../args.js'
import { checkOutputFiles, checkOutputsAgainst, eventPrinter, finishFlow, handTarget, printFailure, TOKEN_OUTPUT_HELP, TOKEN_OUTPUT_OPTIONS, tokenOutputs } from '../flow-outputs.js'
import { type Input, processInput } from '../input.js'
import { type Io, Printer } from '../output.js'

export const EXCHANGE_HELP = `Usage: sf-oauth exchange --pending FILE [options]

Reads the address the browser reached after Allow (SF_REDIRECT_URI?code=...&state=...), or the code
alone, from standard input: paste it at the prompt (hidden, like a password), or pipe it in. Never give
it as an argument: it would stay in the shell history. Then checks that its state is FILE's, sends the
code once with FILE's PKCE verifier, checks every field of the answer as sf-oauth flow does, prints and
saves the tokens, and deletes FILE (a code is redeemed once).

Options:
  --pending FILE written by sf-oauth authorize-url --pending FILE (at most 15 minutes ago)
  --json         print one JSON object (secrets masked) instead of the step list
  --reveal       print tokens unmasked (never in CI logs)
${TOKEN_OUTPUT_HELP}
  --debug        print stack traces
  -h, --help     this help

Exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage or config; 3 infrastructure.`

export async function exchangeCommand(argv: string[], io: Io, cli: CliConfig = processConfig(), input: Input = processInput, now: () => number = Date.now): Promise<number> {
  const { values } = parse('exchange', argv, {
    pending: { type: 'string' },
    ...TOKEN_OUTPUT_OPTIONS,
  })
  const out = new Printer(io, values.reveal === true)
  if (values.help) {
    out.own(EXCHANGE_HELP)
    return EXIT.OK
  }
  const json = values.json === true
  const outputs = tokenOutputs(values)
  const events: FlowEvent[] = []
  const started = performance.now()
  let label: string | null = null
  const file = values.pending
  try {
    if (file === undefined) throw new UsageError('exchange needs --pending FILE, the file authorize-url --pending FILE wrote')
    await checkOutputFiles(outputs)
    const config = loadConfig(cli.env, { person: true })
    const target = handTarget(config, 'exchange')
    await checkOutputsAgainst(outputs, target.scope, [{ flag: '--pending', path: file }])
    label = `org ${target.loginUrl}`
    const pending = await readPendingFile(file)
    if (!json) {
      out.line(`sf-oauth exchange → ${label}`)
      out.line(`  client ${mask(target.clientId)}, a person logged in, scope "${target.scope}", PKCE ${target.pkce ? 'on' : 'off'}`)
    }
    const rec = new FlowLog(eventPrinter(out, json, events))
    let request
    try {
      request = fromPending(pending, target, now(), rec, file)
    } catch (err) {
      // An expired authorization is of no use to anyone: its verifier goes.
      if ((err as { code?: unknown }).code === 'PENDING_EXPIRED') await deletePendingFile(file)
      throw err
    }
    const text = await input.read('Paste the address the browser reached after Allow (hidden), then Enter: ')
    const callback = pastedCallback(readPasted(text, target.redirectUri), request, target.redirectUri, file)
    // This URL answers FILE's request (its state, or a bare code): the authorization is over whatever
    // follows (a refusal, or the one sending of the code), so its verifier goes now.
    await deletePendingFile(file)
    const http = createHttp({ timeoutMs: config.timeoutMs, proxies: config.proxies, onExchange: (exchange) => rec.emit({ type: 'exchange', exchange }) })
    try {
      const result = await redeem({ target, request, callbackUrl: callback.url, bare: callback.bare, http, rec })
      return await finishFlow(out, { json, reveal: values.reveal === true, label, target: { ...target, username: result.username }, result, outputs, started })
    } finally {
      await http.close()
    }
  } catch (err) {
    printFailure(out, json, err, label, events, started)
    throw err
  }
}

