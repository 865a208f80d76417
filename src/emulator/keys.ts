/**
 * An RSA key per process for id_tokens (RS256) and /id/keys. Generated on first use so start-up stays
 * fast for the flows that do not ask for openid.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'

let pair: { privateKey: KeyObject; publicKey: KeyObject } | undefined
const KID = '248'

function keys() {
  pair ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
  return pair
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

export function signIdToken(o: { issuer: string; audience: string; subject: string; accessToken: string; nowMs: number }): string {
  const digest = createHash('sha256').update(o.accessToken).digest()
  const iat = Math.floor(o.nowMs / 1000)
  const header = { kid: KID, typ: 'JWT', alg: 'RS256' }
  const claims = { at_hash: digest.subarray(0, 16).toString('base64url'), sub: o.subject, aud: o.audience, iss: o.issuer, exp: iat + 300, iat }
  const input = `${b64u(header)}.${b64u(claims)}`
  const sig = createSign('RSA-SHA256').update(input).sign(keys().privateKey).toString('base64url')
  return `${input}.${sig}`
}

export function jwks(): { keys: Record<string, unknown>[] } {
  const jwk = keys().publicKey.export({ format: 'jwk' })
  return { keys: [{ ...jwk, kid: KID, use: 'sig', alg: 'RS256' }] }
}
