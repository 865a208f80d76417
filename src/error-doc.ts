/**
 * docs/errors.md, rendered from the error registry (src/error-registry.ts) and the Salesforce error
 * mapping (src/oauth/error-codes.ts). Written by `npm run docs:errors` (scripts/gen-errors-doc.mjs);
 * tests/errors/registry.spec.ts fails when the committed file differs from this rendering.
 */
import { type ErrorClass, type ErrorCode, ERRORS, type SourceKey, type SourceRef, SOURCES, WARNINGS } from './error-registry.js'
import { AUTHORIZE_RULES, type ErrorRule, TOKEN_RULES } from './oauth/error-codes.js'

export const ERRORS_DOC_PATH = 'docs/errors.md'

/** Classes in the order the page shows them, with what they stand for. */
const CLASSES: readonly (readonly [ErrorClass, string])[] = [
  ['ConfigError', 'Bad configuration, reported all at once: every problem is listed with its variable and its fix (`cause` holds the list).'],
  ['UsageError', 'A bad command line or an input/output path that cannot be used.'],
  ['TokenFileError', 'A saved token file that must not be used: it is input, held to the rules ssh holds a private key to.'],
  ['OutputSymlinkError', 'An output path that is a symbolic link.'],
  ['AuthorizationError', 'The authorize step ended in an error: a redirect with `?error=`, a plain-text answer, or Salesforce\'s error page. `error` and `errorDescription` hold what Salesforce sent.'],
  ['TokenEndpointError', 'The token endpoint (or revoke, introspect) answered an OAuth error body. `status`, `error` and `errorDescription` hold what it sent; `cause` the masked answer.'],
  ['ResponseValidationError', 'An answer that is not what Salesforce sends, or a callback that is not the answer to this flow.'],
  ['BrowserFlowError', 'The browser part of the flow: login refused, identity verification, a flow that never reaches the callback.'],
  ['InfraError', 'Infrastructure: network, time-outs, browser, ports, locks.'],
  ['HarnessError', 'Thrown as the base class, for rules that fit none of the others.'],
  ['Error', 'Any exception that is not a HarnessError is reported as this code.'],
]

const RULES: readonly ErrorRule<ErrorCode>[] = [...TOKEN_RULES, ...AUTHORIZE_RULES]

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ')
}

function sourceCell(ref: SourceRef): string {
  const [key, section] = ref.split(' §') as [SourceKey, string | undefined]
  const s = SOURCES[key]
  const label = section === undefined ? s.label : `${s.label} §${section}`
  if (s.url === undefined) return label
  const anchor = section !== undefined && key.startsWith('RFC ') ? `#section-${section}` : ''
  return `[${label}](${s.url}${anchor})`
}

/** What Salesforce sends for a code mapped from its answer: `invalid_grant` "expired authorization code". */
function salesforceCell(code: ErrorCode): string {
  const rules = RULES.filter((r) => r.code === code)
  if (code === 'TOKEN_ERROR_UNKNOWN' || code === 'AUTHORIZE_ERROR_UNKNOWN') return 'any other `error`'
  return rules.map((r) => `\`${r.error}\`${r.description === undefined ? '' : ` "${cell(r.description)}…"`}`).join(', ')
}

export function renderErrorsDoc(): string {
  const codes = Object.keys(ERRORS) as ErrorCode[]
  const out: string[] = [
    '# Error codes',
    '',
    '<!-- Generated from src/error-registry.ts by `npm run docs:errors`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'Every failure the harness reports has a stable code (printed as `✗ CODE: message`, and as `error.code` with',
    '`--json`), a one-line message naming the field and the fix, and masked evidence as `cause` (`--debug`).',
    'Tests assert on the code. The exit code belongs to the code, set in the registry only (no throw site chooses it).',
    '',
    '| exit | means |',
    '| --- | --- |',
    '| 0 | success |',
    '| 1 | a check failed, or Salesforce refused |',
    '| 2 | usage or configuration: the fix is yours |',
    '| 3 | infrastructure: network, browser, ports, locks, or a bug (`INTERNAL_ERROR`) |',
    '',
    `${codes.length} codes. Codes mapped from a Salesforce answer (\`AUTHORIZE_*\`, \`TOKEN_*\`) come from a closed list: an`,
    '`error` the harness does not list becomes `AUTHORIZE_ERROR_UNKNOWN` or `TOKEN_ERROR_UNKNOWN`, with the raw',
    'error in the message and the cause.',
    '',
  ]
  for (const [cls, about] of CLASSES) {
    const mine = codes.filter((c) => ERRORS[c].class === cls)
    if (mine.length === 0) continue
    const mapped = mine.some((c) => RULES.some((r) => r.code === c))
    out.push(`## ${cls}`, '', about, '')
    out.push(mapped ? '| code | exit | Salesforce sends | meaning | fix | source |' : '| code | exit | meaning | fix | source |')
    out.push(mapped ? '| --- | --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- | --- |')
    for (const c of mine) {
      const e = ERRORS[c]
      const sf = mapped ? ` ${salesforceCell(c) || '—'} |` : ''
      out.push(`| \`${c}\` | ${e.exit} |${sf} ${cell(e.meaning)} | ${cell(e.fix)} | ${sourceCell(e.source)} |`)
    }
    out.push('')
  }
  out.push('## Warnings', '', 'Findings that do not fail the run: printed with `!`, and listed under `warnings` with `--json`.', '')
  out.push('| code | meaning | fix | source |', '| --- | --- | --- | --- |')
  for (const [c, w] of Object.entries(WARNINGS)) out.push(`| \`${c}\` | ${cell(w.meaning)} | ${cell(w.fix)} | ${sourceCell(w.source)} |`)
  out.push('', '## Sources', '')
  for (const s of Object.values(SOURCES)) out.push(`- ${s.url === undefined ? `**${s.label}**: ${s.title}` : `[${s.label}](${s.url}): ${s.title}`}`)
  return `${out.join('\n')}\n`
}
