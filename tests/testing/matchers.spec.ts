/** The published matchers (sf-oauth-harness/test): what passes, what fails, and that failures name the code and mask secrets. */
import { expect as baseExpect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { tokenMatchers } from '../../src/testing/matchers.js'
import { computeSignature } from '../../src/oauth/signature.js'

const expect = baseExpect.extend(tokenMatchers)
const secret = 'FAKEMATCHER0SECRET000000000000000000000000000000000000000000001'
const id = 'https://login.salesforce.com/id/00D5g00000FAKEDEAQ/0055g00000FAKEDAAA'
const issuedAt = '1764258000000'
const answer = {
  access_token: '00D5g00000FAKED!AQ0AQFAKEACCESSTOKEN.fake.matcher.value.0123456789abcdefghijklmnop',
  refresh_token: '5Aep861FAKEREFRESH.matcher.0123456789',
  signature: computeSignature(secret, id, issuedAt),
  scope: 'api refresh_token',
  instance_url: 'https://fake-dev-ed.my.salesforce.com',
  id,
  token_type: 'Bearer',
  issued_at: issuedAt,
}

/** The matcher's failure message, or undefined when it passed. */
function failure(fn: () => void): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as Error).message
  }
  return undefined
}

test('a Salesforce answer passes in every accepted form: JSON object, text, raw response', () => {
  expect(answer).toBeSalesforceTokenResponse()
  expect(JSON.stringify(answer)).toBeSalesforceTokenResponse()
  expect({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) }).toBeSalesforceTokenResponse()
  expect(answer).toHaveValidSignature(secret)
})

test('a broken answer fails naming the harness code, and never prints the token', () => {
  const noInstance: Partial<typeof answer> = { ...answer }
  delete noInstance.instance_url
  const msg = failure(() => expect(noInstance).toBeSalesforceTokenResponse())
  expect(msg).toMatch(/Not a Salesforce token response: RESPONSE_\w+/)
  expect(msg).not.toContain(answer.access_token)
  expect(failure(() => expect({ ...answer, token_type: 'MAC' }).toBeSalesforceTokenResponse())).toMatch(/RESPONSE_\w+/)
  expect(failure(() => expect({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_grant","error_description":"authentication failure"}' }).toBeSalesforceTokenResponse())).toMatch(/: TOKEN_AUTHENTICATION_FAILURE: /)
  expect(failure(() => expect(42).toBeSalesforceTokenResponse())).toContain('got number')
})

test('a signature made with another secret, or over a changed issued_at, does not verify; the secret is masked', () => {
  const other = 'FAKEMATCHER0OTHER0000000000000000000000000000000000000000000002'
  const msg = failure(() => expect(answer).toHaveValidSignature(other))
  expect(msg).toContain('signature does not match')
  expect(msg).not.toContain(other)
  expect(failure(() => expect({ ...answer, issued_at: '1764258000001' }).toHaveValidSignature(secret))).toContain('signature does not match')
  expect({ ...answer, signature: 'forged' }).not.toHaveValidSignature(secret)
  expect(failure(() => expect(answer).toHaveValidSignature(''))).toContain('clientSecret is empty')
})
