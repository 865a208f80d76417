/**
 * The emulator console: a small web page at /__emulator/ for QA who drive the emulator by hand. It shows
 * the behaviour switches, the clock, issued codes and tokens (masked, with their state), approvals per
 * user, the mailbox of emailed verification codes and the recent requests; its controls call the control
 * API (control.ts) with same-origin JSON, so the page is served only where that API would answer (same
 * refusal: controlRefusal) and cannot be framed (a framed console could be clicked by another site).
 * No framework, no CDN: one inline script, allowed by its hash in the page's Content-Security-Policy.
 */
import { createHash } from 'node:crypto'
import { FAULTS, type Behaviour } from '../behaviour.js'
import type { Emulator } from '../context.js'
import { escapeHtml as e, html, type Ctx } from '../http-util.js'

/** A prefix and the length: enough to tell tokens apart, never enough to use one. */
export function maskToken(v: string): string {
  return `${v.slice(0, 4)}…(${v.length} chars)`
}

/** Switches shown as selects: their values. Every boolean switch is a checkbox, whatever its name. */
const CHOICES: Readonly<Partial<Record<keyof Behaviour, readonly string[]>>> = {
  verification: ['none', 'email', 'totp'],
  loginMode: ['one-step', 'two-step'],
  fault: FAULTS,
  refreshUnavailable: ['never', 'once', 'always'],
  callbackState: ['echo', 'forged'],
}

/** Reads the controls and calls the control API; reloads to show the new state. */
const SCRIPT = `(function(){
function post(action,body){return fetch('/__emulator/'+action,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j.error||r.status);return j})}).then(function(){location.reload()},function(err){var s=document.getElementById('status');s.textContent='refused: '+err.message})}
document.querySelectorAll('input[type=checkbox][data-switch]').forEach(function(c){c.addEventListener('change',function(){var b={};b[c.getAttribute('data-switch')]=c.checked;post('configure',b)})});
document.querySelectorAll('select[data-switch]').forEach(function(s){s.addEventListener('change',function(){var b={};b[s.getAttribute('data-switch')]=s.value;post('configure',b)})});
var f=document.getElementById('fault-times');if(f)f.addEventListener('submit',function(ev){ev.preventDefault();post('configure',{faultTimes:Number(document.getElementById('faultTimes').value)})});
var c=document.getElementById('clock');if(c)c.addEventListener('submit',function(ev){ev.preventDefault();post('clock',{advanceMs:Number(document.getElementById('minutes').value)*60000})});
var r=document.getElementById('reset');if(r)r.addEventListener('click',function(){post('reset',{})});
})()`
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64')
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`

const STYLE = 'body{font-family:system-ui,sans-serif;margin:0;background:#f3f3f3;color:#181818}header{background:#032d60;color:#fff;padding:12px 20px}h1{margin:0;font-size:18px}main{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:12px;padding:12px 20px}section{background:#fff;border-radius:6px;padding:10px 14px;box-shadow:0 1px 2px #0002}h2{font-size:15px;margin:0 0 8px}label{display:block;margin:4px 0}table{border-collapse:collapse;font-size:12px;width:100%}td,th{text-align:left;padding:2px 6px;border-bottom:1px solid #e5e5e5}code{font-size:12px}:focus-visible{outline:3px solid #1b96ff;outline-offset:2px}#status{color:#ba0517}'

function table(head: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p>${e(empty)}</p>`
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

const iso = (ms: number) => new Date(ms).toISOString()
/** The newest `n` entries of an iterable, newest first. */
const newest = <T>(items: Iterable<T>, n: number): T[] => [...items].slice(-n).reverse()

function switches(b: Behaviour): string {
  const boxes = Object.entries(b).filter(([, v]) => typeof v === 'boolean').map(([k, v]) => `<label><input type="checkbox" data-switch="${e(k)}" id="sw-${e(k)}"${v === true ? ' checked' : ''}> ${e(k)}</label>`).join('')
  const selects = Object.entries(CHOICES).map(([k, values]) => `<label for="sw-${e(k)}">${e(k)}</label><select id="sw-${e(k)}" data-switch="${e(k)}">${values.map((v) => `<option${b[k as keyof Behaviour] === v ? ' selected' : ''}>${e(v)}</option>`).join('')}</select>`).join('')
  const fault = `<form id="fault-times"><label for="faultTimes">fault applies to the next N requests (0: every one); now ${b.faultTimes}, on ${e(b.faultPaths.join(', '))}</label><input id="faultTimes" type="number" min="0" value="${b.faultTimes}"> <button type="submit">Set</button></form>`
  return `<section aria-labelledby="h-switches"><h2 id="h-switches">Switches</h2>${boxes}${selects}${fault}<p><button type="button" id="reset">Reset everything</button></p></section>`
}

