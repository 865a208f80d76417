/**
 * A forward proxy on loopback that tunnels https with CONNECT (RFC 9110 §9.3.6), as a corporate proxy
 * does: it asks for Basic credentials (407 without them, RFC 9110 §11.7.1), then opens a TCP tunnel to
 * the target and relays bytes it cannot read (TLS runs end to end). It records each CONNECT target and
 * whether credentials came with it. `refuse` makes it answer every CONNECT with that status instead.
 * Plain http in absolute form (what a browser sends a proxy for an http:// page) is forwarded too, with
 * the same credentials, and recorded in `forwarded`.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

/** Every proxy variable undici and the harness read, unset: for `withEnv` when a test must start from none. */
export const PROXY_VARIABLES_UNSET: Readonly<Record<string, undefined>> = Object.fromEntries(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'].map((k) => [k, undefined]))

export interface ConnectProxy {
  /** http://user:password@127.0.0.1:port: what HTTPS_PROXY names. */
  readonly url: string
  readonly user: string
  readonly password: string
  /** Every CONNECT seen: its target (host:port) and the status answered. */
  readonly tunnels: { readonly target: string; readonly status: number }[]
  /** Every plain http request seen: its absolute URL and the proxy's own status (407, or 200 when forwarded). */
  readonly forwarded: { readonly url: string; readonly status: number }[]
  /** Answer every CONNECT with this status (403: not allowed, 407: bad credentials) instead of tunnelling. */
  refuse(status: number | undefined): void
  close(): Promise<void>
}

export async function startConnectProxy(user = 'proxyuser', password = 'Pr0xy-S3cret-pw'): Promise<ConnectProxy> {
  const tunnels: { target: string; status: number }[] = []
  const forwarded: { url: string; status: number }[] = []
  const sockets = new Set<Socket>()
  let refusal: number | undefined
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  const server = createServer((req, res) => {
    const url = req.url ?? ''
    if (!/^http:\/\//.test(url)) {
      res.writeHead(405).end()
      return
    }
    if (req.headers['proxy-authorization'] !== expected) {
      forwarded.push({ url, status: 407 })
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': '0' }).end()
      return
    }
    forwarded.push({ url, status: 200 })
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = httpRequest(url, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    const target = req.url ?? ''
    const status = req.headers['proxy-authorization'] !== expected ? 407 : (refusal ?? 200)
    tunnels.push({ target, status })
    if (status !== 200) {
      const auth = status === 407 ? 'Proxy-Authenticate: Basic realm="test"\r\n' : ''
      client.end(`HTTP/1.1 ${status} ${status === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n${auth}Content-Length: 0\r\n\r\n`)
      return
    }
    const at = target.lastIndexOf(':')
    const upstream = connect(Number(target.slice(at + 1)), target.slice(0, at).replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${user}:${password}@127.0.0.1:${port}`,
    user,
    password,
    tunnels,
    forwarded,
    refuse(status) {
      refusal = status
    },
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
