/** `sf-oauth report --history FILE --out DIR`: the check history as a static HTML dashboard (DIR/index.html). */
import { EXIT, UsageError } from '../../errors.js'
import { dashboardHtml } from '../../report/dashboard.js'
import { assertOutputDir, fileInDir, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { readHistory } from '../../store/history.js'
import { intOption, parse } from '../args.js'
import { type Io, Printer } from '../output.js'

export const REPORT_HELP = `Usage: sf-oauth report --history FILE --out DIR [--runs N]

Writes DIR/index.html from the history of sf-oauth check --history FILE: per target a status strip of the
last N runs (default 30), a latency chart, the refresh token's age and expiry forecast, approvals in use,
the last error with its fix, and filters by status. One self-contained file (no server, no CDN): open it
from disk or publish it as a CI artifact. See docs/monitoring.md.`

export async function reportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse('report', argv, {
    history: { type: 'string' },
    out: { type: 'string' },
    runs: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  const out = new Printer(io)
  if (values.help) {
    out.own(REPORT_HELP)
    return EXIT.OK
  }
  if (values.history === undefined || values.out === undefined) throw new UsageError('report needs --history FILE and --out DIR: see sf-oauth report --help')
  const runs = intOption('runs', values.runs, 1, 365) ?? 30
  await assertOutputDir(values.out, '--out')
  const history = await readHistory(values.history)
  if (history.length === 0) throw new UsageError(`--history ${values.history} holds no history line: run sf-oauth check --history ${values.history} first`)
  await makeOutputDir(values.out, '--out')
  const file = fileInDir(values.out, 'index.html', '--out')
  await writeFileAtomic(file, dashboardHtml(history, { runs, generatedAt: new Date() }), 0o644)
  const targets = new Set(history.map((l) => l.target)).size
  out.line(`dashboard: ${file} (${targets} targets, ${history.length} checks)`)
  return EXIT.OK
}
