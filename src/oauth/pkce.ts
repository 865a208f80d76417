/**
 * PKCE (RFC 7636) in a form Salesforce and the RFC both accept.
 * Salesforce rejects `~` in verifiers (nsflow#249), so verifiers use base64url only: 96 random bytes give
 * 128 characters, the RFC's maximum (jsforce sends 171; Salesforce accepts that too, reference §2.5).
 */
import { createHash, randomBytes } from 'node:crypto'

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
