/**
 * `sf-oauth report`: the history (src/store/history.ts) as one static HTML page. No server, no CDN: styles,
 * the latency charts (inline SVG) and the filter script are in the page, so it works from file:// and as a
 * CI artifact. A Content-Security-Policy allows nothing but the page's own style and its one script (by
 * hash). The history is untrusted input: every text is redacted, sanitised and HTML-escaped here.
 */
import { createHash } from 'node:crypto'
import { ERRORS, isErrorCode } from '../error-registry.js'
import { redactor } from '../redact.js'
import { sanitiseLine } from '../sanitise.js'
import type { HistoryLine } from '../store/history.js'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
/** Text from the history file, ready for HTML. */
const text = (s: string, max = 500) => esc(sanitiseLine(redactor.text(s), max))

const STYLE = `
:root{--ok:#2e844a;--bad:#ba0517;--warn:#a96404;--muted:#5c5c5c;font-family:system-ui,sans-serif}
body{margin:0;background:#f3f3f3;color:#181818}
header{background:#032d60;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{padding:16px 24px;max-width:1100px}
.filters{margin:0 0 16px;display:flex;gap:8px}
.filters button{font:inherit;padding:6px 12px;border:1px solid #747474;border-radius:4px;background:#fff;cursor:pointer}
.filters button[aria-pressed=true]{background:#032d60;color:#fff}
.filters button:focus-visible{outline:3px solid #1b96ff;outline-offset:2px}
.target{background:#fff;border-radius:6px;padding:12px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0002}
.target h2{margin:0 0 8px;font-size:16px;display:flex;gap:8px;align-items:center}
.badge{font-size:12px;padding:2px 8px;border-radius:10px;color:#fff}
.badge.pass{background:var(--ok)}.badge.fail{background:var(--bad)}
.kind{color:var(--muted);font-weight:normal;font-size:13px}
.strip{display:flex;gap:2px;margin:4px 0 8px;flex-wrap:wrap}
.strip span{width:14px;height:22px;border-radius:2px;display:inline-block}
.strip .pass{background:var(--ok)}.strip .fail{background:var(--bad)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:4px 16px;font-size:13px;margin:0}
.facts dt{color:var(--muted)}.facts dd{margin:0 0 4px}
.error{border-left:4px solid var(--bad);background:#fef1ee;padding:6px 10px;margin:8px 0 0;font-size:13px}
.warn{color:var(--warn)}
svg{display:block}
.sr{position:absolute;left:-9999px}
`

/** Filters: without the script every target shows; with it, buttons toggle by status. */
const SCRIPT = `document.querySelectorAll('.filters button').forEach(function(b){b.addEventListener('click',function(){var f=b.getAttribute('data-filter');document.querySelectorAll('.filters button').forEach(function(o){o.setAttribute('aria-pressed',String(o===b))});document.querySelectorAll('.target').forEach(function(t){t.hidden=f!=='all'&&t.getAttribute('data-status')!==f})})})`

function duration(ms: number): string {
  const d = ms / 86_400_000
  return d >= 1 ? `${d.toFixed(1)} days` : `${(ms / 3_600_000).toFixed(1)} hours`
}

function chart(lines: readonly HistoryLine[]): string {
  const w = 320
  const h = 60
  const max = Math.max(1, ...lines.map((l) => l.durationMs))
  const step = lines.length > 1 ? w / (lines.length - 1) : 0
  const points = lines.map((l, i) => `${(i * step).toFixed(1)},${(h - (l.durationMs / max) * (h - 4) - 2).toFixed(1)}`).join(' ')
  const dots = lines.map((l, i) => `<circle cx="${(i * step).toFixed(1)}" cy="${(h - (l.durationMs / max) * (h - 4) - 2).toFixed(1)}" r="2.5" fill="${l.result === 'pass' ? '#2e844a' : '#ba0517'}"><title>${text(l.time)}: ${l.durationMs} ms</title></circle>`).join('')
  return `<svg width="${w + 6}" height="${h}" viewBox="-3 0 ${w + 6} ${h}" role="img" aria-label="latency of the last ${lines.length} runs, at most ${max} ms"><polyline points="${points}" fill="none" stroke="#0176d3" stroke-width="1.5"/>${dots}</svg>`
}

