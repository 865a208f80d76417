/**
 * Salesforce's other token answer formats, asked for with `format=` (SF_TOKEN_FORMAT): `urlencoded`
 * (a form) and `xml` (`<OAuth>` with one element per field), besides the default JSON (Salesforce Help,
 * "OAuth 2.0 Web Server Flow for Web App Integration", request parameters; docs/salesforce-oauth.md §2.1).
 * Both are flat, so they are read strictly here rather than by a general parser: anything but that
 * flat shape is refused, as a check should.
 */
import { ResponseValidationError } from '../errors.js'
import type { RawResponse } from './types.js'

export type TokenFormat = 'json' | 'xml' | 'urlencoded'
export const TOKEN_FORMATS: readonly TokenFormat[] = ['json', 'xml', 'urlencoded']

const TYPES: Record<TokenFormat, RegExp> = {
  json: /^application\/(?:[\w.+-]+\+)?json\b/i,
  xml: /^(?:application|text)\/xml\b/i,
  urlencoded: /^application\/x-www-form-urlencoded\b/i,
}

/** Which format a content type is, if any of the three. */
export function formatOfContentType(contentType: string | undefined): TokenFormat | undefined {
  return TOKEN_FORMATS.find((f) => TYPES[f].test(contentType ?? ''))
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeXml(s: string): string | undefined {
  // A bare "&" (not an entity) is not well-formed XML.
  let ok = !/&(?!(?:#x[0-9a-f]{1,6}|#\d{1,7}|\w+);)/i.test(s)
  const out = s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|\w+);/gi, (_, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10))
    const v = ENTITIES[e]
    if (v === undefined) ok = false
    return v ?? ''
  })
  return ok ? out : undefined
}

/** `<?xml …?><OAuth><k>v</k>…</OAuth>` → {k: v}; undefined when it is not exactly that shape. */
export function parseFlatXml(body: string, root = 'OAuth'): Record<string, string> | undefined {
  const m = new RegExp(`^\\s*(?:<\\?xml[^>]*\\?>)?\\s*<${root}(?:\\s[^>]*)?>([\\s\\S]*)</${root}>\\s*$`).exec(body)
  if (!m) return undefined
  const out: Record<string, string> = {}
  let rest = (m[1] ?? '').trim()
  while (rest !== '') {
    const el = /^<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>\s*/.exec(rest) ?? /^<([A-Za-z_][\w.-]*)\/>\s*/.exec(rest)
    if (!el?.[1] || Object.hasOwn(out, el[1])) return undefined
    const value = decodeXml(el[2] ?? '')
    if (value === undefined) return undefined
    out[el[1]] = value
    rest = rest.slice(el[0].length)
  }
  return out
}

/** A form body → {k: v}; undefined when a key repeats (an answer has each field once). */
export function parseForm(body: string): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(body.trim())) {
    if (Object.hasOwn(out, k)) return undefined
    out[k] = v
  }
  return out
}

/** The body of an xml or urlencoded token answer as fields, checking its content type is the one asked for. */
export function parseTokenBody(res: RawResponse, what: string, format: Exclude<TokenFormat, 'json'>, evidence: () => unknown): Record<string, string> {
  const got = formatOfContentType(res.headers['content-type'])
  if (got !== format) {
    throw new ResponseValidationError('TOKEN_FORMAT_MISMATCH', `${what} answered ${res.headers['content-type'] ?? 'no content type'}, not the ${format} that SF_TOKEN_FORMAT asked for: Salesforce honours format=${format}; check SF_LOGIN_URL and any proxy`, { cause: evidence() })
  }
  const data = format === 'xml' ? parseFlatXml(res.body) : parseForm(res.body)
  if (data === undefined || Object.keys(data).length === 0) {
    throw new ResponseValidationError('TOKEN_FORMAT_MISMATCH', `${what} answered a body that is not a well-formed ${format === 'xml' ? '<OAuth> element of fields' : 'form of fields'}: expected Salesforce's ${format} token answer`, { cause: evidence() })
  }
  return data
}
