/** instance_url in a token answer: the access token is sent there, so the SF_LOGIN_URL rules apply. */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { HarnessError } from '../../src/errors.js'
import { computeSignature } from '../../src/oauth/signature.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'

const SECRET = 'fake-consumer-secret-for-tests'
const ID = 'https://login.salesforce.com/id/00D5g000004FAKEEAQ/0055g00000FAKE1AAA'
const ISSUED = String(Date.now())

function answer(instanceUrl: string) {
  const body = { access_token: '00D5g000004FAKE!AQ0AQFake', signature: computeSignature(SECRET, ID, ISSUED), scope: 'api', instance_url: instanceUrl, id: ID, token_type: 'Bearer', issued_at: ISSUED }
  return processTokenResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), url: 'https://login.salesforce.com/services/oauth2/token' }, { clientSecret: SECRET, expectRefreshToken: false, grant: 'refresh_token' })
}

function refused(instanceUrl: string): string {
  let err: unknown
  try {
    answer(instanceUrl)
  } catch (e) {
    err = e
  }
  expect(err, instanceUrl).toBeInstanceOf(HarnessError)
  expect((err as HarnessError).code).toBe('RESPONSE_FIELD_INVALID')
  return (err as Error).message
}

test('https Salesforce hosts and loopback pass', () => {
  for (const u of ['https://acme.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com', 'https://na1.salesforce.com', 'http://127.0.0.1:3000']) {
    expect(answer(u).checks.find((c) => c.name === 'instance_url'), u).toMatchObject({ status: 'pass' })
  }
})

test('http to another host, other schemes, credentials and look-alike hosts are refused', () => {
  expect(refused('http://evil.example')).toContain('"instance_url" uses http://')
  expect(refused('javascript:alert(1)')).toContain('has scheme javascript:')
  expect(refused('not a url')).toContain('is not a URL')
  expect(refused('https://u:p@acme.my.salesforce.com')).toContain('contains credentials')
  expect(refused('https://acme.my.s\u0430lesforce.com')).toContain('internationalised host acme.my.xn--')
})

test('an https host outside Salesforce\'s domains passes with a warning that names it', () => {
  const { checks, tokens } = answer('https://evil.example')
  expect(checks.find((c) => c.name === 'instance_url')).toEqual({ name: 'instance_url', status: 'warn', detail: expect.stringMatching(/^instance_url https:\/\/evil\.example is outside Salesforce's domains/) })
  expect(tokens.instanceUrl).toBe('https://evil.example')
})