function targetSection(name: string, all: readonly HistoryLine[], runs: number): string {
  const lines = all.slice(-runs)
  const last = lines.at(-1) as HistoryLine
  const lastError = [...all].reverse().find((l) => l.error !== null)
  const strip = lines.map((l) => `<span class="${l.result}" title="${text(l.time)}: ${l.result}${l.error ? ` ${text(l.error.code, 80)}` : ''}" role="listitem" aria-label="${text(l.time)} ${l.result}"></span>`).join('')
  const f = last.forecast
  const soon = last.warnings.includes('TOKEN_EXPIRES_SOON')
  const expiry = f.expiresAt === null ? (f.policy === 'until-revoked' ? 'valid until revoked' : 'unknown (no refreshTokenPolicy)') : text(f.expiresAt, 40)
  const fix = lastError?.error ? (isErrorCode(lastError.error.code) ? ERRORS[lastError.error.code].fix : lastError.error.fix) : ''
  const error = lastError?.error
    ? `<div class="error" data-testid="last-error"><strong>${text(lastError.error.code, 80)}</strong> at ${text(lastError.time, 40)}${lastError === last ? '' : ' (since recovered)'}<br>${text(lastError.error.message)}<br><em>Fix:</em> ${text(fix)}</div>`
    : ''
  return `<section class="target" data-status="${last.result}" data-testid="target-${esc(name)}" aria-labelledby="t-${esc(name)}">
<h2 id="t-${esc(name)}">${esc(name)} <span class="kind">${text(last.kind, 20)}</span> <span class="badge ${last.result}">${last.result === 'pass' ? 'passing' : 'failing'}</span></h2>
<div class="strip" role="list" aria-label="last ${lines.length} runs, oldest first" data-testid="strip">${strip}</div>
${chart(lines)}
<dl class="facts">
<dt>last run</dt><dd>${text(last.time, 40)} (${last.durationMs} ms)</dd>
<dt>refresh token age</dt><dd>${last.tokenAgeMs === null ? 'unknown' : duration(last.tokenAgeMs)}</dd>
<dt>policy</dt><dd>${text(f.policy, 40)}</dd>
<dt>stops working</dt><dd class="${soon ? 'warn' : ''}" data-testid="expiry">${expiry}${soon ? ' ⚠ soon' : ''}</dd>
<dt>approvals in use</dt><dd>${f.approvalsInUse ?? '?'} of ${f.approvalsMax}</dd>
<dt>passed</dt><dd>${lines.filter((l) => l.result === 'pass').length} of the last ${lines.length} runs</dd>
</dl>
${error}
</section>`
}

export interface DashboardOptions {
  /** Runs per target in the strip and chart. */
  readonly runs: number
  readonly generatedAt: Date
}

export function dashboardHtml(history: readonly HistoryLine[], o: DashboardOptions): string {
  const byTarget = new Map<string, HistoryLine[]>()
  for (const l of history) if (/^[A-Za-z0-9._-]{1,64}$/.test(l.target)) byTarget.set(l.target, [...(byTarget.get(l.target) ?? []), l])
  const names = [...byTarget.keys()].sort()
  const failing = names.filter((n) => byTarget.get(n)?.at(-1)?.result === 'fail').length
  const hash = createHash('sha256').update(SCRIPT).digest('base64')
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`
  const sections = names.map((n) => targetSection(n, byTarget.get(n) ?? [], o.runs)).join('\n')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>sf-oauth check: ${failing} of ${names.length} failing</title><style>${STYLE}</style></head>
<body><header><h1>sf-oauth check</h1><p data-testid="summary">${names.length} targets, ${failing} failing now · ${history.length} checks in the history · generated ${esc(o.generatedAt.toISOString())}</p></header>
<main><div class="filters" role="group" aria-label="show targets"><button type="button" data-filter="all" aria-pressed="true">All (${names.length})</button><button type="button" data-filter="fail" aria-pressed="false">Failing (${failing})</button><button type="button" data-filter="pass" aria-pressed="false">Passing (${names.length - failing})</button></div>
${sections || '<p>No history yet: run sf-oauth check --history FILE.</p>'}
</main><script>${SCRIPT}</script></body></html>
`
}
