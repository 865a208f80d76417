/** The masker: real-looking values become known fakes, consistently, and signatures still verify. */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { computeSignature, verifySignature } from '../../src/oauth/signature.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_INSTANCE_URL, FAKE_LOGIN_URL, FAKE_ORG_ID, fakeAccessToken, fakeCode, fakeRefreshToken, fakeUserId, isKnownFake } from '../../src/record/fakes.js'
import { Masker } from '../../src/record/mask.js'

const SECRET = 'C0FFEE'.repeat(10) + 'C0FE'
const LOGIN = 'https://acme.my.salesforce.com'
const ORG = '00D5g000004XYZWEAU'
const USER = '0055g00000ABCDEAAA'
const ID = `${LOGIN}/id/${ORG}/${USER}`
const AT = `${ORG.slice(0, 15)}!AQ4AQ${'r'.repeat(100)}`
const RT = `5Aep861${'q'.repeat(80)}`
const CODE = `aPrx${'c'.repeat(70)}==`

function tokenAnswer(secret: string) {
  return JSON.stringify({ access_token: AT, refresh_token: RT, signature: computeSignature(secret, ID, '1764000000000'), scope: 'api refresh_token', instance_url: LOGIN, id: ID, token_type: 'Bearer', issued_at: '1764000000000' })
}

test('a token answer: every secret and id faked, the signature recomputed with the fake secret', () => {
  const m = new Masker({ loginUrl: LOGIN, clientId: '3MVG9realclientid', clientSecret: SECRET })
  const out = JSON.parse(m.json(tokenAnswer(SECRET))) as Record<string, string>
  expect(out.access_token).toBe(fakeAccessToken(1))
  expect(out.refresh_token).toBe(fakeRefreshToken(1))
  expect(out.id).toBe(`${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}`)
  expect(out.instance_url).toBe(FAKE_LOGIN_URL)
  expect(verifySignature(FAKE_CLIENT_SECRET, out.id ?? '', out.issued_at ?? '', out.signature ?? '')).toBe(true)
  expect(findCredentials(JSON.stringify(out))).toEqual([])
})

test('the same real value maps to the same fake in requests and answers; a bad signature stays bad', () => {
  const m = new Masker({ loginUrl: LOGIN, clientId: '3MVG9realclientid', clientSecret: SECRET })
  m.json(tokenAnswer(SECRET))
  const form = new URLSearchParams(m.form(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: RT, client_id: '3MVG9realclientid', client_secret: SECRET }).toString()))
  expect(form.get('refresh_token')).toBe(fakeRefreshToken(1))
  expect(form.get('client_id')).toBe(FAKE_CLIENT_ID)
  expect(form.get('client_secret')).toBe(FAKE_CLIENT_SECRET)
  expect(m.url(`http://localhost:1717/OauthRedirect?code=${encodeURIComponent(CODE)}&state=s`)).toContain(encodeURIComponent(fakeCode(1)))
  const tampered = JSON.parse(m.json(tokenAnswer('another secret'))) as Record<string, string>
  expect(verifySignature(FAKE_CLIENT_SECRET, tampered.id ?? '', tampered.issued_at ?? '', tampered.signature ?? '')).toBe(false)
})

test('a My Domain instance and a Bearer header are masked too; truncated JSON is masked as text', () => {
  const m = new Masker({ clientSecret: SECRET })
  m.noteInstanceUrl('https://acme.my.salesforce.com')
  expect(m.url('https://acme.my.salesforce.com/services/oauth2/userinfo')).toBe(`${FAKE_INSTANCE_URL}/services/oauth2/userinfo`)
  expect(m.headers({ authorization: `Bearer ${AT}`, cookie: 'sid=x' })).toEqual({ authorization: `Bearer ${fakeAccessToken(1)}` })
  const cut = m.json(tokenAnswer(SECRET).slice(0, 140))
  expect(findCredentials(cut)).toEqual([])
  expect(isKnownFake(fakeAccessToken(1))).toBe(true)
})
