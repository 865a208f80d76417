/**
 * One HTTP exchange as text, like Postman's console: request line, headers and body, then status,
 * headers and body of the answer. Everything goes through the redactor: tokens, codes, verifiers,
 * secrets and Authorization headers appear only masked (`5Aep…(87 chars)`).
 */
import type { Exchange } from '../http/client.js'
import type { Redactor } from '../redact.js'

function body(text: string | undefined, contentType: string | undefined): string {
  if (text === undefined || text === '') return '  (empty)'
  let shown = text
  if (contentType?.includes('json') === true) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      // not JSON after all: shown as sent
    }
  } else if (contentType?.includes('x-www-form-urlencoded') === true) {
    // One parameter a line, still encoded, so the redactor's `name=value` rule sees each.
    shown = text.split('&').join('\n&')
  }
  const max = 8_000
  const cut = shown.length > max ? `${shown.slice(0, max)}\n… (${shown.length - max} more characters)` : shown
  return cut.split('\n').map((l) => `  ${l}`).join('\n')
}

const headerLines = (h: Readonly<Record<string, string>>) => Object.entries(h).map(([k, v]) => `  ${k}: ${v}`).join('\n') || '  (none)'

export function formatExchange(e: Exchange, r: Redactor): string {
  const status = e.response === undefined ? `failed: ${e.error ?? 'no answer'}` : `${e.response.status}`
  const lines = [
    `${e.request.method} ${e.request.url}`,
    `→ ${status} in ${Math.round(e.durationMs)} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
    '',
    'Request Headers',
    headerLines(e.request.headers),
    'Request Body',
    body(e.request.body, e.request.headers['content-type']),
  ]
  if (e.response !== undefined) {
    lines.push('', 'Response Headers', headerLines(e.response.headers), 'Response Body', body(e.response.body, e.response.headers['content-type']))
  }
  return `${r.text(lines.join('\n'))}\n`
}

/** A short attachment name: `http 03 POST /services/oauth2/token 200`. Paths carry no secret; queries may. */
export function exchangeTitle(e: Exchange, index: number): string {
  const path = new URL(e.request.url).pathname
  return `http ${String(index).padStart(2, '0')} ${e.request.method} ${path} ${e.response?.status ?? 'failed'}`
}
