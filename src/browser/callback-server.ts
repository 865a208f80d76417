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

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(false))
  })
}

export async function startCallbackServer(redirectUri: string): Promise<CallbackServer> {
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
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><title>sf-oauth-harness</title><h1>${failed ? 'Authorization failed' : 'Authorization received'}</h1><p>You can close this window; the harness goes on in the terminal.</p>`)
    resolve(full.toString())
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(new InfraError('PORT_IN_USE', `cannot listen on port ${port} of SF_REDIRECT_URI (${err.code ?? err.message}): free the port or use another redirect URI`)))
    server.listen(port, host, ok)
  })
  return {
    url,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()) }),
  }
}
