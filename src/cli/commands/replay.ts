/** `sf-oauth replay DIR`: the HTTP part of a `flow --record DIR` transcript, replayed offline through nock. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ERR, EXIT, exitCodeOf, UsageError, type ErrorCode } from '../../errors.js'
import { parseNockDefinitions, replayDefinitions, replayTranscript } from '../../record/replay.js'
import { parseTranscript, TRANSCRIPT_FILE, type Transcript } from '../../record/transcript.js'
import { HAR_FILE, parseHar, sourceOf } from '../../record/har.js'
import { intOption, parse } from '../args.js'
import { type Io, Printer } from '../output.js'

export const REPLAY_HELP = `Usage: sf-oauth replay DIR|FILE.har|FILE.json [--json] [--http-only] [--timeout MS]

Replays the HTTP exchanges of a transcript saved by sf-oauth flow --record DIR, offline: the network is
refused, nock gives each recorded answer (or time-out, or reset) again, and the harness checks them as in
the run. A recorded failure ends in the same error code and exit code, so it can be debugged offline.
FILE.json may also be a nock fixture written by sf-oauth record (npm run record).

With a HAR (FILE.har, or DIR/${HAR_FILE}, which --record writes), the browser part is replayed too: a
headless browser is served the recorded pages (nothing goes to the network) and the harness's state
machine walks them as in the run, then the HTTP part runs through nock. The HAR is masked, so requests
are matched by method, origin, path and parameter names, not by values.

Options:
  --json      print one JSON object: recorded and replayed outcome, each call's result
  --http-only replay DIR's transcript only, even when DIR has a HAR (no browser)
  --timeout MS how long the replayed browser waits for a page (default 5000)
  -h, --help  this help`

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('replay', argv, { json: { type: 'boolean' }, 'http-only': { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true)
  const out = new Printer(io)
  if (values.help) {
    out.own(REPLAY_HELP)
    return EXIT.OK
  }
  const dir = positionals[0]
  if (dir === undefined || positionals.length > 1) throw new UsageError('replay: give exactly one directory, the one passed to sf-oauth flow --record')
  if (dir.endsWith('.json') && existsSync(dir) && statSync(dir).isFile()) return replayFixture(dir, values.json === true, out)
  const timeoutMs = intOption('timeout', values.timeout, 100, 600_000) ?? 5_000
  if (dir.endsWith('.har')) return replayHarFile(dir, timeoutMs, values.json === true, out)
  if (values['http-only'] !== true && existsSync(join(dir, HAR_FILE))) return replayHarFile(join(dir, HAR_FILE), timeoutMs, values.json === true, out)
  const file = join(dir, TRANSCRIPT_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`replay: cannot read ${file} (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}): record one with sf-oauth flow --record ${dir}`)
  }
  // TRANSCRIPT_INVALID (exit 2) for anything but a well-formed transcript.
  const transcript: Transcript = parseTranscript(text, file)
  const result = await replayTranscript(transcript)
  const same = result.code === transcript.outcome.code
  if (values.json) {
    out.json({ recorded: transcript.outcome, replayed: { ok: result.ok, code: result.code ?? null, message: result.message ?? null }, reproduced: same, calls: result.calls, unused: result.unused })
  } else {
    out.line(`sf-oauth replay ${dir}: ${transcript.exchanges.length} recorded exchanges, ${transcript.pages.length} page URLs`)
    result.calls.forEach((c, i) => out.line(`  ${c === 'ok' ? '✓' : '✗'} call ${i + 1}  ${c}`))
    out.line(`  recorded ${transcript.outcome.code ?? 'ok'}, replayed ${result.code ?? 'ok'}: ${same ? 'reproduced' : 'NOT reproduced'}`)
    if (result.unused.length > 0) out.line(`  ${result.unused.length} recorded answers unused: ${result.unused.join(', ')}`)
  }
  return replayExit(out, result, same)
}

/** A nock fixture of `sf-oauth record`: every call answered as recorded; exit 0 when each was used. */
async function replayFixture(file: string, json: boolean, out: Printer): Promise<number> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`replay: cannot read ${file} (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}): record one with sf-oauth record`)
  }
  // NOCK_FIXTURE_INVALID (exit 2) for anything but well-formed nock definitions.
  const defs = parseNockDefinitions(text, file)
  const result = await replayDefinitions(defs)
  if (json) out.json({ file, calls: result.calls, unused: result.unused })
  else {
    out.line(`sf-oauth replay ${file}: ${defs.length} recorded calls`)
    result.calls.forEach((c, i) => out.line(`  ${c === 'ok' ? '✓' : '•'} call ${i + 1}  ${c}`))
    if (result.unused.length > 0) out.line(`  ${result.unused.length} recorded answers unused: ${result.unused.join(', ')}`)
  }
  return result.unused.length === 0 ? EXIT.OK : EXIT.FAILED
}

/** A HAR of flow --har / --record: the browser part in a headless browser, then the HTTP part. */
async function replayHarFile(file: string, timeoutMs: number, json: boolean, out: Printer): Promise<number> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`replay: cannot read ${file} (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}): record one with sf-oauth flow --har FILE`)
  }
  // HAR_INVALID (exit 2) for anything but a HAR of sf-oauth flow.
  const har = parseHar(text, file)
  const recorded = har.log._sfOauth.outcome
  // Loaded only here: Playwright takes ~0.6 s to import.
  const { replayHar } = await import('../../flow/har-replay.js')
  const result = await replayHar(har, { timeoutMs })
  const same = (result.code ?? undefined) === (recorded.code ?? undefined)
  const pages = har.log.entries.filter((e) => sourceOf(e) === 'browser').length
  if (json) {
    out.json({ recorded: { ok: recorded.ok, code: recorded.code ?? null }, replayed: { ok: result.ok, code: result.code ?? null, message: result.message ?? null }, reproduced: same, browser: result.browser, misses: result.misses, calls: result.calls, unused: result.unused, matching: 'method, origin, path and parameter names' })
  } else {
    out.line(`sf-oauth replay ${file}: ${pages} recorded browser requests, ${har.log.entries.length - pages} harness calls (matched by method, origin, path and parameter names)`)
    out.line(`  ${result.browser === 'ok' || result.browser === 'none' ? '✓' : '✗'} browser part  ${result.browser}`)
    result.calls.forEach((c, i) => out.line(`  ${c === 'ok' ? '✓' : '✗'} call ${i + 1}  ${c}`))
    out.line(`  recorded ${recorded.code ?? 'ok'}, replayed ${result.code ?? 'ok'}: ${same ? 'reproduced' : 'NOT reproduced'}`)
    if (result.misses.length > 0) out.line(`  ${result.misses.length} browser requests had no recorded answer: ${result.misses.join(', ')}`)
    if (result.unused.length > 0) out.line(`  ${result.unused.length} recorded answers unused: ${result.unused.join(', ')}`)
  }
  return replayExit(out, result, same)
}

/**
 * Exit as the run did: a failure is reproduced with its own code and the registry's exit code; a success
 * that differs from the recording is FAILED.
 */
function replayExit(out: Printer, result: { readonly ok: boolean; readonly code?: ErrorCode | undefined; readonly message?: string | undefined }, same: boolean): number {
  if (!result.ok) {
    const code = result.code ?? ERR.INTERNAL_ERROR
    out.error(`✗ ${code}: ${result.message ?? ''}`)
    return exitCodeOf(code)
  }
  return same ? EXIT.OK : EXIT.FAILED
}
