/**
 * One HTTP/1.1 request over a raw socket: whatever bytes a hostile client would send (a bad Host, a
 * request target fetch() refuses, header values it would reject). `Connection: close`, so the answer
 * ends with the connection.
 */
import { connect } from 'node:net'

export interface RawRequest {
  readonly method?: string
  readonly target?: string
  /** Sent as they are, in order; Host is not added when one is given. */
  readonly headers?: readonly (readonly [string, string])[]
  readonly body?: string | Buffer
}

export interface RawAnswer {
  /** undefined when the connection closed without a status line. */
  readonly status: number | undefined
  readonly head: string
  readonly body: string
  header(name: string): string | undefined
}

export function rawRequest(baseUrl: string, r: RawRequest): Promise<RawAnswer> {
  const u = new URL(baseUrl)
  const headers = [...(r.headers ?? [])]
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', u.host])
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8')
  if (body !== undefined && !headers.some(([k]) => k.toLowerCase() === 'content-length' || k.toLowerCase() === 'transfer-encoding')) headers.push(['Content-Length', String(body.length)])
  headers.push(['Connection', 'close'])
  const head = `${r.method ?? 'GET'} ${r.target ?? '/'} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = connect(Number(u.port), u.hostname.replace(/^\[|\]$/g, ''))
    socket.on('data', (c: Buffer) => chunks.push(c))
    // A reset after a refused body is a normal end for a client; what was answered before still counts.
    socket.on('error', () => undefined)
    // A server that never answers shows as no status (the caller's assertion names the request).
    socket.setTimeout(5_000, () => socket.destroy())
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const split = text.indexOf('\r\n\r\n')
      const headText = split < 0 ? text : text.slice(0, split)
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(headText)
      resolve({
        status: m ? Number(m[1]) : undefined,
        head: headText,
        body: split < 0 ? '' : text.slice(split + 4),
        header: (name) => new RegExp(`^${name}: ?(.*)$`, 'im').exec(headText)?.[1]?.trim(),
      })
    })
    // One write: head and body apart would meet Nagle and delayed ACKs (40 ms a request).
    socket.setNoDelay(true)
    socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head, 'latin1'), body]))
  })
}
