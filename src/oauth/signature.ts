/**
 * Salesforce's `signature`: base64(HMAC-SHA256(key = client secret, message = id + issued_at)).
 * docs/salesforce-oauth.md §4 (Salesforce docs; verified by omniauth-salesforce and orizuru-auth).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export function computeSignature(clientSecret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64')
}

export function verifySignature(clientSecret: string, id: string, issuedAt: string, signature: string): boolean {
  const expected = Buffer.from(computeSignature(clientSecret, id, issuedAt))
  const got = Buffer.from(signature)
  return expected.length === got.length && timingSafeEqual(expected, got)
}
