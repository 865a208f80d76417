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

const MAX_BODY = 64 * 1024

export function makeCtx(req: IncomingMessage, res: ServerResponse): Ctx {
  const host = req.headers.host ?? 'localhost'
  const base = `http://${host}`
  const url = new URL(req.url ?? '/', base)
  const cookies: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) cookies[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim())
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
          if (size > MAX_BODY) {
            reject(new Error('body too large'))
            req.destroy()
          } else chunks.push(c)
        })
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        req.on('error', reject)
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
    if (i > 0) return { clientId: decodeURIComponent(decoded.slice(0, i)), clientSecret: decodeURIComponent(decoded.slice(i + 1)) }
  }
  return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined }
}

export function bearer(ctx: Ctx): string | undefined {
  const auth = ctx.req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim()
  return ctx.url.searchParams.get('oauth_token') ?? undefined
}
