import { expect } from '@playwright/test'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { test } from '../support/scrub.js'
import { mask, redactor, Redactor, SECRET_CHANNEL } from '../../src/redact.js'

test('masked forms keep only a short prefix (long values) and the length', () => {
  expect(mask('5Aep861FakeRefreshTokenFakeRefreshToken')).toBe('5Aep…(39 chars)')
  expect(mask('Demo-Passw0rd!')).toBe('***…(14 chars)')
})

test('registered secrets are removed in raw, percent- and form-encoded spellings', () => {
  const r = new Redactor()
  r.add('p@ss word+1')
  const out = r.text('a p@ss word+1 b p%40ss%20word%2B1 c p%40ss+word%2B1')
  expect(out).not.toContain('p@ss')
  expect(out).not.toContain('p%40ss')
  expect(out.match(/\*\*\*…\(11 chars\)/g)).toHaveLength(3)
})

test('credential shapes are masked even when never registered', () => {
  const r = new Redactor()
  const text = [
    'at 00D5g000004FAKE!AQ0AQFakeAccessTokenFakeAccess',
    'rt 5Aep861FakeRefreshTokenFakeRefreshToken',
    'code aPrxGfV7WpWWFnEHqst_Stl_FyuCAgbsneQ6zSM2DJPi228%3D%3D',
    'jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl',
    'url force://3MVG9x:secret:5Aep861abc@acme.my.salesforce.com',
    'Authorization: Bearer abcdefghijklmnop',
    'form client_secret=s3cr3t-value&code_verifier=verifierverifier&pw=hunter22',
    'json {"refresh_token":"opaque-value-1","client_secret":"opaque-2"}',
  ].join('\n')
  const out = r.text(text)
  for (const leak of ['FakeAccessToken', 'FakeRefreshToken', 'GfV7WpWW', 'eyJzdWIi', ':secret:', 'abcdefghijklmnop', 's3cr3t-value', 'verifierverifier', 'hunter22', 'opaque-value-1', 'opaque-2']) {
    expect(out, leak).not.toContain(leak)
  }
})

test('deep redaction of objects and errors, without touching safe values', () => {
  const r = new Redactor()
  r.add('very-secret-value')
  const err = new Error('failed with very-secret-value', { cause: { body: 'x very-secret-value y', status: 400 } })
  const out = r.value({ err, list: ['very-secret-value', 3], ok: 'instance https://x.my.salesforce.com' })
  const json = JSON.stringify(out)
  expect(json).not.toContain('very-secret-value')
  expect(json).toContain('"status":400')
  expect(json).toContain('https://x.my.salesforce.com')
})

test('an sfdx auth URL is masked whole, its client secret too, though its refresh token has a shape of its own', () => {
  const url = 'force://3MVG9FakeClientId:NotRegisteredSecret123:5Aep861FakeRefreshTokenFakeRefreshToken0123@https://x.my.salesforce.com'
  const out = new Redactor().text(`auth ${url} end`)
  expect(out).not.toContain('NotRegisteredSecret123')
  expect(out).not.toContain('5Aep861FakeRefresh')
  expect(out).toMatch(/^auth forc…\(\d+ chars\) end$/)
})

test('each new secret of the process-wide redactor is published once on SECRET_CHANNEL; a local redactor publishes nothing', () => {
  const heard: unknown[] = []
  const onSecret = (v: unknown) => heard.push(v)
  subscribe(SECRET_CHANNEL, onSecret)
  try {
    const value = `published-secret-${Date.now()}`
    redactor.add(value)
    redactor.add(value)
    new Redactor().add(`local-secret-${Date.now()}`)
    expect(heard).toEqual([value])
  } finally {
    unsubscribe(SECRET_CHANNEL, onSecret)
  }
})