export function consolePage(ctx: Ctx, em: Emulator): void {
  const { state, clock } = em
  const now = clock.now()
  const b = em.behaviour()
  const ended = newest(state.ended, 40)
  const codes = [
    ...newest(state.codes, 20).map(([code, c]) => [`<code>${e(maskToken(code))}</code>`, e(c.username), 'live', e(iso(c.expiresAt))]),
    ...ended.filter((x) => x.kind === 'code').map((x) => [`<code>${e(x.masked)}</code>`, e(x.username), x.state, e(iso(x.at))]),
  ]
  const refresh = [
    ...newest(state.refreshTokens, 20).map(([t, r]) => [`<code>${e(maskToken(t))}</code>`, 'refresh', e(r.username), 'live', e(iso(r.lastUsedAt))]),
    ...newest(state.retired, 10).map(([t, r]) => [`<code>${e(maskToken(t))}</code>`, 'refresh', e(r.username), 'used (rotated)', e(iso(r.lastUsedAt))]),
    ...newest(state.accessTokens, 20).map(([t, r]) => [`<code>${e(maskToken(t))}</code>`, 'access', e(r.username), 'live', e(iso(r.issuedAt))]),
    ...ended.filter((x) => x.kind !== 'code').map((x) => [`<code>${e(x.masked)}</code>`, x.kind, e(x.username), x.state, e(iso(x.at))]),
  ]
  const perUser = new Map<string, number>()
  for (const r of state.refreshTokens.values()) perUser.set(`${r.username} ${r.clientId}`, (perUser.get(`${r.username} ${r.clientId}`) ?? 0) + 1)
  const approvals = [...state.approvals].map(([key, scopes]) => {
    const [user = '', clientId = ''] = key.split(' ')
    return [e(user), `<code>${e(maskToken(clientId))}</code>`, e(scopes), `${perUser.get(key) ?? 0} of ${b.maxApprovals}`]
  })
  const mail = newest(state.mailbox, 10).map((m) => [e(m.to), `<code>${e(m.code)}</code>`])
  const log = newest(state.requests, 50).map((r) => [e(iso(r.at)), e(r.method), `<code>${e(r.path)}</code>`, String(r.status)])
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Emulator console</title><style>${STYLE}</style></head><body>
<header><h1>sf-oauth emulator console</h1><p id="status" role="status" aria-live="polite"></p></header><main>
${switches(b)}
<section aria-labelledby="h-clock"><h2 id="h-clock">Clock</h2><p>Emulator time: <time id="now">${e(iso(now))}</time></p><form id="clock"><label for="minutes">Advance by minutes</label><input id="minutes" type="number" value="60"> <button type="submit">Advance</button></form></section>
<section aria-labelledby="h-tokens"><h2 id="h-tokens">Codes and tokens (masked)</h2>${table(['code', 'user', 'state', 'expires / ended'], codes, 'No codes.')}${table(['token', 'kind', 'user', 'state', 'last used / issued / ended'], refresh, 'No tokens.')}</section>
<section aria-labelledby="h-approvals"><h2 id="h-approvals">Approvals per user and app</h2>${table(['user', 'app', 'scopes', 'refresh tokens'], approvals, 'No approvals.')}</section>
<section aria-labelledby="h-mail"><h2 id="h-mail">Mailbox (emailed verification codes)</h2>${table(['to', 'code'], mail, 'No mail.')}</section>
<section aria-labelledby="h-log"><h2 id="h-log">Recent requests</h2>${table(['time', 'method', 'path', 'status'], log, 'No requests yet.')}</section>
</main><script>${SCRIPT}</script></body></html>`
  html(ctx, 200, body, { 'content-security-policy': CSP, 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
}
