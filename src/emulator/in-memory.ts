/**
 * The emulator as a fetch-style function, `Request → Response`, in memory (like Hono's `app.request()`):
 * no port, no socket. The request goes through Node's own HTTP client and server parser over an
 * in-memory stream pair into the very handler a listening emulator uses, so headers, cookies, bodies,
 * body limits and the faults that cut a connection behave as on the wire.
 */
import { request as httpRequest, Server, type IncomingMessage, type ServerResponse } from 'node:http'
import { duplexPair } from 'node:stream'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** Statuses whose answer has no body (Response refuses one). */
const NO_BODY = new Set([101, 103, 204, 205, 304])

/**
 * Send one request to `handle`. `input` may be a path ("/services/oauth2/token"), resolved against
 * http://localhost, or an absolute URL, whose host becomes the Host header (the emulator builds its
 * redirects from it). Redirects are returned, not followed. A connection the emulator cuts rejects,
 * as fetch does (TypeError: fetch failed).
 */
export async function requestInMemory(handle: Handler, input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const req = input instanceof Request && init === undefined ? input : new Request(typeof input === 'string' && input.startsWith('/') ? new URL(input, 'http://localhost') : input, init)
  const url = new URL(req.url)
  const body = req.body === null ? undefined : Buffer.from(await req.arrayBuffer())
  const headers: Record<string, string | string[]> = {}
  for (const [k, v] of req.headers) headers[k] = v
  if (!('host' in headers)) headers.host = url.host
  if (body !== undefined) headers['content-length'] = String(body.length)

  const server = new Server(handle)
  const [clientSide, serverSide] = duplexPair()
  // A hang-up on either side reaches the other, as closing a TCP connection does: a fault that cuts the
  // connection fails the request, and an aborted request (init.signal) ends a slow answer early.
  serverSide.once('close', () => clientSide.destroy())
  clientSide.once('close', () => serverSide.destroy())
  const abort = () => clientSide.destroy()
  req.signal.addEventListener('abort', abort, { once: true })
  server.emit('connection', serverSide)
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const r = httpRequest({ method: req.method, path: `${url.pathname}${url.search}`, headers, createConnection: () => clientSide }, resolve)
      r.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })))
      r.end(body)
    })
    const chunks: Buffer[] = []
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', resolve)
      res.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })))
      // Cut mid-body: the stream closes without 'end'.
      res.on('close', () => (res.complete ? resolve() : reject(new TypeError('fetch failed', { cause: new Error('connection closed mid-body') }))))
    })
    const out = new Headers()
    for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '')
    const status = res.statusCode ?? 500
    const noBody = NO_BODY.has(status) || req.method === 'HEAD'
    return new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out })
  } finally {
    req.signal.removeEventListener('abort', abort)
    clientSide.destroy()
    serverSide.destroy()
  }
}
