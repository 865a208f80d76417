/**
 * PKCE (RFC 7636) in a form Salesforce and the RFC both accept.
 * Salesforce rejects `~` in verifiers (nsflow#249), so verifiers use base64url only: 96 random bytes give
 * 128 characters, the RFC's maximum (jsforce sends 171; Salesforce accepts that too, docs/salesforce-oauth.md §2.5).
 */
import { createHash, randomBytes } from 'node:crypto'
import { HarnessError } from '../errors.js'
import type { Check } from './types.js'

export interface PkcePair {
  readonly verifier: string
  readonly challenge: string
  readonly method: 'S256'
}

const VERIFIER_RE = /^[A-Za-z0-9_-]{43,171}$/

export function createVerifier(bytes = 96): string {
  return randomBytes(bytes).toString('base64url')
}

/** S256: BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636 §4.2. */
export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER_RE.test(verifier)
}

export function createPkce(): PkcePair {
  const verifier = createVerifier()
  return { verifier, challenge: challengeFor(verifier), method: 'S256' }
}

/**
 * With PKCE on, the authorize URL must carry `code_challenge_method=S256` and the challenge of the verifier
 * the token request will send: `plain` or no challenge would let whoever intercepts the code redeem it
 * (RFC 7636 §4.2, §7.2). Throws PKCE_CHALLENGE_INVALID otherwise.
 */
export function pkceCheck(authorizeUrl: string, pkce: PkcePair | undefined): Check {
  if (pkce === undefined) return { name: 'pkce', status: 'skip', detail: 'PKCE off (SF_PKCE=false): no code_challenge sent' }
  const q = new URL(authorizeUrl).searchParams
  const method = q.get('code_challenge_method')
  const challenge = q.get('code_challenge')
  if (method !== 'S256' || challenge === null || challenge !== challengeFor(pkce.verifier)) {
    const what = challenge === null ? 'no code_challenge' : method !== 'S256' ? `code_challenge_method=${method ?? '(none)'}` : 'a code_challenge that is not S256 of the verifier'
    throw new HarnessError('PKCE_CHALLENGE_INVALID', `the authorize URL carries ${what}, not the S256 challenge of the verifier: the code would not be bound to this client; report this as a bug`)
  }
  return { name: 'pkce', status: 'pass', detail: 'the authorize URL carries code_challenge_method=S256 and the S256 challenge of the verifier' }
}
