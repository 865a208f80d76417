/** `sf-oauth replay DIR`: the HTTP part of a `flow --record DIR` transcript, replayed offline through nock. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ERR, EXIT, exitCodeOf, UsageError } from '../../errors.js'
import { parseNockDefinitions, replayDefinitions, replayTranscript } from '../../record/replay.js'
import { parseTranscript, TRANSCRIPT_FILE, type Transcript } from '../../record/transcript.js'
import { parse } from '../args.js'
import { type Io, Printer } from '../output.js'

export const REPLAY_HELP = `Usage: sf-oauth replay DIR|FILE.json [--json]

Replays the HTTP exchanges of a transcript saved by sf-oauth flow --record DIR, offline: the network is
refused, nock gives each recorded answer (or time-out, or reset) again, and the harness checks them as in
the run. A recorded failure ends in the same error code and exit code, so it can be debugged offline.
FILE.json may also be a nock fixture written by sf-oauth record (npm run record).

Options:
  --json      print one JSON object: recorded and replayed outcome, each call's result
  -h, --help  this help`

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('replay', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true)
  const out = new Printer(io)
  if (values.help) {
    out.own(REPLAY_HELP)
    return EXIT.OK
  }
  const dir = positionals[0]
  if (dir === undefined || positionals.length > 1) throw new UsageError('replay: give exactly one directory, the one passed to sf-oauth flow --record')
  if (dir.endsWith('.json') && existsSync(dir) && statSync(dir).isFile()) return replayFixture(dir, values.json === true, out)
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
  if (!result.ok) {
    // Exit as the run did: the failure is reproduced, with its own code and the registry's exit code.
    const code = result.code ?? ERR.INTERNAL_ERROR
    out.error(`✗ ${code}: ${result.message ?? ''}`)
    return exitCodeOf(code)
  }
  return same ? EXIT.OK : EXIT.FAILED
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
