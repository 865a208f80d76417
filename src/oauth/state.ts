import { randomBytes } from 'node:crypto'

/** An unguessable `state` (RFC 6749 §10.12): 128 bits, base64url. */
export function createState(): string {
  return randomBytes(16).toString('base64url')
}
