/**
 * An RSA key per process for id_tokens (RS256) and /id/keys. Generated on first use so start-up stays
 * fast for the flows that do not ask for openid.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'

let pair: { privateKey: KeyObject; publicKey: KeyObject } | undefined
let other: KeyObject | undefined
const KID = '248'

function keys() {
  pair ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
  return pair
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

/** Misbehaviour of the id_token (behaviour.ts `idToken`): each breaks one rule a relying party checks. */
export const ID_TOKEN_FAULTS = ['none', 'forged-signature', 'unknown-kid', 'wrong-nonce', 'no-nonce', 'wrong-audience', 'wrong-issuer', 'expired', 'wrong-at-hash', 'wrong-subject'] as const
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number]

export interface IdTokenInput {
  readonly issuer: string
  readonly audience: string
  readonly subject: string
  readonly accessToken: string
  readonly nowMs: number
  /** The authorize request's nonce (code exchange only). */
  readonly nonce?: string | undefined
  /** Epoch ms of the login, when max_age or prompt=login was sent (OpenID Connect Core §2 `auth_time`). */
  readonly authTime?: number | undefined
  readonly fault?: IdTokenFault
}

/**
 * Claims in the order Salesforce sends them (at_hash, sub, aud, iss, exp, iat; docs/salesforce-oauth.md
 * §2.2), then nonce and auth_time. at_hash is the left half of SHA-256 of the access token, base64url
 * (OpenID Connect Core §3.1.3.6). exp is 5 minutes after iat.
 */
export function signIdToken(o: IdTokenInput): string {
  const fault = o.fault ?? 'none'
  const hashed = fault === 'wrong-at-hash' ? `${o.accessToken}x` : o.accessToken
  const digest = createHash('sha256').update(hashed).digest()
  const iat = Math.floor(o.nowMs / 1000) - (fault === 'expired' ? 3600 : 0)
  const header = { kid: fault === 'unknown-kid' ? `${KID}9` : KID, typ: 'JWT', alg: 'RS256' }
  const claims: Record<string, unknown> = {
    at_hash: digest.subarray(0, 16).toString('base64url'),
    sub: fault === 'wrong-subject' ? o.subject.replace(/\/005\w+$/, '/005000000000000AAA') : o.subject,
    aud: fault === 'wrong-audience' ? `${o.audience}.other` : o.audience,
    iss: fault === 'wrong-issuer' ? 'https://login.example.com' : o.issuer,
    exp: iat + 300,
    iat,
  }
  if (o.nonce !== undefined && fault !== 'no-nonce') claims.nonce = fault === 'wrong-nonce' ? `${o.nonce}-other` : o.nonce
  if (o.authTime !== undefined) claims.auth_time = Math.floor(o.authTime / 1000)
  const input = `${b64u(header)}.${b64u(claims)}`
  // A forged token is well-formed and signed, only not by the key /id/keys publishes.
  const key = fault === 'forged-signature' ? (other ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : keys().privateKey
  const sig = createSign('RSA-SHA256').update(input).sign(key).toString('base64url')
  return `${input}.${sig}`
}

export function jwks(): { keys: Record<string, unknown>[] } {
  const jwk = keys().publicKey.export({ format: 'jwk' })
  return { keys: [{ kty: jwk.kty, e: jwk.e, use: 'sig', kid: KID, alg: 'RS256', n: jwk.n }] }
}
