/**
 * Network probes for `sf-oauth doctor`, below HTTP: name resolution and the TLS handshake. (HTTP probes
 * go through the client, src/http/client.ts, like every other request.)
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { connect, type PeerCertificate } from 'node:tls'

export interface DnsAnswer {
  readonly addresses: readonly string[]
  /** The host is an IP literal: nothing was looked up. */
  readonly literal: boolean
}

/** dns.lookup, as the HTTP client resolves (getaddrinfo: /etc/hosts, then DNS). */
export async function lookupHost(hostname: string): Promise<DnsAnswer> {
  const bare = hostname.replace(/^\[|\]$/g, '')
  if (isIP(bare) !== 0) return { addresses: [bare], literal: true }
  const all = await lookup(bare, { all: true })
  return { addresses: all.map((a) => a.address), literal: false }
}

export interface TlsAnswer {
  readonly protocol: string | null
  readonly authorized: boolean
  /** Why the certificate is not trusted (e.g. CERT_HAS_EXPIRED), when it is not. */
  readonly authorizationError: string | undefined
  readonly subject: string | undefined
  readonly issuer: string | undefined
  readonly altNames: string | undefined
  readonly validTo: string | undefined
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v)

/** A TLS handshake with SNI, certificate read and not enforced, so an untrusted one can be explained. */
export function tlsHandshake(host: string, port: number, timeoutMs: number): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername: isIP(host) === 0 ? host : undefined, rejectUnauthorized: false, timeout: timeoutMs, ALPNProtocols: ['http/1.1'] })
    socket.once('secureConnect', () => {
      const cert: PeerCertificate = socket.getPeerCertificate()
      const answer: TlsAnswer = {
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        authorizationError: socket.authorized ? undefined : String(socket.authorizationError),
        subject: one(cert.subject.CN),
        issuer: one(cert.issuer.O) ?? one(cert.issuer.CN),
        altNames: cert.subjectaltname,
        validTo: cert.valid_to,
      }
      socket.end()
      resolve(answer)
    })
    socket.once('timeout', () => {
      socket.destroy()
      reject(Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }))
    })
    socket.once('error', reject)
  })
}
