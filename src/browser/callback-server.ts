/**
 * For headed runs: a loopback server on the redirect URI's port, so the person watching sees a page
 * rather than a connection error. Like the Salesforce CLI it refuses to start when something already
 * answers on the port (a squatter would receive the code). Stray requests (favicon, robots.txt) get a 404
 * and do not end the flow.
 */
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { InfraError } from '../errors.js'
import { isLoopbackHost } from '../oauth/hosts.js'

export interface CallbackServer {
  readonly url: Promise<string>
  close(): Promise<void>
}

/** What the browser is shown for a request to the redirect URI, and whether it ends the wait. */
export interface CallbackAnswer {
  readonly ok: boolean
  readonly title: string
  readonly text: string
  /** false: not the answer being waited for (another request's state): shown, then the wait goes on. */
  readonly final: boolean
}

export interface CallbackServerOptions {
  /** The page for a callback (`sf-oauth login`); default: a generic "received" or "failed". */
  readonly answer?: (callbackUrl: string) => CallbackAnswer
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)

function page(a: CallbackAnswer): string {
  return `<!doctype html><meta charset="utf-8"><title>sf-oauth-harness</title><h1>${escapeHtml(a.title)}</h1><p>${escapeHtml(a.text)}</p>`
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(false))
  })
}

export async function startCallbackServer(redirectUri: string, options: CallbackServerOptions = {}): Promise<CallbackServer> {
  const target = new URL(redirectUri)
  if (target.protocol !== 'http:' || !isLoopbackHost(target.hostname)) {
    throw new InfraError('CALLBACK_SERVER_UNSUPPORTED', `a callback server runs only for http://localhost redirect URIs, not ${target.origin}: run headless, or register http://localhost:1717/OauthRedirect`)
  }
  const port = Number(target.port || 80)
  const host = target.hostname === 'localhost' ? '127.0.0.1' : target.hostname.replace(/^\[|\]$/g, '')
  if (await portAnswers(host, port)) {
    throw new InfraError('PORT_IN_USE', `port ${port} of SF_REDIRECT_URI is already in use: stop the process listening there, or register and use another port`)
  }
  let resolve!: (url: string) => void
  const url = new Promise<string>((r) => (resolve = r))
  const server: Server = createServer((req, res) => {
    // Chrome's Private Network Access preflight.
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-private-network': 'true', 'access-control-allow-origin': '*' }).end()
      return
    }
    const full = new URL(req.url ?? '/', target.origin)
    if (req.method !== 'GET' || full.pathname !== target.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const failed = full.searchParams.has('error')
    const answer = options.answer?.(full.toString()) ?? { ok: !failed, final: true, title: failed ? 'Authorization failed' : 'Authorization received', text: 'You can close this window; the harness goes on in the terminal.' }
    // No page of ours is cached or framed: it may name what went wrong.
    res.writeHead(answer.ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'" })
    res.end(page(answer))
    if (answer.final) resolve(full.toString())
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'EACCES'
      ? new InfraError('CALLBACK_PORT_DENIED', `port ${port} of SF_REDIRECT_URI needs privileges to listen on${target.port === '' ? ' (the URI names no port: 80)' : ''}: paste the URL instead (sf-oauth authorize-url --pending FILE, then sf-oauth exchange --pending FILE), or register http://localhost:1717/OauthRedirect`)
      : new InfraError('PORT_IN_USE', `cannot listen on port ${port} of SF_REDIRECT_URI (${err.code ?? err.message}): free the port or use another redirect URI`)))
    server.listen(port, host, ok)
  })
  return {
    url,
    // Idle connections only: the page just sent (a refusal, answered the moment it came) must reach the browser.
    close: () => new Promise<void>((ok) => { server.close(() => ok()); server.closeIdleConnections() }),
  }
}
