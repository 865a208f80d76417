/**
 * Salesforce's answer formats for the token endpoint, the identity URL and userinfo: JSON (default), XML
 * and form-urlencoded, chosen by the `format` parameter or else the Accept header (the parameter wins).
 * Token endpoint: "format … json, urlencoded, xml … or the Accept header" (Salesforce Help, "OAuth 2.0 Web
 * Server Flow for Web App Integration", request parameters; REST API Developer Guide, refresh token flow).
 * Identity URL: `format` json or xml, or Accept application/json, application/xml or
 * application/x-www-form-urlencoded; "*\/*" gives JSON and a list is read left to right (Mobile SDK
 * Developer Guide, "Using Identity URLs"). Every format carries the same fields in the same order.
 */
import { send, SF_JSON_HEADERS, type Ctx } from './http-util.js'

export type Format = 'json' | 'xml' | 'urlencoded'

const TYPES: Record<Format, string> = {
  json: 'application/json',
  xml: 'application/xml',
  urlencoded: 'application/x-www-form-urlencoded',
}

const chosen = new WeakMap<Ctx, { format: Format; root: string }>()

/** The format asked for: a known `format` parameter, else the first known type of Accept, else JSON. */
export function negotiate(param: string | null | undefined, accept: string | undefined, allowed: readonly Format[] = ['json', 'xml', 'urlencoded']): Format {
  const p = (param ?? '').toLowerCase()
  if ((allowed as readonly string[]).includes(p)) return p as Format
  for (const item of (accept ?? '').split(',')) {
    const type = item.split(';')[0]?.trim().toLowerCase() ?? ''
    if (type === '*/*' || type === 'application/*') return 'json'
    const hit = (Object.keys(TYPES) as Format[]).find((f) => TYPES[f] === type)
    if (hit !== undefined && allowed.includes(hit)) return hit
  }
  return 'json'
}

/** Answer this request (from here on) in `format`, XML under `root` (token endpoint: OAuth; identity: user). */
export function useFormat(ctx: Ctx, format: Format, root: string): void {
  chosen.set(ctx, { format, root })
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

/** A leaf value as text (objects and arrays are walked by the callers). */
function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)
}

function xmlOf(name: string, v: unknown): string {
  if (v === null || v === undefined) return `<${name} xsi:nil="true"/>`
  if (typeof v === 'object' && !Array.isArray(v)) return `<${name}>${Object.entries(v).map(([k, x]) => xmlOf(k, x)).join('')}</${name}>`
  if (Array.isArray(v)) return v.map((x) => xmlOf(name, x)).join('')
  return `<${name}>${xmlEscape(text(v))}</${name}>`
}

/** Nested objects as dotted keys (`urls.rest=`): how Salesforce flattens them is UNVERIFIED. */
function flat(prefix: string, v: unknown): [string, string][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => flat(prefix === '' ? k : `${prefix}.${k}`, x))
  return [[prefix, v === null || v === undefined ? '' : text(v)]]
}

export function serialise(format: Format, root: string, value: Record<string, unknown>): string {
  if (format === 'json') return JSON.stringify(value)
  if (format === 'urlencoded') return flat('', value).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  const attrs = Object.values(value).some((v) => v === null) ? ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' : ''
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlOf(root, value).replace(`<${root}>`, `<${root}${attrs}>`)}`
}

/** Answer `value` in the request's format (JSON unless useFormat chose another), with Salesforce's no-cache headers. */
export function respond(ctx: Ctx, status: number, value: Record<string, unknown>): void {
  const { format, root } = chosen.get(ctx) ?? { format: 'json' as const, root: 'OAuth' }
  send(ctx, status, { ...SF_JSON_HEADERS, 'content-type': `${TYPES[format]};charset=UTF-8` }, serialise(format, root, value))
}

/** An OAuth error (`error`, `error_description`) in the request's format; 400 unless told. */
export function refuse(ctx: Ctx, error: string, description: string, status = 400): void {
  respond(ctx, status, { error, error_description: description })
}
