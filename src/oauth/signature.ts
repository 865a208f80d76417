/**
 * Salesforce's `signature`: base64(HMAC-SHA256(key = client secret, message = id + issued_at)).
 * docs/salesforce-oauth.md §4 (Salesforce docs; verified by omniauth-salesforce and orizuru-auth).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The token answer's `signature`: base64 HMAC-SHA256 of `id` + `issued_at` keyed with the client secret
 * (Salesforce Help: "OAuth 2.0 Web Server Flow for Web App Integration", token response; docs/salesforce-oauth.md §2.2).
 */
export function computeSignature(clientSecret: string, id: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret).update(id + issuedAt).digest('base64')
}

/** Whether `signature` is {@link computeSignature}'s for these values, compared in constant time. Never throws. */
export function verifySignature(clientSecret: string, id: string, issuedAt: string, signature: string): boolean {
  const expected = Buffer.from(computeSignature(clientSecret, id, issuedAt))
  const got = Buffer.from(signature)
  return expected.length === got.length && timingSafeEqual(expected, got)
}
