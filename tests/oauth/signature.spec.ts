import { expect, test } from '@playwright/test'
import { computeSignature, verifySignature } from '../../src/oauth/signature.js'

// Vector from docs/salesforce-oauth.md §4 (self-consistent fixture of cangencer/salesforce-oauth2, verified with python hmac).
const SECRET = 'some consumer secret'
const ID = 'https://login.salesforce.com/id/00Dd0000000dsWLEAY/005d0000000b8kWAAQ'
const ISSUED_AT = '1332093834282'
const SIGNATURE = 'tDZZRHgqtJWXw1cEjyuazDNkonKuIYT2EYnJrC7zbc8='

test('computes the reference vector', () => {
  expect(computeSignature(SECRET, ID, ISSUED_AT)).toBe(SIGNATURE)
})

test('verifies the vector and rejects any change to secret, id, issued_at or signature', () => {
  expect(verifySignature(SECRET, ID, ISSUED_AT, SIGNATURE)).toBe(true)
  expect(verifySignature('another secret', ID, ISSUED_AT, SIGNATURE)).toBe(false)
  expect(verifySignature(SECRET, ID.replace('005d', '005e'), ISSUED_AT, SIGNATURE)).toBe(false)
  expect(verifySignature(SECRET, ID, '1332093834283', SIGNATURE)).toBe(false)
  expect(verifySignature(SECRET, ID, ISSUED_AT, SIGNATURE.replace('tD', 'tE'))).toBe(false)
  expect(verifySignature(SECRET, ID, ISSUED_AT, 'short')).toBe(false)
})
