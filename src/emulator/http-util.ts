/** Small helpers for the emulator's node:http handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Ctx {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  /** Base URL as the client reached us (Host header), e.g. http://127.0.0.1:4567. */
  readonly base: string
  readonly cookies: Readonly<Record<string, string>>
  body(): Promise<string>
}

/** Request bodies above this get 413; the rest of such a body is read and dropped up to MAX_DRAIN, then the connection is cut. */
export const MAX_BODY = 64 * 1024
const MAX_DRAIN = 8 * 1024 * 1024

/** A request the emulator refuses for what the client sent: answered with `status`, never a 5xx. */
export class ClientError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** decodeURIComponent that keeps the raw text when it is not valid percent-encoding (it throws URIError). */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** A Host header (RFC 9110 §7.2): a name or IP literal and an optional port; anything else is a 400. */
const HOST_RE = /^(?:[A-Za-z0-9._-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/

function parseTarget(req: IncomingMessage): { base: string; url: URL } {
  const host = req.headers.host ?? 'localhost'
  const target = req.url ?? '/'
  try {
    if (!HOST_RE.test(host)) throw new ClientError(400, 'bad Host header')
    // As the WHATWG parser reads it (lower case, default port dropped); it throws on a bad IP or port.
    // https when the connection is TLS (the emulator's --tls mode), so instance_url and id say https.
    const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true ? 'https' : 'http'
    const base = new URL(`${scheme}://${host}`).origin
    // origin-form ("/path?q"): always a path on this host, even "//x" (new URL("//x", base) would be host x).
    if (target.startsWith('/')) return { base, url: new URL(`${base}${target}`) }
    // absolute-form ("http://host/path", RFC 9112 §3.2.2): only its path and query are ours.
    const abs = new URL(target)
    if (abs.protocol === 'http:' || abs.protocol === 'https:') return { base, url: new URL(`${base}${abs.pathname}${abs.search}`) }
  } catch (err) {
    if (err instanceof ClientError) throw err
  }
  throw new ClientError(400, 'bad request target')
}

export function makeCtx(req: IncomingMessage, res: ServerResponse): Ctx {
  const { base, url } = parseTarget(req)
  const cookies: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) cookies[part.slice(0, i).trim()] = safeDecode(part.slice(i + 1).trim())
  }
  let cached: Promise<string> | undefined
  return {
    req,
    res,
    url,
    base,
    cookies,
    body: () =>
      (cached ??= new Promise((resolve, reject) => {
        const chunks: Buffer[] = []
        let size = 0
        req.on('data', (c: Buffer) => {
          size += c.length
          if (size <= MAX_BODY) chunks.push(c)
          else if (size > MAX_BODY + MAX_DRAIN) req.destroy()
        })
        req.on('end', () => (size > MAX_BODY ? reject(new ClientError(413, 'request body too large')) : resolve(Buffer.concat(chunks).toString('utf8'))))
        // A client that hangs up mid-body, or one cut off past MAX_DRAIN (after 'end', close changes nothing).
        const gone = () => reject(new ClientError(size > MAX_BODY ? 413 : 400, size > MAX_BODY ? 'request body too large' : 'request body incomplete'))
        req.on('error', gone)
        req.on('close', gone)
      })),
  }
}

export function send(ctx: Ctx, status: number, headers: Record<string, string | string[]>, body = ''): void {
  ctx.res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers })
  ctx.res.end(body)
}

export function html(ctx: Ctx, status: number, body: string, extra: Record<string, string | string[]> = {}): void {
  send(ctx, status, { 'content-type': 'text/html;charset=UTF-8', 'cache-control': 'no-cache, no-store', ...extra }, body)
}

export function redirect(ctx: Ctx, location: string, extra: Record<string, string | string[]> = {}): void {
  send(ctx, 302, { location, 'cache-control': 'no-cache, no-store', ...extra })
}

/** Salesforce's JSON headers for token answers (docs/salesforce-oauth.md §2.2, recorded nock of a real refresh). */
export const SF_JSON_HEADERS = {
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
  pragma: 'no-cache',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
} as const

export function json(ctx: Ctx, status: number, value: unknown): void {
  send(ctx, status, { ...SF_JSON_HEADERS }, JSON.stringify(value))
}

export function oauthError(ctx: Ctx, error: string, description: string, status = 400): void {
  json(ctx, status, { error, error_description: description })
}

/** Append query parameters to a redirect URI that may already have a query. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const parts = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${encodeURIComponent(v)}`]))
  return `${uri}${uri.includes('?') ? '&' : '?'}${parts.join('&')}`
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

/** Client credentials from HTTP Basic or the form body (both accepted, docs/salesforce-oauth.md §2.1). */
export function clientCredentials(ctx: Ctx, form: URLSearchParams): { clientId: string | undefined; clientSecret: string | undefined } {
  const auth = ctx.req.headers.authorization
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8')
    const i = decoded.indexOf(':')
    // RFC 6749 §2.3.1: form-encoded, then Basic; bad percent-escapes stay as they are (and fail to match).
    if (i > 0) return { clientId: safeDecode(decoded.slice(0, i)), clientSecret: safeDecode(decoded.slice(i + 1)) }
  }
  return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined }
}

export function bearer(ctx: Ctx): string | undefined {
  const auth = ctx.req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim()
  return ctx.url.searchParams.get('oauth_token') ?? undefined
}
