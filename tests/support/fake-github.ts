/**
 * A local fake of GitHub's Actions secrets API (https://docs.github.com/rest/actions/secrets), on loopback:
 * repository and environment public keys (a libsodium key pair made here) and PUT of a secret, which it
 * decrypts with its private key (crypto_box_seal_open) so tests can read what the harness stored.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sodium from 'libsodium-wrappers'

export interface FakeGithub {
  readonly url: string
  /** Decrypted secret values by "name" or "env/name". */
  readonly secrets: Map<string, string>
  /** PUTs received, in order (name and the status answered). */
  readonly puts: { name: string; status: number }[]
  /** Answer every PUT with this status instead (e.g. 403: a token without secrets write permission). */
  refusePuts(status: number | undefined): void
  close(): Promise<void>
}

export async function startFakeGithub(o: { repository: string; token: string }): Promise<FakeGithub> {
  await sodium.ready
  const pair = sodium.crypto_box_keypair()
  const keyId = '568250167242549743'
  const secrets = new Map<string, string>()
  const puts: FakeGithub['puts'] = []
  let refuse: number | undefined
  const prefix = `/repos/${o.repository}/`
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const send = (status: number, body?: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body))
      if (req.headers.authorization !== `Bearer ${o.token}`) return send(401, { message: 'Bad credentials' })
      if (req.headers['x-github-api-version'] !== '2022-11-28') return send(400, { message: 'missing API version' })
      const path = req.url ?? ''
      if (!path.startsWith(prefix)) return send(404, { message: 'Not Found' })
      const m = /^(?:actions\/secrets|environments\/([^/]+)\/secrets)\/([^/]+)$/.exec(path.slice(prefix.length))
      if (m === null) return send(404, { message: 'Not Found' })
      const env = m[1] === undefined ? '' : `${decodeURIComponent(m[1])}/`
      const name = decodeURIComponent(m[2] ?? '')
      if (req.method === 'GET' && name === 'public-key') return send(200, { key_id: keyId, key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL) })
      if (req.method !== 'PUT') return send(404, { message: 'Not Found' })
      if (refuse !== undefined) {
        puts.push({ name: env + name, status: refuse })
        return send(refuse, { message: 'Resource not accessible by personal access token' })
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { encrypted_value: string; key_id: string }
      if (body.key_id !== keyId) return send(422, { message: 'key_id mismatch' })
      const plain = sodium.to_string(sodium.crypto_box_seal_open(sodium.from_base64(body.encrypted_value, sodium.base64_variants.ORIGINAL), pair.publicKey, pair.privateKey))
      const status = secrets.has(env + name) ? 204 : 201
      secrets.set(env + name, plain)
      puts.push({ name: env + name, status })
      return send(status)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secrets,
    puts,
    refusePuts(status) {
      refuse = status
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
